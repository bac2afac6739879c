package io.bbans.codec.model;

/**
 * Which kernels compute the integer network's products: the vector kernels
 * ({@link VectorKernels}, the JDK's Vector API) where the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the launcher and the tests do), else the scalar
 * loops of {@link IntLayer}, which are the reference. Both give the same integers, so a shard is
 * the same bytes whichever coded it and decodes with either.
 *
 * <p>{@code -Dbbans.vector=false} forces the scalar loops (to compare them, or should a JVM's
 * Vector API be slow where it is not compiled to vector instructions).
 */
public final class Kernels {
  /** Whether the vector kernels run in this JVM. */
  static final boolean VECTOR = vectorWanted();

  private Kernels() {}

  private static boolean vectorWanted() {
    boolean off = System.getProperty("bbans.vector", "").trim().equalsIgnoreCase("false");
    return !off && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** Whether the vector kernels run in this JVM. */
  public static boolean vector() {
    return VECTOR;
  }

  /**
   * The kernels in words, for benchmarks and logs: "vector kernels (4 doubles)" or "scalar
   * kernels".
   */
  public static String describe() {
    return VECTOR ? "vector kernels (" + VectorKernels.lanes() + " doubles)" : "scalar kernels";
  }
}
