package io.bbans.codec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.container.Shard;
import io.bbans.codec.container.ShardHeader;
import io.bbans.codec.image.ImageSet;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Colour models (format 4): RGB images coded subpixel by subpixel, each channel's head reading
 * the channels before it at the same pixel, on a tiny model of coloured blobs.
 */
class ColourModelTest {
  static VaeModel model;
  static VaeModel gray;

  /**
   * Coloured blobs: each blob's colour a random mix, the three channels of a pixel strongly
   * correlated (one shape, three gains) as in photographs, plus a little independent noise.
   */
  static ImageSet colourBlobs(int count, int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] samples = new byte[count * rows * cols * 3];
    for (int i = 0; i < count; i++) {
      double cx = r.nextDouble() * cols;
      double cy = r.nextDouble() * rows;
      double radius = 1 + r.nextDouble() * 2.5;
      double[] gain = {60 + r.nextDouble() * 190, 60 + r.nextDouble() * 190,
          60 + r.nextDouble() * 190};
      for (int y = 0; y < rows; y++) {
        for (int x = 0; x < cols; x++) {
          double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (radius * radius);
          double shape = Math.exp(-d2);
          for (int c = 0; c < 3; c++) {
            double v = 10 + gain[c] * shape + r.nextGaussian() * 2;
            samples[((i * rows + y) * cols + x) * 3 + c] = (byte) Math.max(0, Math.min(255,
                Math.round(v)));
          }
        }
      }
    }
    return new ImageSet(count, rows, cols, 3, samples);
  }

  static Architecture architecture() {
    return new Architecture(TinyModels.SIDE, TinyModels.SIDE, 3, Likelihood.PIXEL8,
        new int[] {48, 32}, 6, 8, 18, 18, 12, 2);
  }

  @BeforeAll
  static void train() {
    ImageSet images = colourBlobs(400, TinyModels.SIDE, TinyModels.SIDE, 1);
    FloatVae f = TinyModels.train(architecture(), images, 10);
    model = VaeModel.create(f, Quantizer.quantize(f, images), java.util.Map.of("purpose",
        "test"));
    // any grayscale model will do to show that grayscale and colour never meet: trained briefly
    ImageSet grayImages = TinyModels.blobs(200, 1);
    FloatVae g = TinyModels.train(TinyModels.architecture(Likelihood.PIXEL8, 8, 2), grayImages,
        1);
    gray = VaeModel.create(g, Quantizer.quantize(g, grayImages), java.util.Map.of());
  }

  private static ImageSet heldOut(int count) {
    return colourBlobs(count, TinyModels.SIDE, TinyModels.SIDE, 77);
  }

  /** The subpixel tables: a channel reads its own channel's causal neighbours, and at its own
   * pixel only the channels before it; everything it reads comes before it in coding order. */
  @Test
  void everySubpixelReadsOnlyWhatIsCodedBeforeIt() {
    Architecture a = architecture();
    int[][] neighbours = Context.neighbourPlaces(a);
    assertEquals(Context.neighbours(a), neighbours.length);
    for (int p = 0; p < a.dims(); p++) {
      for (int[] places : neighbours) {
        assertTrue(places[p] < p, "subpixel " + p + " reads " + places[p]);
      }
    }
    int pixel = 3 * TinyModels.SIDE + 4; // row 3, column 4
    int base = Context.offsets(a).length;
    for (int ch = 0; ch < 3; ch++) {
      assertEquals(ch > 0 ? 3 * pixel : -1, neighbours[base][3 * pixel + ch], "R for " + ch);
      assertEquals(ch > 1 ? 3 * pixel + 1 : -1, neighbours[base + 3][3 * pixel + ch],
          "G for " + ch);
      assertEquals(-1, neighbours[base + 6][3 * pixel + ch], "B is never known at its pixel");
      assertEquals(3 * (pixel - 1) + 2, neighbours[base + 7][3 * pixel + ch], "B at W");
      assertEquals(3 * (pixel - 1) + ch, neighbours[0][3 * pixel + ch], "own channel at W");
    }
    assertEquals(44, Context.inputs(a), "19 neighbours, 2 flags, 21 latent places, mean and"
        + " log-scale");
  }

  @Test
  void formatFourRoundTripsAndGrayModelsKeepTheirFormats() {
    assertEquals(4, model.bytes()[9], "a colour model is format 4");
    assertEquals(3, gray.bytes()[9], "a grayscale mixture model stays format 3");
    assertEquals(1, gray.architecture().channels());
    VaeModel back = VaeModel.read(model.bytes(), "c.bbvae");
    assertEquals(model.sha256(), back.sha256());
    assertEquals(3, back.architecture().channels());
    assertEquals(2, back.architecture().mixture());
    assertTrue(back.architecture().toString().contains("rgb"), back.architecture().toString());
    ImageSet images = heldOut(20);
    assertEquals(model.floating().negativeElboBitsPerDim(images, 1),
        back.floating().negativeElboBitsPerDim(images, 1));
    assertEquals(CodeLength.bitsPerDim(model.quantized(), images, 10, 1),
        CodeLength.bitsPerDim(back.quantized(), images, 10, 1));
  }

  /** A format 4 header whose channel count makes no sense is refused, even re-signed. */
  @Test
  void hostileChannelCountsAreRefused() {
    byte[] good = model.bytes();
    int channelsAt = 10 + 4 + 4 + 1 + 4 + 2 * 4 + 4 + 3 + 4 + 1; // after the mixture byte
    assertEquals(3, good[channelsAt]);
    for (int c : new int[] {0, 1, 2, 4, 255}) {
      byte[] bad = good.clone();
      bad[channelsAt] = (byte) c;
      assertThrows(ModelFormatException.class, () -> VaeModel.read(ContextModelTest.resigned(bad), "m"),
          "channels " + c);
    }
  }

  /**
   * A subpixel's parameters are the same computed from the whole image (push) or from the
   * subpixels decoded so far with the rest 0 (pop): no channel reads one coded after it. The
   * pixel loop's push and pop mirror each other.
   */
  @Test
  void subpixelBySubpixelPopMirrorsTheWholeImagePush() {
    ContextModelTest.assertPopMirrorsPush(model.quantized(), heldOut(9), false, 1, 4, 9);
  }

  /**
   * A colour model trained from random weights starts as a classical predictor (mean from W
   * and N, G and B from their pixel's earlier channel, a sharp, a middle and a wide logistic):
   * before any step it codes these blobs below the 8 bits a subpixel takes raw, where the head
   * starting as the identity on a random decoder gave 145.
   */
  @Test
  void aColourModelStartsAsAPredictor() {
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = 0;
    o.progress = null;
    ImageSet images = heldOut(100);
    FloatVae start = new VaeTrainer(architecture(), o).train(images, images.range(0, 0));
    double bits = start.negativeElboBitsPerDim(images, 1);
    assertTrue(bits < 8, "untrained colour model: " + bits + " bits a subpixel");
  }

  /**
   * The integer network codes within a little of the float model's negative ELBO, and well
   * below the 8 bits a subpixel takes raw.
   */
  @Test
  void codeLengthIsNearTheElbo() {
    ImageSet images = heldOut(200);
    double elbo = model.floating().negativeElboBitsPerDim(images, 1);
    double coded = CodeLength.bitsPerDim(model.quantized(), images, 50, 1);
    assertEquals(elbo, coded, 0.05 * elbo, "coded " + coded + " vs ELBO " + elbo);
    assertTrue(coded < 7, "coded " + coded);
  }

  /**
   * RGB images of mixed sizes (smaller and larger than the tile, odd edges) come back byte for
   * byte over lane counts, in RGB shards; the shard says it is RGB; noise is stored, not coded.
   */
  @Test
  void mixedSizeColourShardsRoundTrip() {
    int[] rows = {8, 3, 13, 8, 1, 20};
    int[] cols = {8, 5, 9, 17, 1, 3};
    java.util.List<ImageSet> parts = new java.util.ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      parts.add(colourBlobs(1, rows[i], cols[i], 100 + i));
    }
    ImageSet images = ImageSet.concat(parts);
    for (int lanes : new int[] {1, 3, 16}) {
      byte[] shard = ShardCodec.encode(model, images, lanes, 11);
      ShardHeader h = Shard.read(shard);
      assertEquals(3, h.channels());
      assertEquals(io.bbans.codec.bitsback.TileScale.applies(model.architecture())
          ? Shard.TILED_FEEDBACK : Shard.TILED, h.version());
      ImageSet back = ShardCodec.decode(shard, model);
      assertEquals(3, back.channels());
      assertArrayEquals(images.pixels(), back.pixels(), "lanes " + lanes);
      assertArrayEquals(images.sizes()[0], back.sizes()[0]);
      assertArrayEquals(images.sizes()[1], back.sizes()[1]);
    }
    ImageSet own = heldOut(5); // the model's own size is an RGB tiled shard too
    byte[] shard = ShardCodec.encode(model, own, 4, 2);
    assertArrayEquals(own.pixels(), ShardCodec.decode(shard, model).pixels());
    byte[] noise = new byte[5 * 7 * 6 * 3];
    new SplittableRandom(3).nextBytes(noise);
    ImageSet random = new ImageSet(5, 7, 6, 3, noise);
    byte[] stored = ShardCodec.encode(model, random, 2, 1);
    assertEquals(Shard.TILED_STORED, Shard.read(stored).version());
    assertArrayEquals(noise, ShardCodec.decode(stored, model).pixels());
    assertArrayEquals(new byte[0], ShardCodec.decode(ShardCodec.encode(model,
        new ImageSet(0, 8, 8, 3, new byte[0]), 4, 1), model).pixels());
  }

  /** Damage to an RGB shard is caught; grayscale and colour never meet. */
  @Test
  void damageAndMismatchesAreRefused() {
    ImageSet images = ImageSet.concat(java.util.List.of(heldOut(2), colourBlobs(1, 5, 11, 4)));
    byte[] shard = ShardCodec.encode(model, images, 2, 3);
    for (int at = 0; at < shard.length; at += 7) {
      byte[] bad = shard.clone();
      bad[at] ^= (byte) 0x40;
      assertThrows(CorruptStreamException.class, () -> ShardCodec.decode(bad, model),
          "flip at " + at);
    }
    for (int length = 0; length < shard.length; length += 9) {
      byte[] cut = Arrays.copyOf(shard, length);
      assertThrows(CorruptStreamException.class, () -> ShardCodec.decode(cut, model),
          "length " + length);
    }
    // re-signed headers: an RGB shard relabelled grayscale, a one-size shard labelled RGB
    byte[] relabelled = shard.clone();
    assertEquals(2, relabelled[66], "observation model 2: RGB");
    relabelled[66] = 1;
    assertThrows(CorruptStreamException.class,
        () -> ShardCodec.decode(ContextModelTest.resigned(relabelled), model));
    byte[] grayShard = ShardCodec.encodeCoded(gray, TinyModels.blobs(4, 6), 2, 1);
    assertEquals(Shard.VERSION, Shard.read(grayShard).version());
    grayShard[66] = 2;
    CorruptStreamException unknown = assertThrows(CorruptStreamException.class,
        () -> Shard.read(ContextModelTest.resigned(grayShard)));
    assertTrue(unknown.getMessage().contains("unknown observation model 2"),
        unknown.getMessage());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShardCodec.encode(model, TinyModels.blobs(3, 5), 2, 1));
    assertTrue(e.getMessage().contains("the images are grayscale, the model codes RGB"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ShardCodec.encode(gray, images, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> ShardCodec.decode(shard, gray));
  }
}
