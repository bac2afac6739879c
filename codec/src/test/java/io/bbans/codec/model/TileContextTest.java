package io.bbans.codec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.ans.Message;
import io.bbans.codec.bitsback.Chain;
import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.bitsback.Tiles;
import io.bbans.codec.image.ImageSet;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Models whose head reads the neighbouring tiles above and to the left (model format 5): the
 * chain's order lets the decoder meet them first, images of any size come back exactly on any
 * lanes, and reading the neighbours pays.
 */
public class TileContextTest {
  static final int T = TinyModels.SIDE;
  static VaeModel framed;
  static VaeModel plain;
  static ImageSet train;
  static ImageSet test;

  /** Smooth gradients with texture, as large images whose structure crosses tile edges. */
  static ImageSet scenes(int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] rows = new int[count];
    int[] cols = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = 1 + r.nextInt(40);
      cols[i] = 1 + r.nextInt(40);
      double a = r.nextDouble() * 6;
      double b = r.nextDouble() * 6;
      double base = 40 + r.nextDouble() * 100;
      for (int y = 0; y < rows[i]; y++) {
        for (int x = 0; x < cols[i]; x++) {
          double v = base + a * x + b * y + 20 * Math.sin((x + 2 * y) / 3.0) + r.nextGaussian();
          out.write((int) Math.max(0, Math.min(255, Math.round(v))));
        }
      }
    }
    return ImageSet.mixed(rows, cols, out.toByteArray());
  }

  /** Trains the two models once per JVM (ContextWindowTest starts from them too). */
  @BeforeAll
  static void models() {
    if (framed != null) {
      return;
    }
    train = scenes(300, 1);
    test = scenes(40, 2);
    Architecture a = TinyModels.architecture(Likelihood.PIXEL8, 16, 2);
    framed = model(a.withTileContext(true), Tiles.framedTiles(train, a.withTileContext(true)));
    plain = model(a, train.wholeTiles(T, T));
  }

  /** A tile-context model of 8x8 tiles, trained briefly on the frames of scenes. */
  public static VaeModel tinyModel(int context, int mixture) {
    return tinyModel(context, mixture, Architecture.MIN_WINDOW);
  }

  /** {@link #tinyModel(int, int)} with a context window of {@code window} (format 6 if > 2). */
  public static VaeModel tinyModel(int context, int mixture, int window) {
    Architecture a = TinyModels.architecture(Likelihood.PIXEL8, context, mixture)
        .withTileContext(true).withWindow(window);
    return model(a, Tiles.framedTiles(scenes(120, 3), a));
  }

  static VaeModel model(Architecture a, ImageSet tiles) {
    FloatVae f = TinyModels.train(a, tiles, 15);
    return VaeModel.create(f, Quantizer.quantize(f, tiles), Map.of("purpose", "test"));
  }

  @Test
  void imagesOfAnySizeComeBackExactlyOnAnyLanes() {
    for (int lanes : new int[] {1, 3, 16, 64}) {
      byte[] shard = ShardCodec.encode(framed, test, lanes, 11 + lanes);
      ImageSet back = ShardCodec.decode(shard, framed); // checks the chain ends at its seed
      assertArrayEquals(test.pixels(), back.pixels(), "lanes " + lanes);
      assertArrayEquals(test.sizes()[0], back.sizes()[0]);
      assertArrayEquals(test.sizes()[1], back.sizes()[1]);
    }
  }

  @Test
  void theChainLeavesExactlyItsSeed() {
    Message m = Chain.encode(framed.quantized(), test, false, 5, 99, n -> { });
    int[][] sizes = test.sizes();
    ImageSet back = Chain.decode(framed.quantized(), m, sizes[0], sizes[1], 0, n -> { });
    assertArrayEquals(test.pixels(), back.pixels());
    assertEquals(Message.seeded(5, 99), m);
  }

  @Test
  void readingTheNeighbouringTilesPays() {
    double withFrames = CodeLength.bitsPerDim(framed.quantized(), test, 16, 5);
    double without = CodeLength.bitsPerDim(plain.quantized(), test, 16, 5);
    byte[] shard = ShardCodec.encodeCoded(framed, test, 16, 5);
    double coded = shard.length * 8.0 / test.pixelCount();
    assertTrue(withFrames < without - 0.05, withFrames + " vs " + without);
    assertTrue(Math.abs(coded - withFrames) < 0.1 + 2000.0 / test.pixelCount(),
        coded + " coded vs " + withFrames + " measured");
  }

  /**
   * A damaged tile-context shard is a corrupt stream, never another exception: every byte
   * flipped and every truncation of a shard, and the chain's own words changed behind the
   * shard's checksum (the decoder then meets frames of wrong pixels, and the chain does not end
   * at its seed).
   */
  @Test
  void damageIsACorruptStream() {
    ImageSet few = test.range(0, 6);
    byte[] shard = ShardCodec.encode(framed, few, 3, 4);
    for (int at = 0; at < shard.length; at++) {
      byte[] bad = shard.clone();
      bad[at] ^= (byte) 0x5A;
      assertThrows(io.bbans.codec.ans.CorruptStreamException.class,
          () -> ShardCodec.decode(bad, framed), "flip at " + at);
    }
    for (int length = 0; length < shard.length; length += 7) {
      byte[] cut = Arrays.copyOf(shard, length);
      assertThrows(io.bbans.codec.ans.CorruptStreamException.class,
          () -> ShardCodec.decode(cut, framed), "length " + length);
    }
    byte[] words = Chain.encode(framed.quantized(), few, false, 3, 4, n -> { }).flatten();
    int[][] sizes = few.sizes();
    for (int at = 0; at < words.length; at += 5) {
      byte[] bad = words.clone();
      bad[at] ^= (byte) 0x21;
      assertThrows(io.bbans.codec.ans.CorruptStreamException.class,
          () -> Chain.decode(framed.quantized(), Message.unflatten(bad), sizes[0], sizes[1], 0,
              n -> { }), "word byte " + at);
    }
  }

  @Test
  void theDecoderMeetsEveryNeighbourFirst() {
    int[] rows = {40, 8, 17, 1, 64, 9};
    int[] cols = {33, 8, 70, 1, 64, 100};
    Tiles tiles = Tiles.of(rows, cols, T, T);
    for (int lanes : new int[] {1, 4, 16}) {
      Tiles.Schedule s = tiles.schedule(lanes, true);
      // each tile's position in decoding order, by tile id
      int[] decodedAt = new int[(int) tiles.count()];
      Arrays.fill(decodedAt, -1);
      int[] batchOf = new int[decodedAt.length];
      int seen = 0;
      for (int e = s.batches() - 1, k = 0; e >= 0; e--, k++) {
        int[] ids = s.batch(e).ids();
        assertTrue(ids.length >= 1 && ids.length <= lanes);
        for (int id : ids) {
          assertEquals(-1, decodedAt[id], "tile " + id + " twice");
          decodedAt[id] = seen++;
          batchOf[id] = k;
        }
      }
      assertEquals(tiles.count(), seen);
      int first = 0;
      for (int i = 0; i < rows.length; i++) {
        int along = Tiles.across(cols[i], T);
        int down = Tiles.across(rows[i], T);
        for (int r = 0; r < down; r++) {
          for (int c = 0; c < along; c++) {
            int id = first + r * along + c;
            int[][] before = {{r, c - 1}, {r - 1, c - 1}, {r - 1, c}, {r - 1, c + 1}};
            for (int[] n : before) {
              if (n[0] >= 0 && n[1] >= 0 && n[1] < along) {
                assertTrue(batchOf[first + n[0] * along + n[1]] < batchOf[id],
                    "lanes " + lanes + " image " + i + " tile " + r + "," + c);
              }
            }
          }
        }
        first += along * down;
      }
      assertEquals(rows.length, s.imagesCoded(s.batches() - 1));
      assertEquals(rows.length, s.imagesDecoded(0));
    }
  }

  @Test
  void theModelFileSaysFormatFiveAndReadsBack() {
    byte[] bytes = framed.bytes();
    assertEquals(5, ((bytes[8] & 0xFF) << 8) | (bytes[9] & 0xFF));
    VaeModel back = VaeModel.read(bytes, "framed");
    assertTrue(back.architecture().tileContext());
    assertEquals(framed.sha256(), back.sha256());
    byte[] old = plain.bytes();
    assertEquals(3, ((old[8] & 0xFF) << 8) | (old[9] & 0xFF), "older kinds keep their format");
  }

  /** train --context wider than --init's: the wider head starts as the narrower one exactly. */
  @Test
  void aWiderHeadStartsAsTheNarrowerOne() {
    Architecture narrow = framed.architecture();
    Architecture wide = new Architecture(narrow.rows(), narrow.cols(), 1, narrow.likelihood(),
        narrow.hidden(), narrow.latent(), narrow.bucketBits(), narrow.latentPrecision(),
        narrow.pixelPrecision(), 2 * narrow.contextHidden(), narrow.mixture(), true);
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = 0;
    o.progress = null;
    o.init = framed.floating();
    ImageSet frames = Tiles.framedTiles(test, narrow);
    FloatVae widened = new VaeTrainer(wide, o).train(frames, frames.range(0, 0));
    assertEquals(2 * narrow.contextHidden(), widened.head[0].out);
    assertEquals(framed.floating().negativeElboBitsPerDim(frames, 3),
        widened.negativeElboBitsPerDim(frames, 3), 1e-5);
  }

  /**
   * Colour with tile context: the head's W and N of the other channels read the frame too;
   * RGB images of mixed sizes come back exactly.
   */
  @Test
  void colourImagesOfAnySizeComeBackExactly() {
    // colour scenes: the grey scenes' samples read three to a pixel
    ImageSet grey = scenes(400, 6);
    ImageSet rgb = io.bbans.codec.ShardCheck.mixedColour(new ImageSet(1, 1,
        (int) grey.pixelCount(), grey.pixels()));
    ImageSet held = io.bbans.codec.ShardCheck.mixedColour(new ImageSet(1, 1, 30_000,
        Arrays.copyOf(grey.pixels(), 30_000)));
    Architecture a = ColourModelTest.architecture().withTileContext(true);
    VaeModel colour = model(a, Tiles.framedTiles(rgb, a));
    assertEquals(5, colour.bytes()[9]);
    for (int lanes : new int[] {1, 7}) {
      byte[] shard = ShardCodec.encode(colour, held, lanes, 3);
      ImageSet back = ShardCodec.decode(shard, colour);
      assertEquals(3, back.channels());
      assertArrayEquals(held.pixels(), back.pixels(), "lanes " + lanes);
      assertArrayEquals(held.sizes()[0], back.sizes()[0]);
    }
  }

  @Test
  void tileContextNeedsEightBitPixelsAndAHead() {
    assertThrows(IllegalArgumentException.class,
        () -> TinyModels.architecture(Likelihood.PIXEL8, 0).withTileContext(true));
    assertThrows(IllegalArgumentException.class,
        () -> TinyModels.architecture(Likelihood.BERNOULLI, 8).withTileContext(true));
  }
}
