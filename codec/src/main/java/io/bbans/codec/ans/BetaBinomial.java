package io.bbans.codec.ans;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * 8-bit pixels (0..255) under a beta-binomial distribution with n = 255, the observation model
 * of BB-ANS (Townsend et al. 2019): {@code P(k) = C(n, k) B(k + alpha, n - k + beta) / B(alpha,
 * beta)}.
 *
 * <p>Parameters are the natural logs of alpha and beta in Q16, clamped to [-4, 8] and rounded to
 * a grid of 2^-3. Each grid point's quantised table is computed once per precision, on first
 * use, from the ratio recursion {@code P(k+1)/P(k) = (n-k)(k+alpha) / ((k+1)(n-k-1+beta))} with
 * IEEE arithmetic and {@link StrictMath} only: the same integers on every JVM, whoever builds
 * them.
 */
public final class BetaBinomial extends Distribution {
  public static final int ALPHABET = 256;
  static final int LOG_MIN = -4;
  static final int LOG_MAX = 8;
  static final int GRID_BITS = 3;
  private static final int GRID = ((LOG_MAX - LOG_MIN) << GRID_BITS) + 1;
  private static final int SHIFT = FixedPoint.Q16_BITS - GRID_BITS;
  /** A table holds the 257 quantised cumulative frequencies, then a guide of 2^8 entries. */
  private static final int GUIDE_BITS = 8;
  private static final int GUIDE_AT = ALPHABET + 1;
  /** Tables by precision, then by grid point; filled lazily, racing builders agree. */
  private static final AtomicReferenceArray<AtomicReferenceArray<int[]>> TABLES =
      new AtomicReferenceArray<>(Message.MAX_PRECISION + 1);

  private final int[][] tables;

  public BetaBinomial(int[] logAlphaQ16, int[] logBetaQ16, int precision) {
    this(logAlphaQ16, logBetaQ16, precision, 0);
  }

  public BetaBinomial(int[] logAlphaQ16, int[] logBetaQ16, int precision, int width) {
    super(DiscretizedLogistic.checkPrecision(precision), ALPHABET, logAlphaQ16.length, width);
    checkSlots(logBetaQ16, logAlphaQ16.length, "logBeta");
    tables = new int[logAlphaQ16.length][];
    for (int i = 0; i < tables.length; i++) {
      tables[i] = table(gridIndex(logAlphaQ16[i]), gridIndex(logBetaQ16[i]), precision);
    }
  }

  private static int gridIndex(int logQ16) {
    int min = LOG_MIN << FixedPoint.Q16_BITS;
    int clamped = FixedPoint.clamp(logQ16, min, LOG_MAX << FixedPoint.Q16_BITS);
    return (clamped - min + (1 << (SHIFT - 1))) >> SHIFT;
  }

  private static int[] table(int alphaIndex, int betaIndex, int precision) {
    AtomicReferenceArray<int[]> byGrid = TABLES.get(precision);
    if (byGrid == null) {
      TABLES.compareAndSet(precision, null, new AtomicReferenceArray<>(GRID * GRID));
      byGrid = TABLES.get(precision);
    }
    int key = alphaIndex * GRID + betaIndex;
    int[] table = byGrid.get(key);
    if (table == null) {
      table = build(StrictMath.exp(LOG_MIN + (double) alphaIndex / (1 << GRID_BITS)),
          StrictMath.exp(LOG_MIN + (double) betaIndex / (1 << GRID_BITS)), precision);
      byGrid.compareAndSet(key, null, table);
    }
    return table;
  }

  /**
   * The quantised cumulative frequencies of 0..256 at {@code precision}, followed by the guide:
   * entry j is the symbol whose interval holds the slot {@code j << (precision - 8)}.
   */
  static int[] build(double alpha, double beta, int precision) {
    int n = ALPHABET - 1;
    double[] logP = new double[ALPHABET];
    double max = 0;
    for (int k = 0; k < n; k++) {
      logP[k + 1] = logP[k] + StrictMath.log((n - k) * (k + alpha))
          - StrictMath.log((k + 1) * (n - k - 1 + beta));
      max = Math.max(max, logP[k + 1]);
    }
    double[] p = new double[ALPHABET];
    double total = 0;
    for (int k = 0; k < ALPHABET; k++) {
      p[k] = StrictMath.exp(logP[k] - max);
      total += p[k];
    }
    int[] table = new int[GUIDE_AT + (1 << GUIDE_BITS)];
    double running = 0;
    for (int k = 1; k < ALPHABET; k++) {
      running += p[k - 1];
      long q30 = Math.min(FixedPoint.Q30_ONE, (long) Math.floor(running / total
          * FixedPoint.Q30_ONE));
      table[k] = quantisedCdf(k, ALPHABET, q30, precision);
    }
    table[ALPHABET] = 1 << precision;
    int symbol = 0;
    for (int j = 0; j < 1 << GUIDE_BITS; j++) {
      int cf = j << (precision - GUIDE_BITS);
      while (table[symbol + 1] <= cf) {
        symbol++;
      }
      table[GUIDE_AT + j] = symbol;
    }
    return table;
  }

  @Override
  public int cdf(int slot, int k) {
    return tables[slot][k];
  }

  /** Starts from the guide entry at or below {@code cf} and walks up to the exact symbol. */
  @Override
  public int symbol(int slot, int cf) {
    int[] table = tables[slot];
    int s = table[GUIDE_AT + (cf >>> (precision() - GUIDE_BITS))];
    while (table[s + 1] <= cf) {
      s++;
    }
    return s;
  }
}
