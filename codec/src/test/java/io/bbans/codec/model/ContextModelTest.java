package io.bbans.codec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.ans.Message;
import io.bbans.codec.bitsback.Chain;
import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.bitsback.VaeCodec;
import io.bbans.codec.image.ImageSet;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The causal-context decoder (model format 2, and 3 with a mixture of logistics out of the head),
 * on tiny models of both observation models.
 */
class ContextModelTest {
  /** The context models under test: each observation model, and the 8-bit mixture. */
  enum Variant {
    BITS(Likelihood.BERNOULLI, 1), PIXEL8(Likelihood.PIXEL8, 1), MIXTURE(Likelihood.PIXEL8, 3);

    final Likelihood likelihood;
    final int mixture;

    Variant(Likelihood likelihood, int mixture) {
      this.likelihood = likelihood;
      this.mixture = mixture;
    }

    int format() {
      return mixture > 1 ? 3 : 2;
    }
  }

  static final Map<Likelihood, VaeModel> PLAIN = new java.util.EnumMap<>(Likelihood.class);
  static final Map<Variant, VaeModel> CONTEXT = new java.util.EnumMap<>(Variant.class);

  @BeforeAll
  static void train() {
    for (Likelihood l : Likelihood.values()) {
      PLAIN.put(l, TinyModels.model(l, 0));
    }
    for (Variant v : Variant.values()) {
      CONTEXT.put(v, TinyModels.model(v.likelihood, 8, v.mixture));
    }
  }

  private static ImageSet heldOut(Likelihood l, int count) {
    ImageSet images = TinyModels.blobs(count, 77);
    return l == Likelihood.BERNOULLI ? images.binarize(127) : images;
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void contextFormatsRoundTripAndFormatOneStaysOne(Variant v) {
    VaeModel m = CONTEXT.get(v);
    Likelihood l = v.likelihood;
    assertEquals(v.format(), m.bytes()[9], "a model with a context head is format 2, 3 with a"
        + " mixture");
    assertEquals(1, PLAIN.get(l).bytes()[9], "a model without one stays format 1");
    VaeModel back = VaeModel.read(m.bytes(), "m.bbvae");
    assertEquals(m.sha256(), back.sha256());
    assertEquals(8, back.architecture().contextHidden());
    assertEquals(v.mixture, back.architecture().mixture());
    ImageSet images = heldOut(l, 30);
    assertEquals(m.floating().negativeElboBitsPerDim(images, 1),
        back.floating().negativeElboBitsPerDim(images, 1));
    assertEquals(CodeLength.bitsPerDim(m.quantized(), images, 10, 1),
        CodeLength.bitsPerDim(back.quantized(), images, 10, 1));
  }

  /** Truncations and bit flips of a format 2 or 3 file are refused with the checksum's message. */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void damagedContextModelFilesAreRefused(Variant v) {
    byte[] good = CONTEXT.get(v).bytes();
    for (int length : new int[] {10, 60, good.length / 2, good.length - 33, good.length - 1}) {
      ModelFormatException e = assertThrows(ModelFormatException.class,
          () -> VaeModel.read(Arrays.copyOf(good, length), "m"));
      assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }
    byte[] future = good.clone();
    future[9] = (byte) (VaeModel.VERSION + 1);
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> VaeModel.read(future, "m"));
    assertTrue(e.getMessage().contains("version " + (VaeModel.VERSION + 1)), e.getMessage());
  }

  /**
   * Format 3 headers that pass the checksum (re-signed) but make no sense are refused with one
   * clear error: a mixture of 1 or of more components than the codec has, a format 2 file
   * relabelled 3.
   */
  @org.junit.jupiter.api.Test
  void hostileFormatThreeHeadersAreRefused() {
    byte[] good = CONTEXT.get(Variant.MIXTURE).bytes();
    int mixtureAt = 10 + 4 + 4 + 1 + 4 + 2 * 4 + 4 + 3 + 4; // tiny models: hidden 32, 24
    assertEquals(3, good[mixtureAt]);
    for (int k : new int[] {0, 1, Architecture.MAX_MIXTURE + 1, 255}) {
      byte[] bad = good.clone();
      bad[mixtureAt] = (byte) k;
      ModelFormatException e = assertThrows(ModelFormatException.class,
          () -> VaeModel.read(resigned(bad), "m"));
      assertTrue(e.getMessage().startsWith("m: ") && e.getMessage().contains("mixture"),
          e.getMessage());
    }
    byte[] two = CONTEXT.get(Variant.PIXEL8).bytes().clone();
    two[9] = 3;
    assertThrows(ModelFormatException.class, () -> VaeModel.read(resigned(two), "m"));
  }

