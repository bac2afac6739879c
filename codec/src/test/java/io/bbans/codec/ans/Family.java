package io.bbans.codec.ans;

import java.util.SplittableRandom;

/** The distribution families under test, with typical and extreme parameters. */
enum Family {
  UNIFORM(1), CATEGORICAL(1), BERNOULLI(1), GAUSSIAN(2), LOGISTIC(9), BETA_BINOMIAL(9),
  MIXTURE(9);

  final int minPrecision;

  Family(int minPrecision) {
    this.minPrecision = minPrecision;
  }

  /** A distribution of this family with {@code slots} slots and parameters drawn from r. */
  Distribution make(int slots, int precision, SplittableRandom r, boolean extreme) {
    switch (this) {
      case UNIFORM:
        return new Uniform(Math.min(precision, 16), slots);
      case CATEGORICAL: {
        int k = extreme ? 2 + r.nextInt(Math.min(1 << precision, 300) - 1)
            : Math.min(1 << precision, 1 + r.nextInt(12));
        double[] weights = new double[k];
        for (int s = 0; s < k; s++) {
          weights[s] = extreme ? (s == 0 ? 1e300 : 0) : r.nextDouble();
        }
        return new Categorical(Categorical.quantise(weights, precision), precision, slots);
      }
      case BERNOULLI: {
        int[] ones = new int[slots];
        for (int i = 0; i < slots; i++) {
          ones[i] = extreme ? (r.nextBoolean() ? -5 : Integer.MAX_VALUE)
              : Bernoulli.oneFrequency(r.nextDouble(), precision);
        }
        return new Bernoulli(ones, precision);
      }
      case GAUSSIAN: {
        int bits = 1 + r.nextInt(Math.min(precision - 1, 10));
        int[] mean = new int[slots];
        int[] logScale = new int[slots];
        for (int i = 0; i < slots; i++) {
          mean[i] = extreme ? pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE, FixedPoint.toQ16(9))
              : FixedPoint.toQ16(r.nextGaussian());
          logScale[i] = extreme ? pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE, 0)
              : FixedPoint.toQ16(-4 * r.nextDouble());
        }
        return new GaussianBuckets(bits, mean, logScale, precision);
      }
      case LOGISTIC: {
        int[] mean = new int[slots];
        int[] logScale = new int[slots];
        for (int i = 0; i < slots; i++) {
          mean[i] = extreme ? pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE, FixedPoint.toQ16(255))
              : FixedPoint.toQ16(r.nextDouble() * 255);
          logScale[i] = extreme ? pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE,
              FixedPoint.toQ16(-6)) : FixedPoint.toQ16(r.nextDouble() * 5 - 1.5);
        }
        return new DiscretizedLogistic(mean, logScale, precision);
      }
      case BETA_BINOMIAL: {
        int[] a = new int[slots];
        int[] b = new int[slots];
        for (int i = 0; i < slots; i++) {
          a[i] = extreme ? pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE, FixedPoint.toQ16(8))
              : FixedPoint.toQ16(r.nextDouble() * 6 - 2);
          b[i] = extreme ? pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE, FixedPoint.toQ16(-4))
              : FixedPoint.toQ16(r.nextDouble() * 6 - 2);
        }
        return new BetaBinomial(a, b, precision);
      }
      case MIXTURE: {
        int k = extreme ? 1 + r.nextInt(LogisticMixture.MAX_COMPONENTS) : 2 + r.nextInt(3);
        int[][] mean = new int[k][slots];
        int[][] logScale = new int[k][slots];
        int[][] weight = new int[k][slots];
        for (int c = 0; c < k; c++) {
          for (int i = 0; i < slots; i++) {
            mean[c][i] = extreme ? pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE,
                FixedPoint.toQ16(c * 80)) : FixedPoint.toQ16(r.nextDouble() * 255);
            logScale[c][i] = extreme ? pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE,
                FixedPoint.toQ16(-6)) : FixedPoint.toQ16(r.nextDouble() * 5 - 1.5);
            weight[c][i] = extreme ? pick(r, Integer.MIN_VALUE, Integer.MAX_VALUE, 0)
                : FixedPoint.toQ16(r.nextGaussian() * 3);
          }
        }
        return new LogisticMixture(mean, logScale, weight, precision, 0);
      }
      default:
        throw new AssertionError(this);
    }
  }

  private static int pick(SplittableRandom r, int a, int b, int c) {
    int i = r.nextInt(3);
    return i == 0 ? a : i == 1 ? b : c;
  }
}
