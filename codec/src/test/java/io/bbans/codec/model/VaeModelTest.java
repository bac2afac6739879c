package io.bbans.codec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.image.ImageSet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VaeModelTest {
  static VaeModel pixel;
  static VaeModel binary;

  @BeforeAll
  static void train() {
    pixel = TinyModels.model(Likelihood.PIXEL8);
    binary = TinyModels.model(Likelihood.BERNOULLI);
  }

  @Test
  void trainingLowersTheLoss() {
    ImageSet images = TinyModels.blobs(1000, 2);
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = 4;
    o.batchSize = 50;
    o.learningRate = 3e-3;
    o.progress = null;
    VaeTrainer trainer = new VaeTrainer(TinyModels.architecture(Likelihood.PIXEL8), o);
    trainer.train(images, images.range(0, 200));
    double first = trainer.history().get(0).heldOutBitsPerDim;
    double last = trainer.history().get(3).heldOutBitsPerDim;
    assertTrue(last < first - 0.05, "held-out loss " + first + " -> " + last);
  }

  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void fileRoundTripsExactly(Likelihood likelihood, @TempDir Path dir) throws Exception {
    VaeModel m = likelihood == Likelihood.PIXEL8 ? pixel : binary;
    Path file = dir.resolve("m.bbvae");
    m.save(file);
    VaeModel back = VaeModel.load(file.toString());
    assertArrayEquals(m.bytes(), back.bytes());
    assertEquals(m.sha256(), back.sha256());
    assertEquals("test", back.metadata().get("purpose"));
    assertEquals(m.architecture().toString(), back.architecture().toString());
    ImageSet images = TinyModels.blobs(40, 3);
    if (likelihood == Likelihood.BERNOULLI) {
      images = images.binarize(127);
    }
    int[] x = io.bbans.codec.bitsback.Chain.symbols(images, 0, 40,
        likelihood == Likelihood.BERNOULLI);
    assertArrayEquals(m.quantized().encoderOutput(x, 40), back.quantized().encoderOutput(x, 40));
    assertEquals(m.floating().negativeElboBitsPerDim(images, 1),
        back.floating().negativeElboBitsPerDim(images, 1));
  }

  @Test
  void badFilesFailWithClearMessages() {
    byte[] good = pixel.bytes();
    assertMessage(new byte[0], "wrong magic");
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertMessage(magic, "wrong magic");
    byte[] version = good.clone();
    version[9] = (byte) (VaeModel.VERSION + 1);
    assertMessage(version, "version " + (VaeModel.VERSION + 1));
    for (int length : new int[] {10, 11, 40, good.length / 2, good.length - 33, good.length - 1}) {
      assertMessage(Arrays.copyOf(good, length), "truncated or corrupt");
    }
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 50; i++) {
      byte[] flipped = good.clone();
      int at = 10 + r.nextInt(good.length - 10);
      flipped[at] ^= (byte) (1 << r.nextInt(8));
      assertMessage(flipped, "checksum mismatch");
    }
    assertThrows(ModelFormatException.class, () -> VaeModel.load("no-such-model"));
  }

  private static void assertMessage(byte[] bytes, String part) {
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> VaeModel.read(bytes, "m.bbvae"));
    assertTrue(e.getMessage().contains(part) && e.getMessage().startsWith("m.bbvae"),
        e.getMessage());
  }

  /** The quantised network codes at close to the float network's rate. */
  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void quantisedRateIsCloseToFloat(Likelihood likelihood) {
    VaeModel m = likelihood == Likelihood.PIXEL8 ? pixel : binary;
    ImageSet images = TinyModels.blobs(500, 5);
    if (likelihood == Likelihood.BERNOULLI) {
      images = images.binarize(127);
    }
    double q = CodeLength.bitsPerDim(m.quantized(), images, 50, 1);
    double f = m.floating().negativeElboBitsPerDim(images, 1);
    assertEquals(f, q, 0.02 * f + 0.01, "quantised " + q + " vs float " + f);
  }
}
