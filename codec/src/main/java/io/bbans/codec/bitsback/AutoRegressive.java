package io.bbans.codec.bitsback;

import io.bbans.codec.ans.Codec;
import io.bbans.codec.ans.Distribution;
import io.bbans.codec.ans.Message;

/**
 * Codes a vector of {@code steps x width} symbols, lane-major ({@code [step][lane]}), one step
 * at a time, each step's distribution computed from the steps before it (as craystack's
 * {@code AutoRegressive}): the pixel loop of a context model, one pixel of every lane a step.
 * Pop decodes step 0 first; push runs the steps in reverse, so the step function only ever
 * reads the steps before the one it is asked for, which are known on both sides.
 */
public final class AutoRegressive implements Codec<int[]> {
  /** The distribution of step {@code s}'s {@code width} symbols, given {@code known}. */
  @FunctionalInterface
  public interface Step {
    /**
     * @param known the whole vector; only steps {@code 0..s-1} are meaningful (on pop the rest
     *     are still 0)
     */
    Distribution at(int s, int[] known);
  }

  private final int steps;
  private final int width;
  private final Step step;

  public AutoRegressive(int steps, int width, Step step) {
    if (steps < 0 || width < 1) {
      throw new IllegalArgumentException(steps + " steps of " + width + " symbols");
    }
    this.steps = steps;
    this.width = width;
    this.step = step;
  }

  @Override
  public void push(Message m, int[] symbols) {
    if (symbols.length != steps * width) {
      throw new IllegalArgumentException("expected " + steps * width + " symbols, got "
          + symbols.length);
    }
    int[] row = new int[width];
    for (int s = steps - 1; s >= 0; s--) {
      System.arraycopy(symbols, s * width, row, 0, width);
      step.at(s, symbols).push(m, row);
    }
  }

  @Override
  public int[] pop(Message m) {
    int[] symbols = new int[steps * width];
    int[] row = new int[width];
    for (int s = 0; s < steps; s++) {
      step.at(s, symbols).pop(m, row);
      System.arraycopy(row, 0, symbols, s * width, width);
    }
    return symbols;
  }
}
