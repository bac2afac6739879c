package io.bbans.codec.bitsback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ans.Message;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.QuantizedVae;
import io.bbans.codec.model.VaeModel;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The padding of edge tiles is known to both sides, so it is never coded and costs nothing. */
class PaddingTest {
  /** Random-walk images (smooth, as photographs are) of the given sizes. */
  static ImageSet walks(int[] rows, int[] cols, long seed) {
    Random random = new Random(seed);
    long n = 0;
    for (int i = 0; i < rows.length; i++) {
      n += (long) rows[i] * cols[i];
    }
    byte[] pixels = new byte[(int) n];
    int v = 128;
    for (int i = 0; i < pixels.length; i++) {
      v = Math.max(0, Math.min(255, v + random.nextInt(9) - 4));
      pixels[i] = (byte) v;
    }
    return ImageSet.mixed(rows, cols, pixels);
  }

  /**
   * One batch, so that the chain and the code length draw the same latents: the bits the chain
   * adds are the code length of the images' own pixels, and fall short of the code length that
   * counts the padding by the padding's cost (measured: within 10 bits of the
   * former; the padding would cost 18,487 bits with fashion-mnist).
   */
  @ParameterizedTest
  @ValueSource(strings = {"fashion-mnist", "fashion-mnist-v1"})
  void theChainCodesNoPadding(String name) throws Exception {
    QuantizedVae vae = VaeModel.load(name).quantized();
    int[] rows = {29, 1, 55, 13};
    int[] cols = {57, 28, 55, 13};
    ImageSet images = walks(rows, cols, 3);
    Tiles tiles = Tiles.of(images, 28, 28);
    int lanes = (int) tiles.count();
    assertEquals(12, lanes);
    Message m = Chain.encode(vae, images, false, lanes, 11, n -> { });
    double added = (m.flatSize() - Message.seeded(lanes, 11).flatSize()) * 8.0;
    Tiles.Batch batch = tiles.batch(0, lanes);
    int[] x = batch.symbols(images, false);
    double own = sum(CodeLength.bits(vae, x, batch.padding(), lanes, 11));
    double all = sum(CodeLength.bits(vae, x, null, lanes, 11));
    // The first batch's latents are popped off the seeded start, not off earlier images'
    // bits, so it gets none of their bits back: it costs its code length plus -log q(z|x).
    io.bbans.codec.ans.GaussianBuckets q = VaeCodec.posterior(vae, x, lanes);
    int[] z = q.pop(Message.seeded(lanes, 11));
    double posterior = 0;
    for (int i = 0; i < z.length; i++) {
      posterior += q.informationBits(i, z[i]);
    }
    // each lane's head holds up to 64 bits that the flat message counts in full
    assertEquals(own + posterior, added, 64.0 * lanes, name);
    assertTrue(all - own > 2 * 64.0 * lanes, name + ": the padding would cost " + (all - own));
    assertEquals(own / images.pixelCount(),
        CodeLength.bitsPerDim(vae, images, lanes, 11, TileScale.Kind.NONE), 1e-9);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void paddingIsTheNearestPixelOfTheTilesOwnPart(int lanes) {
    ImageSet images = walks(new int[] {2, 30}, new int[] {3, 29}, 1);
    Tiles tiles = Tiles.of(images, 28, 28);
    assertEquals(1 + 4, tiles.count());
    int[] sides = new int[5];
    for (int from = 0; from < 5; from += lanes) {
      int n = Math.min(lanes, 5 - from);
      Tiles.Batch batch = tiles.batch(from, n);
      int[] x = batch.symbols(images, false);
      int[] copy = x.clone();
      Padding padding = batch.padding();
      for (int p = 0; p < 784; p++) {
        for (int b = 0; b < n; b++) {
          if (padding != null && padding.isPadding(p, b)) {
            copy[p * n + b] = -1;
          }
        }
      }
      if (padding != null) {
        padding.fillAll(copy);
      }
      assertArrayEquals(x, copy);
      for (int b = 0; b < n; b++) {
        sides[from + b] = x[(27 * 28 + 27) * n + b];
      }
    }
    // image 0 is 2x3: its tile's pixel (27, 27) copies (1, 2)
    assertEquals(images.pixel(0, 5), sides[0]);
    // image 1's first tile is whole; its last holds its pixel (29, 28) alone
    assertEquals(images.pixel(1, 27 * 29 + 27), sides[1]);
    assertEquals(images.pixel(1, 29 * 29 + 28), sides[4]);
  }

  private static double sum(double[] bits) {
    double s = 0;
    for (double b : bits) {
      s += b;
    }
    return s;
  }
}
