package io.bbans.codec.bitsback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.ans.Message;
import io.bbans.codec.container.BundledModelsTest;
import io.bbans.codec.container.GoldenShardTest;
import io.bbans.codec.container.Shard;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.VaeModel;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each tile's setting (shard version 5) and its error feedback (version 6, {@link Feedback}):
 * exact on any lanes with the chain back at its seed, the encoder's pick never worse than no
 * offset, smaller shards on photographs, and damage or a model that cannot read the settings
 * refused as a corrupt stream.
 */
public class TileScaleTest {
  private static VaeModel photo;
  /** The colour sample's six crops of mixed sizes as luma, and its 17 blocks cut into crops. */
  private static ImageSet crops;

  @BeforeAll
  static void load() throws Exception {
    photo = VaeModel.load("grayscale-photo");
    ImageSet colour = GoldenShardTest.colourSample();
    ImageSet luma = BundledModelsTest.luma(colour);
    int[] rows = {45, 32, 7, 61, 32, 1, 33};
    int[] cols = {50, 32, 90, 20, 17, 64, 31};
    java.util.List<ImageSet> parts = new java.util.ArrayList<>();
    parts.add(luma.range(17, luma.count()));
    long at = 0;
    byte[] blocks = Arrays.copyOf(luma.pixels(), 17 * 32 * 32);
    for (int i = 0; i < rows.length; i++) {
      int n = rows[i] * cols[i];
      parts.add(ImageSet.mixed(new int[] {rows[i]}, new int[] {cols[i]},
          Arrays.copyOfRange(blocks, (int) at, (int) at + n)));
      at += n;
    }
    crops = ImageSet.concat(parts);
    assertFalse(crops.uniform());
  }

  @Test
  void appliesToEightBitContextModelsOfLargeEnoughTiles() throws Exception {
    assertTrue(TileScale.applies(photo.architecture()));
    assertTrue(TileScale.applies(VaeModel.load("colour").architecture()));
    assertTrue(TileScale.applies(VaeModel.load("fashion-mnist").architecture()));
    assertFalse(TileScale.applies(VaeModel.load("fashion-mnist-v1").architecture()),
        "no context head");
    assertFalse(TileScale.applies(VaeModel.load("mnist-binary").architecture()), "bits");
  }

  @Test
  void exactOnAnyLanesAndTheChainEndsAtItsSeed() {
    int[][] sizes = crops.sizes();
    for (TileScale.Kind kind : new TileScale.Kind[] {TileScale.Kind.SCALE,
        TileScale.Kind.FEEDBACK}) {
      for (int lanes : new int[] {1, 5, 16}) {
        Message m = Chain.encode(photo.quantized(), crops, false, lanes, 40 + lanes, kind,
            n -> { });
        Message back = Message.unflatten(m.flatten());
        ImageSet decoded = Chain.decode(photo.quantized(), back, sizes[0], sizes[1], 0, kind,
            n -> { });
        assertArrayEquals(crops.pixels(), decoded.pixels(), kind + ", lanes " + lanes);
        assertEquals(Message.seeded(lanes, 40 + lanes), back, "the leftover message is the"
            + " seed");
      }
    }
  }

  /**
   * One logistic (no sharpness) codes its feedback strengths in bits 6..9 of a 10-bit setting:
   * exact, and every setting the search can pick fits those bits.
   */
  @Test
  void oneLogisticCodesItsFeedbackExactly() throws Exception {
    VaeModel one = VaeModel.load("fashion-mnist-v2");
    assertEquals(1, one.architecture().outputs().components());
    assertTrue(TileScale.applies(one.architecture()));
    assertEquals(10, TileScale.bits(one.architecture(), TileScale.Kind.FEEDBACK));
    int[][] sizes = crops.sizes();
    byte[] words = Chain.encode(one.quantized(), crops, false, 7, 2, TileScale.Kind.FEEDBACK,
        n -> { }).flatten();
    Message back = Message.unflatten(words);
    assertArrayEquals(crops.pixels(), Chain.decode(one.quantized(), back, sizes[0], sizes[1], 0,
        TileScale.Kind.FEEDBACK, n -> { }).pixels());
    assertEquals(Message.seeded(7, 2), back);
    var a = one.architecture();
    for (int s : new int[] {TileScale.setting(15, 3, 0, 3, 3), TileScale.setting(0, 0, 0, 1, 2),
        TileScale.NONE}) {
      int v = TileScale.packed(a, s);
      assertTrue(v >= 0 && v < 1 << 10, "setting " + s);
      assertEquals(s, TileScale.unpacked(a, v));
    }
  }