  /** The bytes with their SHA-256 trailer made to match again. */
  static byte[] resigned(byte[] file) {
    byte[] sum = io.bbans.codec.util.Sha256.of(file, file.length - 32);
    byte[] out = file.clone();
    System.arraycopy(sum, 0, out, file.length - 32, 32);
    return out;
  }

  /**
   * Pixel p's parameters read only the pixels before it: computed from the whole image (as a
   * push sees it) or from the pixels decoded so far with the rest still 0 (as a pop sees it),
   * they are the same integers; and the pixel loop's push and pop mirror each other, leaving
   * the message exactly where it started.
   */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void pixelByPixelPopMirrorsTheWholeImagePush(Variant v) {
    assertPopMirrorsPush(CONTEXT.get(v).quantized(), heldOut(v.likelihood, 23),
        v.likelihood == Likelihood.BERNOULLI, 1, 5, 23);
  }

  /**
   * For each batch size, every symbol's parameters from the whole batch equal those from the
   * symbols before it with the rest 0, and the symbol loop's pop undoes its push.
   */
  static void assertPopMirrorsPush(QuantizedVae q, ImageSet images, boolean binary,
      int... batches) {
    int d = q.architecture().dims();
    for (int batch : batches) {
      int[] x = Chain.symbols(images, 0, batch, binary);
      int[] buckets = VaeCodec.posterior(q, x, batch).pop(Message.seeded(batch, 3));
      QuantizedVae.PixelParameters whole = q.likelihood(buckets, batch);
      QuantizedVae.PixelParameters prefix = q.likelihood(buckets, batch);
      int n = q.architecture().parametersPerPixel();
      int[][] a = new int[n][batch];
      int[][] b = new int[n][batch];
      int[] known = new int[x.length];
      for (int p = 0; p < d; p++) {
        whole.at(p, x, a);
        prefix.at(p, known, b);
        assertArrayEquals(a, b, "symbol " + p + ", batch " + batch);
        System.arraycopy(x, p * batch, known, p * batch, batch);
      }
      Message m = Message.seeded(batch, 9);
      byte[] before = m.flatten();
      VaeCodec.likelihood(q.likelihood(buckets, batch)).push(m, x);
      assertArrayEquals(x, VaeCodec.likelihood(q.likelihood(buckets, batch)).pop(m),
          "batch " + batch);
      assertArrayEquals(before, m.flatten(), "the message is back at its start");
    }
  }

  /** Shards of a context model round-trip over counts and lanes; damage is always caught. */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void shardsRoundTripAndRefuseDamage(Variant v) {
    VaeModel m = CONTEXT.get(v);
    ImageSet all = heldOut(v.likelihood, 80);
    for (int lanes : new int[] {1, 7, 32}) {
      for (int count : new int[] {0, 1, lanes + 1, 2 * lanes + 3}) {
        ImageSet images = all.range(0, Math.min(count, all.count()));
        byte[] shard = ShardCodec.encode(m, images, lanes, 5 + lanes);
        assertArrayEquals(images.pixels(), ShardCodec.decode(shard, m).pixels(),
            "lanes=" + lanes + " count=" + count);
      }
    }
    byte[] shard = ShardCodec.encode(m, all.range(0, 6), 4, 3);
    assertArrayEquals(shard, ShardCodec.encode(m, all.range(0, 6), 4, 3));
    for (int at = 0; at < shard.length; at += 3) {
      byte[] bad = shard.clone();
      bad[at] ^= (byte) 0x21;
      assertThrows(CorruptStreamException.class, () -> ShardCodec.decode(bad, m),
          "flip at " + at);
    }
    for (int length = 0; length < shard.length; length += 5) {
      byte[] cut = Arrays.copyOf(shard, length);
      assertThrows(CorruptStreamException.class, () -> ShardCodec.decode(cut, m),
          "length " + length);
    }
  }

