package io.bbans.codec.ans;

/**
 * Inverse scales {@code exp(-logScale)} in Q16 for log-scales given in Q16, clamped to
 * {@code [minLog, maxLog]} and quantised to steps of 2^-8. Built once with
 * {@link StrictMath#exp}, so every JVM reads the same integers.
 */
final class ScaleTable {
  static final int STEP_BITS = 8;
  private static final int SHIFT = FixedPoint.Q16_BITS - STEP_BITS;

  private final long[] inverseScales;
  private final long[] scales;
  private final int minQ16;
  private final int maxQ16;

  ScaleTable(int minLog, int maxLog) {
    minQ16 = minLog << FixedPoint.Q16_BITS;
    maxQ16 = maxLog << FixedPoint.Q16_BITS;
    int n = ((maxLog - minLog) << STEP_BITS) + 1;
    inverseScales = new long[n];
    scales = new long[n];
    for (int k = 0; k < n; k++) {
      double logScale = minLog + (double) k / (1 << STEP_BITS);
      inverseScales[k] = Math.round(StrictMath.exp(-logScale) * FixedPoint.Q16_ONE);
      scales[k] = Math.round(StrictMath.exp(logScale) * FixedPoint.Q16_ONE);
    }
  }

  /** {@code exp(-logScale)} in Q16, for {@code logScale} in Q16 (clamped, rounded to 2^-8). */
  long inverseScale(int logScaleQ16) {
    return inverseScales[index(logScaleQ16)];
  }

  /** {@code exp(logScale)} in Q16 at the same grid point; only used for search guesses. */
  long scale(int logScaleQ16) {
    return scales[index(logScaleQ16)];
  }

  private int index(int logScaleQ16) {
    int clamped = FixedPoint.clamp(logScaleQ16, minQ16, maxQ16);
    return (clamped - minQ16 + (1 << (SHIFT - 1))) >> SHIFT;
  }
}