  @Test
  void theScalesPayOnPhotographs() {
    byte[] plain = ShardCodec.encodeCoded(photo, crops, 8, 3, TileScale.Kind.NONE);
    byte[] scaled = ShardCodec.encodeCoded(photo, crops, 8, 3, TileScale.Kind.SCALE);
    byte[] fed = ShardCodec.encodeCoded(photo, crops, 8, 3);
    assertEquals(Shard.TILED, Shard.read(plain).version());
    assertEquals(Shard.TILED_SCALED, Shard.read(scaled).version());
    assertEquals(Shard.TILED_FEEDBACK, Shard.read(fed).version());
    assertArrayEquals(crops.pixels(), ShardCodec.decode(fed, photo).pixels());
    assertArrayEquals(crops.pixels(), ShardCodec.decode(scaled, photo).pixels());
    assertArrayEquals(crops.pixels(), ShardCodec.decode(plain, photo).pixels());
    // the bundled model is too unsure on these smooth photographs: the settings take off 3%
    // or more (their own cost, 8 bits a tile, included), and the feedback more again
    assertTrue(scaled.length < 0.97 * plain.length, scaled.length + " vs " + plain.length);
    assertTrue(fed.length < 0.99 * scaled.length, fed.length + " vs " + scaled.length);
  }

  /** The code length measured without a message is what the shard of scaled tiles costs. */
  @Test
  void theMeasuredRateCountsTheScales() {
    byte[] scaled = ShardCodec.encodeCoded(photo, crops, 8, 3);
    double coded = scaled.length * 8.0 / crops.pixelCount();
    double measured = CodeLength.bitsPerDim(photo.quantized(), crops, 8, 3);
    // the shard adds its header, the sizes and about 350 bits and 8 bytes a lane
    double overhead = (8 * (Shard.HEADER_BYTES + 32 + 40) + 8 * (350 + 64.0))
        / crops.pixelCount();
    assertTrue(measured < coded && coded < measured + overhead,
        coded + " coded vs " + measured + " measured");
    byte[] plain = ShardCodec.encodeCoded(photo, crops, 8, 3, TileScale.Kind.NONE);
    assertTrue(measured < plain.length * 8.0 / crops.pixelCount() - 0.05,
        "the measure counts the scales' gain");
  }

  /**
   * Each lane's pick costs no more than the setting that changes nothing, which the search
   * always tries.
   */
  @Test
  void thePickIsNeverWorseThanNoOffset() {
    int lanes = 6;
    ImageSet blocks = new ImageSet(lanes, 32, 32, Arrays.copyOf(crops.pixels(), lanes * 1024));
    var a = photo.architecture();
    int[] symbols = Chain.symbols(blocks, 0, lanes, false);
    int[] buckets = VaeCodec.posterior(photo.quantized(), symbols, lanes)
        .pop(Message.seeded(lanes, 1));
    var params = photo.quantized().likelihood(buckets, lanes, null);
    int d = a.dims();
    int[][][] rows = new int[d][a.parametersPerPixel()][lanes];
    for (int p = 0; p < d; p++) {
      params.at(p, symbols, rows[p]);
    }
    int[] chosen = TileScale.choose(a, rows, symbols, null, lanes, null);
    int[] none = new int[lanes];
    Arrays.fill(none, TileScale.NONE);
    long[] picked = TileScale.cost(a, rows, symbols, null, chosen, null);
    long[] plain = TileScale.cost(a, rows, symbols, null, none, null);
    boolean moved = false;
    for (int b = 0; b < lanes; b++) {
      assertTrue(chosen[b] >= 0 && chosen[b] < 1 << TileScale.bits(a, TileScale.Kind.SCALE));
      assertTrue(picked[b] <= plain[b], "lane " + b + ": " + picked[b] + " > " + plain[b]);
      moved |= chosen[b] != TileScale.NONE;
    }
    assertTrue(moved, "photographs this smooth get settings");
    // the setting that changes nothing changes nothing
    int[][] row = rows[100];
    int[][] same = TileScale.moved(a, row, none, new int[row.length][lanes]);
    for (int j = 0; j < row.length; j++) {
      assertArrayEquals(row[j], same[j]);
    }
    // with feedback: strengths of 0 move nothing more than the setting does
    Feedback fb = Feedback.of(a, rows, symbols, null);
    int[][] noFeedback = TileScale.moved(a, row, chosen, new int[row.length][lanes], fb, 100);
    int[][] settingAlone = TileScale.moved(a, row, chosen, new int[row.length][lanes]);
    for (int j = 0; j < row.length; j++) {
      assertArrayEquals(settingAlone[j], noFeedback[j]);
    }
    // and the search with feedback picks settings that cost less than those without, in all
    int[] fed = TileScale.choose(a, rows, symbols, null, lanes, fb);
    long withFeedback = 0;
    long without = 0;
    long[] fedCost = TileScale.cost(a, rows, symbols, null, fed, fb);
    for (int b = 0; b < lanes; b++) {
      assertTrue(fed[b] >= 0 && fed[b] < 1 << TileScale.bits(a, TileScale.Kind.FEEDBACK));
      withFeedback += fedCost[b];
      without += picked[b];
    }
    assertTrue(withFeedback < without, withFeedback + " vs " + without);
  }

