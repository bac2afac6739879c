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
 *
 * <p>With {@link Padding}, the padding symbols of each step are skipped (not coded) and, on pop,
 * filled in from the steps before them before the next step is asked for.
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
  private final Padding padding;

  public AutoRegressive(int steps, int width, Step step) {
    this(steps, width, step, null);
  }

  /** As {@link #AutoRegressive(int, int, Step)}, not coding {@code padding} (null: none). */
  public AutoRegressive(int steps, int width, Step step, Padding padding) {
    if (steps < 0 || width < 1) {
      throw new IllegalArgumentException(steps + " steps of " + width + " symbols");
    }
    this.steps = steps;
    this.width = width;
    this.step = step;
    this.padding = padding;
  }

  @Override
  public void push(Message m, int[] symbols) {
    if (symbols.length != steps * width) {
      throw new IllegalArgumentException("expected " + steps * width + " symbols, got "
          + symbols.length);
    }
    int[] row = new int[width];
    boolean[] skip = padding == null ? null : new boolean[width];
    for (int s = steps - 1; s >= 0; s--) {
      System.arraycopy(symbols, s * width, row, 0, width);
      step.at(s, symbols).push(m, row, padding == null ? null : padding.at(s, skip));
    }
  }

  @Override
  public int[] pop(Message m) {
    int[] symbols = new int[steps * width];
    int[] row = new int[width];
    boolean[] skip = padding == null ? null : new boolean[width];
    for (int s = 0; s < steps; s++) {
      if (padding == null) {
        step.at(s, symbols).pop(m, row);
        System.arraycopy(row, 0, symbols, s * width, width);
        continue;
      }
      step.at(s, symbols).pop(m, row, padding.at(s, skip));
      for (int b = 0; b < width; b++) {
        symbols[s * width + b] = row[b];
        if (skip[b]) {
          padding.fill(s, b, symbols);
        }
      }
    }
    return symbols;
  }
}
