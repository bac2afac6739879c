package io.bbans.codec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ans.Codec;
import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.ans.Message;
import io.bbans.codec.container.Shard;
import io.bbans.codec.image.ImageSet;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The causal-context decoder (model format 2), on tiny models of both observation models. */
class ContextModelTest {
  static final Map<Likelihood, VaeModel> PLAIN = new java.util.EnumMap<>(Likelihood.class);
  static final Map<Likelihood, VaeModel> CONTEXT = new java.util.EnumMap<>(Likelihood.class);

  @BeforeAll
  static void train() {
    for (Likelihood l : Likelihood.values()) {
      PLAIN.put(l, TinyModels.model(l, 0));
      CONTEXT.put(l, TinyModels.model(l, 8));
    }
  }

  private static ImageSet heldOut(Likelihood l, int count) {
    ImageSet images = TinyModels.blobs(count, 77);
    return l == Likelihood.BERNOULLI ? images.binarize(127) : images;
  }

  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void formatTwoRoundTripsAndFormatOneStaysOne(Likelihood l) {
    VaeModel m = CONTEXT.get(l);
    assertEquals(2, m.bytes()[9], "a model with a context head is format 2");
    assertEquals(1, PLAIN.get(l).bytes()[9], "a model without one stays format 1");
    VaeModel back = VaeModel.read(m.bytes(), "m.bbvae");
    assertEquals(m.sha256(), back.sha256());
    assertEquals(8, back.architecture().contextHidden());
    ImageSet images = heldOut(l, 30);
    assertEquals(m.floating().negativeElboBitsPerDim(images, 1),
        back.floating().negativeElboBitsPerDim(images, 1));
    assertEquals(m.quantized().negativeElboBitsPerDim(images, 10, 1, ForwardPass.JAVA),
        back.quantized().negativeElboBitsPerDim(images, 10, 1, ForwardPass.JAVA));
  }