  /**
   * What a trainer trains each tile under: the settings with error feedback, and each sample's
   * moves, which are those the setting's strengths give (none at strength 0, the log-scales'
   * within the clamp); without feedback the settings have no strengths.
   */
  @Test
  void theTrainersSettingsCarryEachSamplesFeedback() throws Exception {
    var a = photo.architecture();
    ImageSet frames = Tiles.framedTiles(BundledModelsTest.luma(GoldenShardTest.colourSample()
        .range(0, 17)), a);
    int n = frames.count();
    int d = a.dims();
    float[] scale = new float[n * d];
    float[] mean = new float[n * d];
    int[] fed = TileScale.settings(photo.quantized(), frames, 16, 3, scale, mean);
    int[] plain = TileScale.settings(photo.quantized(), frames, 16, 3);
    boolean moved = false;
    for (int t = 0; t < n; t++) {
      assertEquals(0, plain[t] >> 8, "no feedback strengths without feedback");
      assertTrue(fed[t] >= 0 && fed[t] < 1 << TileScale.bits(a, TileScale.Kind.FEEDBACK));
      for (int p = 0; p < d; p++) {
        float s = scale[t * d + p];
        float m = mean[t * d + p];
        assertTrue(Math.abs(s) <= 2 && Float.isFinite(m), "tile " + t + " sample " + p);
        if (TileScale.scaleFeedbackIndex(fed[t]) == 0) {
          assertEquals(0f, s);
        }
        if (TileScale.meanFeedbackIndex(fed[t]) == 0) {
          assertEquals(0f, m);
        }
        moved |= s != 0 || m != 0;
      }
      assertEquals(0f, scale[t * d] + mean[t * d], "the first sample has no neighbour");
    }
    assertTrue(moved, "photographs get feedback");
  }

  @Test
  void log2IsWithinItsStepEverywhere() {
    for (long f = 1; f < (1L << 50); f = f * 3 / 2 + 1) {
      double exact = StrictMath.log(f) / StrictMath.log(2) * 65536;
      assertEquals(exact, TileScale.log2Q16(f), 65536.0 / 512, "log2 " + f);
    }
  }

  /** The chain's words damaged behind the checksum: a corrupt stream, never another error. */
  @Test
  void damagedWordsAreACorruptStream() {
    ImageSet few = crops.range(0, 4);
    int[][] sizes = few.sizes();
    byte[] words = Chain.encode(photo.quantized(), few, false, 3, 4, TileScale.Kind.FEEDBACK,
        n -> { }).flatten();
    for (int at = 0; at < words.length; at += Math.max(1, words.length / 40)) {
      byte[] bad = words.clone();
      bad[at] ^= (byte) 0x21;
      assertThrows(CorruptStreamException.class, () -> Chain.decode(photo.quantized(),
          Message.unflatten(bad), sizes[0], sizes[1], 0, TileScale.Kind.FEEDBACK, n -> { }),
          "word byte " + at);
    }
  }

  /** A version 5 shard for a model whose tiles carry no scale, or of bits, is refused. */
  @Test
  void aShardOfScalesForAModelWithoutThemIsRefused() throws Exception {
    VaeModel plain = VaeModel.load("fashion-mnist-v1");
    ImageSet small = crops.range(0, 3);
    int[][] sizes = small.sizes();
    byte[] body = Chain.encode(plain.quantized(), small, false, 2, 1, n -> { }).flatten();
    for (int version : new int[] {Shard.TILED_SCALED, Shard.TILED_FEEDBACK}) {
      byte[] either = Shard.writeTiled(version, plain.sha256(), 28, 28, sizes[0], sizes[1], 1,
          2, 1, Likelihood.PIXEL8, 0, body);
      CorruptStreamException e = assertThrows(CorruptStreamException.class,
          () -> ShardCodec.decode(either, plain));
      assertTrue(e.getMessage().contains("scales"), e.getMessage());
    }
    byte[] shard = Shard.writeTiled(Shard.TILED_SCALED, plain.sha256(), 28, 28, sizes[0],
        sizes[1], 1, 2, 1, Likelihood.PIXEL8, 0, body);
    assertThrows(IllegalArgumentException.class, () -> Shard.writeTiled(Shard.TILED_SCALED,
        plain.sha256(), 28, 28, sizes[0], sizes[1], 1, 2, 1, Likelihood.BERNOULLI, 1, body));
    // the same shard relabelled as bits behind a recomputed checksum: refused when read
    byte[] bits = shard.clone();
    bits[8 + 2 + 32 + 24] = 0;
    bits[8 + 2 + 32 + 25] = 1;
    System.arraycopy(io.bbans.codec.util.Sha256.of(bits, bits.length - 32), 0, bits,
        bits.length - 32, 32);
    CorruptStreamException read = assertThrows(CorruptStreamException.class,
        () -> Shard.read(bits));
    assertTrue(read.getMessage().contains("8-bit"), read.getMessage());
  }
}
