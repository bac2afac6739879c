package io.bbans.codec.model;

/**
 * The integer forward pass that codes: plain Java, the only one since coding needs no native
 * code (issue 17; BENCHMARKS.md has it beside the ND4J pass it replaced). It computes exact
 * integers: every product of a weight (|w| < 2^15) and an activation (|a| < 2^16) is below
 * 2^31 and every sum stays below 2^53, so a product in {@code double} is exact whatever the
 * order of its additions, the SIMD width or the JVM. Kept as a type for the options and APIs
 * that name a pass; {@link #AUTO} is what they defaulted to and means the same.
 */
public enum ForwardPass {
  /** The blocked plain-Java product ({@link IntLayer}). */
  JAVA,
  /** The default: the same pass. */
  AUTO;

  /** The default pass. */
  public static final ForwardPass DEFAULT = AUTO;
}
