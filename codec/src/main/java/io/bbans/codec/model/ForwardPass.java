package io.bbans.codec.model;

/**
 * The two implementations of the integer forward pass. Both compute the same exact integers:
 * every product of a weight (|w| < 2^15) and an activation (|a| < 2^16) is below 2^31 and every
 * sum stays below 2^53, so a matrix product in {@code double} is exact whatever the order of
 * its additions, the SIMD width, the BLAS build or the thread count.
 */
public enum ForwardPass {
  /** A plain Java loop (axpy over the output row, skipping zero inputs). */
  JAVA,
  /** ND4J's BLAS matrix product on double arrays holding the integers. */
  ND4J,
  /**
   * The faster of the two for the batch size (BENCHMARKS.md): ND4J from {@link #ND4J_FROM_BATCH}
   * images up, where BLAS pays for its call overhead, the Java loop below.
   */
  AUTO;

  /** The default pass. */
  public static final ForwardPass DEFAULT = AUTO;
  static final int ND4J_FROM_BATCH = 16;

  /** The pass that runs for {@code batch} images. */
  ForwardPass resolve(int batch) {
    return this != AUTO ? this : batch >= ND4J_FROM_BATCH ? ND4J : JAVA;
  }
}
