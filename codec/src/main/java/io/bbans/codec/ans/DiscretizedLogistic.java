package io.bbans.codec.ans;

import java.util.function.DoubleUnaryOperator;

/**
 * 8-bit pixels (0..255) under a logistic distribution discretised to unit bins, the edge bins
 * taking the tails (PixelCNN++, Salimans et al. 2017): {@code P(x) = sigma((x + 1/2 - mean) / s)
 * - sigma((x - 1/2 - mean) / s)}.
 *
 * <p>Parameters are Q16 in pixel units: {@code mean} clamped to [-1024, 1280], {@code logScale}
 * (natural log of s) to [-6, 8]. The sigmoid is a Q30 table over [-24, 24] in steps of 2^-8.
 */
public final class DiscretizedLogistic extends Distribution {
  public static final int ALPHABET = 256;
  static final int MEAN_MIN_Q16 = -1024 << FixedPoint.Q16_BITS;
  static final int MEAN_MAX_Q16 = 1280 << FixedPoint.Q16_BITS;

  private static final DoubleUnaryOperator LOGISTIC_CDF = t -> 1 / (1 + StrictMath.exp(-t));
  static final MonotoneTable SIGMOID = new MonotoneTable(LOGISTIC_CDF, 24, 8);
  private static final int GUESS_BITS = 12;
  /** logit((j + 1/2) / 2^12) in Q16: where to start looking for a symbol. */
  private static final int[] LOGIT = MonotoneTable.inverse(LOGISTIC_CDF, 24, GUESS_BITS);
  static final ScaleTable SCALES = new ScaleTable(-6, 8);
  static final int HALF_Q16 = FixedPoint.Q16_ONE / 2;

  private final int[] means;
  private final long[] inverseScales;
  private final long[] scales;

  public DiscretizedLogistic(int[] meanQ16, int[] logScaleQ16, int precision) {
    this(meanQ16, logScaleQ16, precision, 0);
  }

  public DiscretizedLogistic(int[] meanQ16, int[] logScaleQ16, int precision, int width) {
    super(checkPrecision(precision), ALPHABET, meanQ16.length, width);
    checkSlots(logScaleQ16, meanQ16.length, "logScale");
    means = new int[meanQ16.length];
    inverseScales = new long[meanQ16.length];
    scales = new long[meanQ16.length];
    for (int i = 0; i < means.length; i++) {
      means[i] = FixedPoint.clamp(meanQ16[i], MEAN_MIN_Q16, MEAN_MAX_Q16);
      inverseScales[i] = SCALES.inverseScale(logScaleQ16[i]);
      scales[i] = SCALES.scale(logScaleQ16[i]);
    }
  }

  static int checkPrecision(int precision) {
    if (precision <= 8) {
      throw new IllegalArgumentException("8-bit pixels need a precision above 8, got "
          + precision);
    }
    return precision;
  }

  @Override
  public int cdf(int slot, int x) {
    if (x == 0) {
      return 0;
    }
    if (x == ALPHABET) {
      return 1 << precision();
    }
    long t = ((long) (x << FixedPoint.Q16_BITS) - HALF_Q16 - means[slot]) * inverseScales[slot];
    return quantisedCdf(x, ALPHABET, SIGMOID.at(t), precision());
  }

  /** Starts from {@link #guess} and walks to the exact symbol. */
  @Override
  public int symbol(int slot, int cf) {
    return walkFrom(slot, cf, guess(means[slot], scales[slot], cf, precision()));
  }

  /**
   * Where to start looking for the symbol of {@code cf} under a logistic of this mean (Q16,
   * clamped) and scale: {@code mean + 1/2 + s logit(cf / 2^p)}, the inverse of its CDF.
   */
  static int guess(int meanQ16, long scale, int cf, int precision) {
    int j = (int) (((long) cf << GUESS_BITS) >>> precision);
    long xQ16 = meanQ16 + HALF_Q16 + ((scale * LOGIT[j]) >> FixedPoint.Q16_BITS);
    return (int) (xQ16 >> FixedPoint.Q16_BITS);
  }
}
