package io.bbans.codec.ans;

/**
 * The standard normal CDF and its inverse, computed with IEEE arithmetic and
 * {@link StrictMath} only, so the results are identical on every JVM. Used to build tables
 * once; nothing on the per-symbol path calls it.
 */
final class StandardNormal {
  private static final double INV_SQRT_2PI = 0.3989422804014327; // 1 / sqrt(2 pi)

  private StandardNormal() {}

  /**
   * Phi(x) by Marsaglia's series (J. Stat. Software 11(4), 2004):
   * {@code Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3*5) + ...)}, absolute error near 1e-15.
   */
  static double cdf(double x) {
    if (x < -12) {
      return 0;
    }
    if (x > 12) {
      return 1;
    }
    double sum = x;
    double term = x;
    double x2 = x * x;
    for (int i = 3; i < 1000; i += 2) {
      term = term * x2 / i;
      double next = sum + term;
      if (next == sum) {
        break;
      }
      sum = next;
    }
    double p = 0.5 + sum * INV_SQRT_2PI * StrictMath.exp(-0.5 * x2);
    return Math.max(0, Math.min(1, p));
  }

  /** Phi^-1(p) for 0 < p < 1, by bisection on {@link #cdf} to the last representable step. */
  static double inverseCdf(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), got " + p);
    }
    double lo = -12;
    double hi = 12;
    for (int i = 0; i < 200; i++) {
      double mid = 0.5 * (lo + hi);
      if (mid == lo || mid == hi) {
        break;
      }
      if (cdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }
}
