package io.bbans.codec.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.ans.Message;
import io.bbans.codec.bitsback.Chain;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.VaeModel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Images of any size: cut into tiles of the model's size, the padding of edge tiles not coded,
 * each image back with its own height and width (shard versions 3 and 4).
 */
class TiledShardTest {
  /** Heights and widths around the 28x28 tile: smaller, equal, one more, several tiles. */
  static final int[][] SIZES = {{1, 1}, {3, 50}, {28, 28}, {29, 29}, {57, 30}, {100, 7},
      {28, 29}, {27, 56}, {64, 64}, {2, 2}, {28, 28}, {45, 90}};

  /** Crops of a mosaic of the bundled sample's 28x28 images: real content across tile edges. */
  static ImageSet crops(int[][] sizes, boolean binary, long seed) throws Exception {
    ImageSet sample = BundledModelsTest.sample(binary ? Likelihood.BERNOULLI : Likelihood.PIXEL8);
    int side = 8 * 28;
    byte[] mosaic = new byte[side * side];
    for (int k = 0; k < 64; k++) {
      for (int r = 0; r < 28; r++) {
        for (int c = 0; c < 28; c++) {
          mosaic[(k / 8 * 28 + r) * side + k % 8 * 28 + c] = (byte) sample.pixel(k, r * 28 + c);
        }
      }
    }
    Random random = new Random(seed);
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    int[] rows = new int[sizes.length];
    int[] cols = new int[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      rows[i] = sizes[i][0];
      cols[i] = sizes[i][1];
      int top = random.nextInt(side - rows[i] + 1);
      int left = random.nextInt(side - cols[i] + 1);
      for (int r = 0; r < rows[i]; r++) {
        pixels.write(mosaic, (top + r) * side + left, cols[i]);
      }
    }
    return ImageSet.mixed(rows, cols, pixels.toByteArray());
  }

  @ParameterizedTest
  @ValueSource(strings = {"fashion-mnist", "fashion-mnist-v1", "fashion-mnist-v2", "mnist-binary",
      "mnist-binary-v1"})
  void imagesOfMixedSizesComeBackExactlyOnAnyLanes(String name) throws Exception {
    VaeModel model = VaeModel.load(name);
    boolean binary = model.architecture().likelihood() == Likelihood.BERNOULLI;
    ImageSet images = crops(SIZES, binary, 3);
    assertFalse(images.uniform());
    for (int lanes : new int[] {1, 3, 16}) {
      byte[] shard = ShardCodec.encode(model, images, lanes, 7 + lanes);
      ShardHeader h = Shard.read(shard);
      assertTrue(Shard.isTiled(h), name);
      boolean settings = io.bbans.codec.bitsback.TileScale.applies(model.architecture());
      assertEquals(binary ? h.version() : settings ? Shard.TILED_FEEDBACK : Shard.TILED,
          h.version(), "8-bit crops are coded, with each tile's setting where the"
          + " model has a context head");
      assertEquals(images.pixelCount(), h.pixels());
      ImageSet back = ShardCodec.decode(shard, model);
      assertArrayEquals(images.pixels(), back.pixels(), name + " lanes " + lanes);
      assertArrayEquals(images.sizes()[0], back.sizes()[0]);
      assertArrayEquals(images.sizes()[1], back.sizes()[1]);
    }
  }

  /** The chain alone: decoding leaves exactly the seeded message it began from. */
  @ParameterizedTest
  @ValueSource(strings = {"fashion-mnist", "fashion-mnist-v1"})
  void theChainEndsWhereItBegan(String name) throws Exception {
    VaeModel model = VaeModel.load(name);
    ImageSet images = crops(new int[][] {{29, 57}, {28, 1}, {1, 28}, {55, 55}, {30, 30},
        {80, 33}, {13, 13}, {28, 28}}, false, 5);
    for (int lanes : new int[] {1, 5}) {
      Message m = Chain.encode(model.quantized(), images, false, lanes, 11, n -> { });
      int[][] sizes = images.sizes();
      int[] told = new int[1];
      ImageSet back = Chain.decode(model.quantized(), m, sizes[0], sizes[1], 0,
          n -> told[0] += n);
      assertArrayEquals(images.pixels(), back.pixels());
      assertEquals(Message.seeded(lanes, 11), m, "the message left is the seeded start");
      assertEquals(images.count(), told[0], "progress counts every image once");
    }
  }