  /** Truncations and bit flips of a format 2 file are refused with the checksum's message. */
  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void damagedFormatTwoFilesAreRefused(Likelihood l) {
    byte[] good = CONTEXT.get(l).bytes();
    for (int length : new int[] {10, 60, good.length / 2, good.length - 33, good.length - 1}) {
      ModelFormatException e = assertThrows(ModelFormatException.class,
          () -> VaeModel.read(Arrays.copyOf(good, length), "m"));
      assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }
    byte[] future = good.clone();
    future[9] = 3;
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> VaeModel.read(future, "m"));
    assertTrue(e.getMessage().contains("version 3"), e.getMessage());
  }

  /**
   * Pushing computes every pixel's distribution from the whole image at once; popping computes
   * them pixel by pixel from what it has decoded so far. Both must give the same integers, on
   * either forward pass, and the message must come back exactly to where it started.
   */
  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void pixelByPixelPopMirrorsTheWholeImagePush(Likelihood l) {
    QuantizedVae q = CONTEXT.get(l).quantized();
    ImageSet images = heldOut(l, 23);
    for (int batch : new int[] {1, 5, 23}) {
      int[] x = q.input(images, 0, batch);
      int[] buckets = q.posterior(x, batch, ForwardPass.JAVA).pop(Message.seeded(batch, 3));
      int[] symbols = q.pixelSymbols(images, 0, batch);
      for (ForwardPass pass : new ForwardPass[] {ForwardPass.JAVA, ForwardPass.ND4J}) {
        Message m = Message.seeded(batch, 9);
        byte[] before = m.flatten();
        Codec<int[]> codec = q.likelihood(buckets, batch, pass);
        codec.push(m, symbols);
        assertArrayEquals(symbols, q.likelihood(buckets, batch, pass).pop(m),
            "batch " + batch + " " + pass);
        assertArrayEquals(before, m.flatten(), "the message is back at its start");
      }
    }
  }

  /** Shards of a context model round-trip over counts and lanes; damage is always caught. */
  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void shardsRoundTripAndRefuseDamage(Likelihood l) {
    VaeModel m = CONTEXT.get(l);
    ImageSet all = heldOut(l, 80);
    for (int lanes : new int[] {1, 7, 32}) {
      for (int count : new int[] {0, 1, lanes + 1, 2 * lanes + 3}) {
        ImageSet images = all.range(0, Math.min(count, all.count()));
        byte[] shard = Shard.encode(m, images, lanes, 5 + lanes, ForwardPass.AUTO);
        assertArrayEquals(images.pixels(), Shard.decode(shard, m, ForwardPass.AUTO).pixels(),
            "lanes=" + lanes + " count=" + count);
      }
    }
    byte[] shard = Shard.encode(m, all.range(0, 6), 4, 3, ForwardPass.AUTO);
    assertArrayEquals(shard, Shard.encode(m, all.range(0, 6), 4, 3, ForwardPass.JAVA));
    for (int at = 0; at < shard.length; at += 3) {
      byte[] bad = shard.clone();
      bad[at] ^= (byte) 0x21;
      assertThrows(CorruptStreamException.class, () -> Shard.decode(bad, m, ForwardPass.AUTO),
          "flip at " + at);
    }
    for (int length = 0; length < shard.length; length += 5) {
      byte[] cut = Arrays.copyOf(shard, length);
      assertThrows(CorruptStreamException.class, () -> Shard.decode(cut, m, ForwardPass.AUTO),
          "length " + length);
    }
  }

  /** The head's requantisation in double is the integer one, value for value. */
  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void requantisingInDoubleGivesTheIntegerResults(Likelihood l) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(4);
    for (IntLayer layer : CONTEXT.get(l).quantized().head) {
      int rows = 300;
      double[] acc = new double[rows * layer.out];
      for (int i = 0; i < acc.length; i++) {
        long bound = 1L << (1 + r.nextInt(40)); // small and large, around every rounding edge
        acc[i] = r.nextLong(-bound, bound);
      }
      int[] expected = layer.requantize(acc, rows);
      double[] actual = layer.finishAsDouble(acc, rows, new double[acc.length]);
      for (int i = 0; i < acc.length; i++) {
        assertEquals(expected[i], actual[i], 0.0, "at " + i);
      }
    }
  }

  /** Binary images of 0 and 255 cost what the same images of 0 and 1 do, as the shard codes. */
  @org.junit.jupiter.api.Test
  void binaryImagesOfZeroAnd255HaveTheCodeLengthOfBits() {
    ImageSet bits = heldOut(Likelihood.BERNOULLI, 40);
    byte[] full = bits.pixels().clone();
    for (int i = 0; i < full.length; i++) {
      full[i] = (byte) (full[i] == 0 ? 0 : 255);
    }
    ImageSet bytes = new ImageSet(bits.count(), bits.rows(), bits.cols(), full);
    for (VaeModel m : new VaeModel[] {CONTEXT.get(Likelihood.BERNOULLI),
        PLAIN.get(Likelihood.BERNOULLI)}) {
      assertArrayEquals(m.quantized().codeLengthBits(bits, 0, 40, 3, ForwardPass.JAVA),
          m.quantized().codeLengthBits(bytes, 0, 40, 3, ForwardPass.JAVA), 0.0);
    }
  }

  /** The head is trained: it codes held-out images below the same model without one. */
  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void theContextHeadLowersTheRate(Likelihood l) {
    ImageSet images = heldOut(l, 300);
    double plain = PLAIN.get(l).quantized().negativeElboBitsPerDim(images, 50, 1,
        ForwardPass.AUTO);
    double context = CONTEXT.get(l).quantized().negativeElboBitsPerDim(images, 50, 1,
        ForwardPass.AUTO);
    double floating = CONTEXT.get(l).floating().negativeElboBitsPerDim(images, 1);
    assertTrue(context < plain, "context " + context + " vs plain " + plain);
    assertEquals(floating, context, 0.02 * floating + 0.01, "quantised vs float");
  }

  /** Fine-tuning from a model without context starts where that model is. */
  @ParameterizedTest
  @EnumSource(Likelihood.class)
  void aHeadStartedFromAPlainModelStartsAsTheIdentity(Likelihood l) {
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = 0;
    o.progress = null;
    o.init = PLAIN.get(l).floating();
    FloatVae start = new VaeTrainer(TinyModels.architecture(l, 8), o)
        .train(TinyModels.images(l), TinyModels.images(l).range(0, 10));
    ImageSet images = heldOut(l, 100);
    assertEquals(PLAIN.get(l).floating().negativeElboBitsPerDim(images, 1),
        start.negativeElboBitsPerDim(images, 1), 1e-4);
  }
}
