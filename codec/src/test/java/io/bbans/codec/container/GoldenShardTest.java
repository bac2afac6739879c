package io.bbans.codec.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.ForwardPass;
import io.bbans.codec.model.VaeModel;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Shards written with the bundled models (the -v1 ones by model format 1, the others by format
 * 2 with their context heads), committed under
 * {@code src/test/resources/golden}: they must keep decoding to the sample's pixels, and coding
 * the sample again must give the same bytes. A change that breaks old archives fails here.
 */
class GoldenShardTest {
  static final int IMAGES = 24;
  static final int LANES = 8;
  static final long SEED = 20261128;

  @ParameterizedTest
  @CsvSource({"fashion-mnist-v1", "mnist-binary-v1", "fashion-mnist", "mnist", "mnist-binary"})
  void goldenShardsStillDecode(String name) throws Exception {
    VaeModel model = VaeModel.load(name);
    ImageSet images = BundledModelsTest.sample(model.architecture().likelihood()).range(0, IMAGES);
    byte[] golden;
    try (InputStream in = getClass().getResourceAsStream("/golden/" + name + ".shard")) {
      golden = in.readAllBytes();
    }
    assertArrayEquals(images.pixels(), Shard.decode(golden, model, ForwardPass.AUTO).pixels());
    assertArrayEquals(golden, Shard.encode(model, images, LANES, SEED, ForwardPass.AUTO));
  }
}
