package io.bbans.codec.ans;

import java.util.Arrays;

/** One categorical distribution, given by integer frequencies, shared by all slots. */
public final class Categorical extends Distribution {
  private final int[] cumulative;

  /**
   * @param frequencies one per symbol, each at least 1, summing to exactly {@code 2^precision}
   */
  public Categorical(int[] frequencies, int precision, int slots, int width) {
    super(precision, frequencies.length, slots, width);
    cumulative = new int[frequencies.length + 1];
    long sum = 0;
    for (int k = 0; k < frequencies.length; k++) {
      if (frequencies[k] < 1) {
        throw new IllegalArgumentException("frequency of symbol " + k + " is " + frequencies[k]
            + "; every symbol needs at least 1");
      }
      sum += frequencies[k];
      if (sum > (1L << precision)) {
        break;
      }
      cumulative[k + 1] = (int) sum;
    }
    if (sum != (1L << precision)) {
      throw new IllegalArgumentException("frequencies sum to " + (sum > (1L << precision)
          ? "more than 2^" + precision : sum) + ", not 2^" + precision);
    }
  }

  public Categorical(int[] frequencies, int precision, int slots) {
    this(frequencies, precision, slots, 0);
  }

  /**
   * Quantises non-negative weights (not all zero) to frequencies at {@code precision} bits with
   * the shared rule of {@link Distribution}: every symbol keeps at least 1. Deterministic: plain
   * IEEE sums and products only.
   */
  public static int[] quantise(double[] weights, int precision) {
    Message.checkPrecision(precision);
    int k = weights.length;
    if (k == 0 || k > (1 << precision)) {
      throw new IllegalArgumentException(k + " symbols do not fit " + precision + " bits");
    }
    double total = 0;
    for (double w : weights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weights must be finite and non-negative: " + w);
      }
      total += w;
    }
    if (!(total > 0) || Double.isInfinite(total)) {
      throw new IllegalArgumentException("weights must have a finite positive sum");
    }
    int[] frequencies = new int[k];
    double running = 0;
    int previous = 0;
    for (int s = 0; s < k; s++) {
      running += weights[s];
      long q30 = s == k - 1 ? FixedPoint.Q30_ONE
          : Math.min(FixedPoint.Q30_ONE, (long) Math.floor(running / total * FixedPoint.Q30_ONE));
      int next = quantisedCdf(s + 1, k, q30, precision);
      frequencies[s] = next - previous;
      previous = next;
    }
    return frequencies;
  }

  @Override
  public int cdf(int slot, int symbol) {
    return cumulative[symbol];
  }

  @Override
  public int symbol(int slot, int cf) {
    int i = Arrays.binarySearch(cumulative, cf);
    return i >= 0 ? i : -i - 2;
  }
}
