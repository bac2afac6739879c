package io.bbans.codec.ans;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A diagonal Gaussian {@code N(mean, scale^2)} per slot, discretised onto {@code 2^bucketBits}
 * buckets of equal mass under the standard normal prior: bucket {@code i} is
 * {@code [Phi^-1(i / 2^b), Phi^-1((i + 1) / 2^b))}. This is the posterior codec of bits-back
 * coding; the prior over the same buckets is {@link Uniform}.
 *
 * <p>Parameters are Q16: {@code mean} is clamped to [-16, 16], {@code logScale} (natural log of
 * the standard deviation) to [-12, 6]. Bucket edges are Q16, Phi is a Q30 table over [-8, 8] in
 * steps of 2^-8 read with integer interpolation.
 */
public final class GaussianBuckets extends Distribution {
  public static final int MAX_BUCKET_BITS = 16;
  static final int MEAN_LIMIT_Q16 = 16 << FixedPoint.Q16_BITS;

  private static final MonotoneTable PHI = new MonotoneTable(StandardNormal::cdf, 8, 8);
  private static final int GUESS_BITS = 12;
  /** Phi^-1((j + 1/2) / 2^12) in Q16: where to start looking for a bucket. */
  private static final int[] PROBIT = MonotoneTable.inverse(StandardNormal::cdf, 8, GUESS_BITS);
  private static final ScaleTable SCALES = new ScaleTable(-12, 6);
  private static final AtomicReferenceArray<int[]> EDGES =
      new AtomicReferenceArray<>(MAX_BUCKET_BITS + 1);
  private static final AtomicReferenceArray<int[]> CENTRES =
      new AtomicReferenceArray<>(MAX_BUCKET_BITS + 1);

  private final int buckets;
  private final int[] edges;
  private final int[] means;
  private final long[] inverseScales;
  private final long[] scales;

  public GaussianBuckets(int bucketBits, int[] meanQ16, int[] logScaleQ16, int precision) {
    this(bucketBits, meanQ16, logScaleQ16, precision, 0);
  }

  public GaussianBuckets(int bucketBits, int[] meanQ16, int[] logScaleQ16, int precision,
      int width) {
    super(precision, 1 << checkBucketBits(bucketBits, precision), meanQ16.length, width);
    checkSlots(logScaleQ16, meanQ16.length, "logScale");
    buckets = 1 << bucketBits;
    edges = edges(bucketBits);
    means = new int[meanQ16.length];
    inverseScales = new long[meanQ16.length];
    scales = new long[meanQ16.length];
    for (int i = 0; i < means.length; i++) {
      means[i] = FixedPoint.clamp(meanQ16[i], -MEAN_LIMIT_Q16, MEAN_LIMIT_Q16);
      inverseScales[i] = SCALES.inverseScale(logScaleQ16[i]);
      scales[i] = SCALES.scale(logScaleQ16[i]);
    }
  }

  private static int checkBucketBits(int bucketBits, int precision) {
    if (bucketBits < 1 || bucketBits > MAX_BUCKET_BITS || bucketBits >= precision) {
      throw new IllegalArgumentException("bucket bits must be in [1, " + MAX_BUCKET_BITS
          + "] and below the precision " + precision + ", got " + bucketBits);
    }
    return bucketBits;
  }

  /** The bucket edges in Q16: element {@code i} is the lower edge of bucket {@code i}. */
  static int[] edges(int bucketBits) {
    int[] cached = EDGES.get(bucketBits);
    if (cached == null) {
      int n = 1 << bucketBits;
      cached = new int[n];
      cached[0] = Integer.MIN_VALUE; // -infinity, never read
      for (int i = 1; i < n; i++) {
        cached[i] = FixedPoint.toQ16(StandardNormal.inverseCdf((double) i / n));
      }
      EDGES.compareAndSet(bucketBits, null, cached);
    }
    return cached;
  }

  /**
   * The centres of the buckets in Q16 (the median of each bucket's prior mass): the latent value
   * a decoder network sees for a decoded bucket. Shared and cached: callers must not modify it.
   */
  public static int[] centresQ16(int bucketBits) {
    if (bucketBits < 1 || bucketBits > MAX_BUCKET_BITS) {
      throw new IllegalArgumentException("bucket bits must be in [1, " + MAX_BUCKET_BITS + "]");
    }
    int[] cached = CENTRES.get(bucketBits);
    if (cached == null) {
      int n = 1 << bucketBits;
      cached = new int[n];
      for (int i = 0; i < n; i++) {
        cached[i] = FixedPoint.toQ16(StandardNormal.inverseCdf((i + 0.5) / n));
      }
      CENTRES.compareAndSet(bucketBits, null, cached);
    }
    return cached;
  }

  @Override
  public int cdf(int slot, int bucket) {
    if (bucket == 0) {
      return 0;
    }
    if (bucket == buckets) {
      return 1 << precision();
    }
    long t = (long) (edges[bucket] - means[slot]) * inverseScales[slot]; // Q32
    return quantisedCdf(bucket, buckets, PHI.at(t), precision());
  }

  /**
   * Starts from the bucket that holds {@code z = mean + scale Phi^-1(cf / 2^p)}, that is
   * {@code floor(Phi(z) 2^b)}, and walks to the exact bucket.
   */
  @Override
  public int symbol(int slot, int cf) {
    int j = (int) (((long) cf << GUESS_BITS) >>> precision());
    long zQ16 = means[slot] + ((scales[slot] * PROBIT[j]) >> FixedPoint.Q16_BITS);
    long phi = PHI.at(zQ16 << FixedPoint.Q16_BITS);
    return walkFrom(slot, cf, (int) ((phi * buckets) >>> FixedPoint.Q30_BITS));
  }
}
