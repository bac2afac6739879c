package io.bbans.codec.ans;

/**
 * Fixed-point formats of the parameters that select a quantised distribution. A parameter
 * {@code v} in Q16 is the real number {@code v / 2^16}; probabilities inside the tables are Q30.
 * The integer network that drives the codecs produces its outputs in these formats, so that no
 * floating-point result ever decides a frequency.
 */
public final class FixedPoint {
  /** Fraction bits of a Q16 parameter (means and log-scales). */
  public static final int Q16_BITS = 16;
  /** 1.0 in Q16. */
  public static final int Q16_ONE = 1 << Q16_BITS;
  /** Fraction bits of table probabilities. */
  static final int Q30_BITS = 30;
  /** Probability 1 in Q30. */
  static final int Q30_ONE = 1 << Q30_BITS;

  private FixedPoint() {}

  /** The Q16 value nearest to {@code value} (for tests and for quantising model outputs). */
  public static int toQ16(double value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
        Math.round(value * Q16_ONE)));
  }

  /** {@code value} limited to [min, max]. */
  public static int clamp(int value, int min, int max) {
    return value < min ? min : Math.min(value, max);
  }
}