  /**
   * The head's requantisation in double is the integer one, value for value, by the scalar loop
   * and by the kernels this JVM runs ({@link Kernels}).
   */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void requantisingInDoubleGivesTheIntegerResults(Variant v) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(4);
    for (IntLayer layer : CONTEXT.get(v).quantized().head) {
      int rows = 300;
      double[] acc = new double[rows * layer.out];
      for (int i = 0; i < acc.length; i++) {
        long bound = 1L << (1 + r.nextInt(40)); // small and large, around every rounding edge
        acc[i] = r.nextLong(-bound, bound);
      }
      int[] expected = layer.requantize(acc, rows);
      double[] actual = layer.finishAsDouble(acc, rows, new double[acc.length]);
      double[] scalar = layer.finishScalar(acc, layer.out, 0, rows, new double[acc.length]);
      for (int i = 0; i < acc.length; i++) {
        assertEquals(expected[i], actual[i], 0.0, "at " + i);
        assertEquals(expected[i], scalar[i], 0.0, "scalar, at " + i);
      }
    }
  }

  /**
   * The head's products, from the nonzero inputs four at a time, the hidden layer and the skip
   * connection side by side, are the exact integer sums: rows from all zero to none zero, inputs
   * up to the largest the head can get.
   */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void headProductsAreTheExactIntegerSums(Variant v) {
    IntLayer[] head = CONTEXT.get(v).quantized().head;
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    int rows = 41;
    int in = head[0].in;
    int both = head[0].out + head[2].out;
    int[] input = new int[rows * in];
    for (int i = 0; i < input.length; i++) {
      boolean zero = r.nextInt(rows - 1) < i / in; // row 0 none zero, row 40 all
      input[i] = zero ? 0 : r.nextBoolean() ? r.nextInt(-65535, 65536)
          : (r.nextBoolean() ? 65535 : -65535);
    }
    double[] acc = new double[rows * both];
    int[] at = new int[Math.max(in, head[1].in)];
    double[] values = new double[at.length];
    IntLayer.product(IntLayer.sideBySide(head[0], head[2]), in, both, input, rows, acc, at,
        values);
    for (int row = 0; row < rows; row++) {
      for (int j = 0; j < both; j++) {
        IntLayer layer = j < head[0].out ? head[0] : head[2];
        int col = j < head[0].out ? j : j - head[0].out;
        long sum = 0;
        for (int k = 0; k < in; k++) {
          sum += (long) input[row * in + k] * layer.weights[k * layer.out + col];
        }
        assertEquals(sum, acc[row * both + j], 0.0, "row " + row + " output " + j);
      }
    }
    double[] hidden = new double[rows * head[1].in];
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = r.nextInt(rows - 1) < i / head[1].in ? 0 : r.nextInt(IntLayer.HIDDEN_LIMIT + 1);
    }
    double[] out = head[1].productOfDoubles(hidden, rows, new double[rows * head[1].out], at,
        values);
    for (int row = 0; row < rows; row++) {
      for (int j = 0; j < head[1].out; j++) {
        long sum = 0;
        for (int k = 0; k < head[1].in; k++) {
          sum += (long) hidden[row * head[1].in + k] * head[1].weights[k * head[1].out + j];
        }
        assertEquals(sum, out[row * head[1].out + j], 0.0, "row " + row + " output " + j);
      }
    }
    if (!Kernels.vector()) {
      return;
    }
    // the vector kernels: the same sums, in rows padded to whole vectors
    double[] x = new double[input.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = input[i];
    }
    int stride = VectorKernels.stride(both);
    double[] vectorAcc = new double[rows * stride];
    VectorKernels.product(VectorKernels.pad(IntLayer.sideBySide(head[0], head[2]), in, both),
        in, stride, x, in, rows, vectorAcc);
    double[] vectorOut = head[1].productVector(hidden, rows,
        new double[rows * head[1].stride]);
    for (int row = 0; row < rows; row++) {
      for (int j = 0; j < both; j++) {
        assertEquals(acc[row * both + j], vectorAcc[row * stride + j], 0.0, "vector, row " + row);
      }
      for (int j = 0; j < head[1].out; j++) {
        assertEquals(out[row * head[1].out + j], vectorOut[row * head[1].stride + j], 0.0,
            "vector output layer, row " + row);
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
    for (VaeModel m : new VaeModel[] {CONTEXT.get(Variant.BITS),
        PLAIN.get(Likelihood.BERNOULLI)}) {
      assertArrayEquals(CodeLength.bits(m.quantized(), bits, 0, 40, 3),
          CodeLength.bits(m.quantized(), bytes, 0, 40, 3), 0.0);
    }
  }

  /**
   * The head is trained: it codes held-out images below the same model without one, and the
   * quantised rate stays near the float one.
   */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void theContextHeadLowersTheRate(Variant v) {
    ImageSet images = heldOut(v.likelihood, 300);
    double plain = CodeLength.bitsPerDim(PLAIN.get(v.likelihood).quantized(), images, 50, 1);
    double context = CodeLength.bitsPerDim(CONTEXT.get(v).quantized(), images, 50, 1);
    double floating = CONTEXT.get(v).floating().negativeElboBitsPerDim(images, 1);
    assertTrue(context < plain, "context " + context + " vs plain " + plain);
    assertEquals(floating, context, 0.02 * floating + 0.01, "quantised vs float");
  }

  /**
   * A mixture's float log-probability is that of its components weighted by the softmax of their
   * logits; one component, or identical ones, is the single logistic.
   */
  @org.junit.jupiter.api.Test
  void mixtureLogProbabilityIsTheWeightedComponents() {
    int d = 3;
    double[] params = new double[3 * 2 * d];
    double[][] component = {{40.5, 1.2, 0.7}, {200.0, -0.5, -1.1}};
    for (int c = 0; c < 2; c++) {
      params[c * d + 1] = component[c][0];
      params[(2 + c) * d + 1] = component[c][1];
      params[(4 + c) * d + 1] = component[c][2];
    }
    double w0 = Math.exp(0.7) / (Math.exp(0.7) + Math.exp(-1.1));
    for (int x : new int[] {0, 41, 120, 199, 255}) {
      double expected = Math.log(w0 * Math.exp(FloatVae.logisticLogProb(x, 40.5, 1.2))
          + (1 - w0) * Math.exp(FloatVae.logisticLogProb(x, 200.0, -0.5)));
      assertEquals(expected, FloatVae.mixtureLogProb(x, params, 1, 2, d), 1e-9, "x=" + x);
    }
    double[] same = {90.0, 90.0, 2.0, 2.0, 3.0, -4.0};
    assertEquals(FloatVae.logisticLogProb(77, 90.0, 2.0), FloatVae.mixtureLogProb(77, same, 0,
        2, 1), 1e-12);
  }

  /**
   * A mixture trained from a single-logistic model starts near it: every component begins as that
   * logistic, only nudged apart.
   */
  @org.junit.jupiter.api.Test
  void aMixtureStartedFromASingleLogisticStartsNearIt() {
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = 0;
    o.progress = null;
    o.init = CONTEXT.get(Variant.PIXEL8).floating();
    FloatVae start = new VaeTrainer(TinyModels.architecture(Likelihood.PIXEL8, 8, 3), o)
        .train(TinyModels.images(Likelihood.PIXEL8), TinyModels.images(Likelihood.PIXEL8)
            .range(0, 10));
    ImageSet images = heldOut(Likelihood.PIXEL8, 100);
    double single = o.init.negativeElboBitsPerDim(images, 1);
    assertEquals(single, start.negativeElboBitsPerDim(images, 1), 0.02 * single);
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
