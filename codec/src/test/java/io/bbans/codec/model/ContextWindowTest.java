package io.bbans.codec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.ans.Message;
import io.bbans.codec.bitsback.Chain;
import io.bbans.codec.bitsback.Tiles;
import io.bbans.codec.image.ImageSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A context head whose neighbours reach three or four rows up and columns either side (model
 * format 6, {@link Architecture#window}): the window's neighbours, a wider window starting as
 * the narrower one exactly, images of any size back exactly, the file's format.
 */
public class ContextWindowTest {
  static final int T = TileContextTest.T;
  static VaeModel wide;

  /** TileContextTest's models, then one of window 3 trained on from its tile-context one. */
  @BeforeAll
  static void models() {
    TileContextTest.models();
    Architecture a = TileContextTest.framed.architecture().withWindow(3);
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = 4;
    o.progress = null;
    o.init = TileContextTest.framed.floating();
    ImageSet frames = Tiles.framedTiles(TileContextTest.train, a);
    FloatVae f = new VaeTrainer(a, o).train(frames, frames.range(0, 0));
    wide = VaeModel.create(f, Quantizer.quantize(f, frames), Map.of("purpose", "test"));
  }

  @Test
  void eachWindowReadsEveryEarlierPixelWithinItsReach() {
    Architecture base = TinyModels.architecture(Likelihood.PIXEL8, 16, 2);
    assertArrayEquals(Context.OFFSETS, Context.offsets(base));
    for (int w = 3; w <= Architecture.MAX_WINDOW; w++) {
      int[][] offsets = Context.offsets(base.withWindow(w));
      assertEquals(w * (2 * w + 1) + w, offsets.length, "window " + w);
      for (int k = 0; k < Context.OFFSETS.length; k++) {
        assertArrayEquals(Context.OFFSETS[k], offsets[k], "the ten come first, in order");
      }
      Set<String> seen = new HashSet<>();
      for (int[] o : offsets) {
        assertTrue(seen.add(o[0] + "," + o[1]), "twice: " + o[0] + "," + o[1]);
        assertTrue(o[0] < 0 || (o[0] == 0 && o[1] < 0), "not before: " + o[0] + "," + o[1]);
        assertTrue(o[0] >= -w && Math.abs(o[1]) <= w, "beyond the window: " + o[0] + "," + o[1]);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> base.withWindow(5));
    assertThrows(IllegalArgumentException.class, () -> base.withWindow(1));
    Architecture noHead = TinyModels.architecture(Likelihood.PIXEL8, 0, 1);
    assertThrows(IllegalArgumentException.class, () -> noHead.withWindow(3));
    // a frame reaches one tile around at most: tiles at least as large as the window
    assertThrows(IllegalArgumentException.class, () -> new Architecture(2, 2, 1,
        Likelihood.PIXEL8, new int[] {4}, 2, 4, 12, 12, 4, 1, true, 3));
  }

  /** The wider window's added inputs start at zero weight: the same rates before training. */
  @Test
  void aWiderWindowStartsAsTheNarrowerOne() {
    VaeModel narrow = TileContextTest.framed;
    Architecture a = narrow.architecture().withWindow(4);
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = 0;
    o.progress = null;
    o.init = narrow.floating();
    ImageSet frames = Tiles.framedTiles(TileContextTest.test, a);
    FloatVae widened = new VaeTrainer(a, o).train(frames, frames.range(0, 0));
    assertEquals(4, widened.architecture().window());
    assertEquals(Context.inputs(a), widened.head[0].in);
    assertEquals(narrow.floating().negativeElboBitsPerDim(Context.narrowed(
        narrow.architecture(), frames), 3), widened.negativeElboBitsPerDim(frames, 3), 1e-5);
  }

  @Test
  void imagesOfAnySizeComeBackExactlyOnAnyLanes() {
    ImageSet test = TileContextTest.test;
    for (int lanes : new int[] {1, 5, 16}) {
      byte[] shard = ShardCodec.encode(wide, test, lanes, 3 + lanes);
      ImageSet back = ShardCodec.decode(shard, wide); // checks the chain ends at its seed
      assertArrayEquals(test.pixels(), back.pixels(), "lanes " + lanes);
      assertArrayEquals(test.sizes()[0], back.sizes()[0]);
      assertArrayEquals(test.sizes()[1], back.sizes()[1]);
    }
    Message m = Chain.encode(wide.quantized(), test, false, 7, 5, n -> { });
    int[][] sizes = test.sizes();
    assertArrayEquals(test.pixels(),
        Chain.decode(wide.quantized(), m, sizes[0], sizes[1], 0, n -> { }).pixels());
    assertEquals(Message.seeded(7, 5), m);
  }

  /** Without tile context a window still widens the head within the tile (format 6, flag 0). */
  @Test
  void aWindowWithoutTileContextCodesTilesExactly() {
    Architecture a = TinyModels.architecture(Likelihood.PIXEL8, 16, 2).withWindow(3);
    ImageSet tiles = TileContextTest.train.wholeTiles(T, T);
    FloatVae f = TinyModels.train(a, tiles, 3);
    VaeModel m = VaeModel.create(f, Quantizer.quantize(f, tiles), Map.of("purpose", "test"));
    byte[] bytes = m.bytes();
    assertEquals(6, ((bytes[8] & 0xFF) << 8) | (bytes[9] & 0xFF));
    Architecture back = VaeModel.read(bytes, "plain window").architecture();
    assertFalse(back.tileContext());
    assertEquals(3, back.window());
    ImageSet test = TileContextTest.test;
    assertArrayEquals(test.pixels(), ShardCodec.decode(ShardCodec.encode(m, test, 4, 9), m)
        .pixels());
  }

  @Test
  void theModelFileSaysFormatSixAndRefusesABadWindow() {
    byte[] bytes = wide.bytes();
    assertEquals(6, ((bytes[8] & 0xFF) << 8) | (bytes[9] & 0xFF));
    VaeModel back = VaeModel.read(bytes, "wide");
    assertEquals(3, back.architecture().window());
    assertTrue(back.architecture().tileContext());
    assertEquals(wide.sha256(), back.sha256());
    // the window byte follows the tile-context flag: find it as the one byte that differs
    // from the same architecture written with another window
    int at = windowByte(bytes);
    for (int bad : new int[] {0, 2, 5, 255}) {
      byte[] changed = bytes.clone();
      changed[at] = (byte) bad;
      byte[] signed = ContextModelTest.resigned(changed);
      assertThrows(ModelFormatException.class, () -> VaeModel.read(signed, "bad"),
          "window " + bad);
    }
    byte[] flag = bytes.clone();
    flag[at - 1] = 2;
    assertThrows(ModelFormatException.class,
        () -> VaeModel.read(ContextModelTest.resigned(flag), "bad flag"));
  }

  /** The window's byte: the architecture's last, after the tile-context flag (1). */
  private static int windowByte(byte[] bytes) {
    int hidden = ((bytes[19] & 0xFF) << 24) | ((bytes[20] & 0xFF) << 16)
        | ((bytes[21] & 0xFF) << 8) | (bytes[22] & 0xFF);
    // magic 8, version 2, rows 4, cols 4, likelihood 1, count 4, hidden 4 each, latent 4,
    // three precisions 3, context 4, mixture 1, channels 1, tile context 1, window 1
    int at = 8 + 2 + 4 + 4 + 1 + 4 + 4 * hidden + 4 + 3 + 4 + 1 + 1 + 1;
    assertEquals(1, bytes[at - 1], "tile-context flag");
    assertEquals(3, bytes[at], "window");
    return at;
  }
}
