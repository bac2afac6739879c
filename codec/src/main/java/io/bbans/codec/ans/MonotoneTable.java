package io.bbans.codec.ans;

import java.util.function.DoubleUnaryOperator;

/**
 * A non-decreasing function from the reals to [0, 1], sampled in Q30 at steps of
 * {@code 2^-stepBits} over {@code [-range, range]} and read back with integer linear
 * interpolation; constant beyond the range. The samples are computed once from a function that
 * uses only IEEE arithmetic and {@link StrictMath}, so the table is the same on every JVM and
 * every lookup is exact integer arithmetic.
 */
final class MonotoneTable {
  private static final int ARG_BITS = 32; // arguments are Q32

  private final int[] values;
  private final int fracBits;
  private final long offset;
  private final long end;

  MonotoneTable(DoubleUnaryOperator f, int range, int stepBits) {
    int n = 2 * range * (1 << stepBits) + 1;
    values = new int[n];
    int previous = 0;
    for (int k = 0; k < n; k++) {
      double t = -range + (double) k / (1 << stepBits);
      long q = Math.round(f.applyAsDouble(t) * FixedPoint.Q30_ONE);
      int v = (int) Math.max(previous, Math.min(FixedPoint.Q30_ONE, q));
      values[k] = v;
      previous = v;
    }
    fracBits = ARG_BITS - stepBits;
    offset = (long) range << ARG_BITS;
    end = (long) (n - 1) << fracBits;
  }

  /** F(t) in Q30 for {@code t} in Q32; |t| must stay below 2^62. */
  int at(long tQ32) {
    long u = tQ32 + offset;
    if (u <= 0) {
      return values[0];
    }
    if (u >= end) {
      return values[values.length - 1];
    }
    int k = (int) (u >>> fracBits);
    long frac = u & ((1L << fracBits) - 1);
    return values[k] + (int) (((long) (values[k + 1] - values[k]) * frac) >>> fracBits);
  }

  /**
   * An approximate inverse: the argument in Q16 where F reaches {@code (j + 1/2) / 2^bits}, for
   * each {@code j}, found by bisection on {@code f}. Only ever used as a starting guess.
   */
  static int[] inverse(DoubleUnaryOperator f, int range, int bits) {
    int n = 1 << bits;
    int[] inverse = new int[n];
    for (int j = 0; j < n; j++) {
      double target = (j + 0.5) / n;
      double lo = -range;
      double hi = range;
      for (int i = 0; i < 60; i++) {
        double mid = 0.5 * (lo + hi);
        if (f.applyAsDouble(mid) < target) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      inverse[j] = FixedPoint.toQ16(0.5 * (lo + hi));
    }
    return inverse;
  }

  /** The first argument, in Q32, from which the table is constant at its top value. */
  long upperEndQ32() {
    return end - offset;
  }

  /** The last argument, in Q32, up to which the table is constant at its bottom value. */
  long lowerEndQ32() {
    return -offset;
  }
}