  @Test
  void imagesOfTheModelsSizeAreStillVersionOneAndOneOtherSizeIsOneRun() throws Exception {
    VaeModel model = VaeModel.load("fashion-mnist");
    ImageSet own = BundledModelsTest.sample(Likelihood.PIXEL8).range(0, 20);
    assertEquals(Shard.VERSION, Shard.read(ShardCodec.encode(model, own, 4, 1)).version());
    int[][] same = new int[20][];
    Arrays.fill(same, new int[] {40, 33});
    ImageSet other = crops(same, false, 9);
    assertTrue(other.uniform());
    byte[] shard = ShardCodec.encode(model, other, 4, 1);
    ShardHeader h = Shard.read(shard);
    assertEquals(Shard.TILED_FEEDBACK, h.version());
    assertEquals(Shard.HEADER_BYTES + 3, h.bodyOffset(), "one run: 20, 40, 33 as three bytes");
    assertArrayEquals(other.pixels(), ShardCodec.decode(shard, model).pixels());
  }

  @Test
  void noiseOfMixedSizesIsStoredAndComesBack() throws Exception {
    VaeModel model = VaeModel.load("fashion-mnist");
    Random random = new Random(1);
    int[] rows = {5, 31, 2};
    int[] cols = {40, 3, 2};
    byte[] pixels = new byte[5 * 40 + 31 * 3 + 4];
    random.nextBytes(pixels);
    ImageSet noise = ImageSet.mixed(rows, cols, pixels);
    byte[] shard = ShardCodec.encode(model, noise, 2, 1);
    assertEquals(Shard.TILED_STORED, Shard.read(shard).version());
    assertEquals(Shard.HEADER_BYTES + 9 + pixels.length + 32, shard.length);
    assertArrayEquals(pixels, ShardCodec.decode(shard, model).pixels());
  }

  /** Sizes no writer makes are refused, with the checksum right, naming the byte. */
  @Test
  void hostileSizeTablesAreRefused() {
    String sha = "00".repeat(32);
    byte[][] tables = {
        {},                                  // no sizes at all
        {2, 5},                              // truncated run
        {0, 5, 5, 2, 5, 5},                  // an empty run
        {1, 5, 5, 1, 5, 5},                  // two runs of one size (not canonical)
        {2, 0, 5},                           // a side of 0
        {2, (byte) 0x80, (byte) 0x80, 4, 5}, // a side of 65,536
        {2, 5, (byte) 0x85, 0},              // a varint with a needless zero byte
        {3, 5, 5},                           // more images than the header's two
        {2, (byte) 0xFF, (byte) 0xFF, 3, (byte) 0xFF, (byte) 0xFF, 3}, // 2^32 pixels
    };
    for (byte[] table : tables) {
      byte[] shard = Shard.write(Shard.TILED, sha, 28, 28, 2, 1, 1, Likelihood.PIXEL8, 0, table);
      CorruptStreamException e = assertThrows(CorruptStreamException.class,
          () -> Shard.read(shard), Arrays.toString(table));
      assertTrue(e.getMessage().contains("size") || e.getMessage().contains("varint")
          || e.getMessage().contains("pixels"), e.getMessage());
    }
    byte[] stored = Shard.write(Shard.TILED_STORED, sha, 28, 28, 2, 1, 1, Likelihood.PIXEL8, 0,
        new byte[] {2, 2, 2, 1, 2, 3});
    assertThrows(CorruptStreamException.class, () -> Shard.read(stored), "8 pixels, 3 bytes");
  }

  @Test
  void everyFlippedByteAndTruncationOfATiledShardIsRefused() throws Exception {
    VaeModel model = VaeModel.load("fashion-mnist");
    ImageSet images = crops(new int[][] {{30, 31}, {5, 5}}, false, 2);
    byte[] shard = ShardCodec.encode(model, images, 2, 1);
    for (int i = 0; i < shard.length; i += Math.max(1, shard.length / 200)) {
      byte[] bad = shard.clone();
      bad[i] ^= 0x10;
      assertThrows(RuntimeException.class, () -> ShardCodec.decode(bad, model), "byte " + i);
    }
    for (int n : new int[] {0, 10, Shard.HEADER_BYTES + 2, shard.length - 1}) {
      assertThrows(CorruptStreamException.class,
          () -> ShardCodec.decode(Arrays.copyOf(shard, n), model), "truncated to " + n);
    }
  }
}
