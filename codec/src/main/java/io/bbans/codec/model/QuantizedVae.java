package io.bbans.codec.model;

import io.bbans.codec.ans.Bernoulli;
import io.bbans.codec.ans.Codec;
import io.bbans.codec.ans.DiscretizedLogistic;
import io.bbans.codec.ans.Distribution;
import io.bbans.codec.ans.FixedPoint;
import io.bbans.codec.ans.GaussianBuckets;
import io.bbans.codec.ans.LogisticMixture;
import io.bbans.codec.ans.Message;
import io.bbans.codec.ans.Uniform;
import io.bbans.codec.image.ImageSet;

/**
 * The integer network that codes: its outputs select the codec core's quantised distributions,
 * computed with exact integer arithmetic only, so the encoder and the decoder on any machine
 * build the same frequencies.
 *
 * <p>Batches are laid out for the vectorised message: a batch of {@code B} images is coded on
 * lanes {@code 0..B-1}, and the symbol arrays of the distributions returned here are ordered
 * dimension-major ({@code [dim][image]}), so symbol {@code i} belongs to image {@code i % B}.
 */
public final class QuantizedVae {
  static final int LOG_SCALE_MIN_Q16 = (int) FloatVae.LOG_SCALE_MIN << FixedPoint.Q16_BITS;
  static final int LOG_SCALE_MAX_Q16 = (int) FloatVae.LOG_SCALE_MAX << FixedPoint.Q16_BITS;
  static final int MEAN_MIN_Q16 = (int) Context.MEAN_MIN << FixedPoint.Q16_BITS;
  static final int MEAN_MAX_Q16 = (int) Context.MEAN_MAX << FixedPoint.Q16_BITS;
  static final int LOGIT_LIMIT_Q16 = (int) Context.LOGIT_LIMIT << FixedPoint.Q16_BITS;
  static final int WEIGHT_LIMIT_Q16 = (int) Context.WEIGHT_LIMIT << FixedPoint.Q16_BITS;
  private static final long OUT_BOUND = 1 << 30;

  private final Architecture architecture;
  final IntLayer[] encoder;
  final IntLayer[] decoder;
  /** The context head ({@link Context}): hidden, output, skip; empty without context. */
  final IntLayer[] head;
  private final int[] centres;
  /** Context.OFFSETS and Context.LATENT_OFFSETS as pixel indices: {@code [k][p]}, -1 outside. */
  private final int[][] neighbourAt;
  private final int[][] latentAt;
  /** The head's hidden layer and skip connection side by side ({@link IntLayer#sideBySide}). */
  private final double[] headInputWeights;

  QuantizedVae(Architecture architecture, IntLayer[] encoder, IntLayer[] decoder) {
    this(architecture, encoder, decoder, new IntLayer[0]);
  }

  QuantizedVae(Architecture architecture, IntLayer[] encoder, IntLayer[] decoder,
      IntLayer[] head) {
    if (head.length != (architecture.hasContext() ? 3 : 0)) {
      throw new IllegalArgumentException("context head has " + head.length + " layers");
    }
    if (head.length == 3 && (head[0].inFrac != Context.IN_FRAC
        || head[2].inFrac != Context.IN_FRAC || head[1].inFrac != head[0].outFrac
        || head[1].outFrac > FixedPoint.Q16_BITS || head[2].outFrac > FixedPoint.Q16_BITS)) {
      throw new IllegalArgumentException("context head's fixed-point formats do not chain");
    }
    this.architecture = architecture;
    this.encoder = encoder;
    this.decoder = decoder;
    this.head = head;
    this.centres = GaussianBuckets.centresQ16(architecture.bucketBits());
    this.neighbourAt = Context.places(architecture.rows(), architecture.cols(), Context.OFFSETS);
    this.latentAt = Context.places(architecture.rows(), architecture.cols(),
        Context.LATENT_OFFSETS);
    this.headInputWeights = head.length == 3 ? IntLayer.sideBySide(head[0], head[2]) : null;
  }

  public Architecture architecture() {
    return architecture;
  }

  private static int[] run(IntLayer[] layers, int[] x, int batch, ForwardPass pass) {
    for (IntLayer layer : layers) {
      x = layer.forward(x, batch);
    }
    return x;
  }

  /** The network's input for images {@code from..from+batch}: the pixel values, image-major. */
  public int[] input(ImageSet images, int from, int batch) {
    return images.values(from, batch);
  }

  /** Posterior parameters, image-major: per image {@code latent} means then log-sds, Q16. */
  public int[] posteriorParameters(int[] input, int batch, ForwardPass pass) {
    return run(encoder, input, batch, pass);
  }

  /** q(z|x) for a batch, as the bucketed Gaussian codec over {@code [latent][image]}. */
  public GaussianBuckets posterior(int[] input, int batch, ForwardPass pass) {
    int l = architecture.latent();
    int[] params = posteriorParameters(input, batch, pass);
    int[] mean = new int[l * batch];
    int[] logSd = new int[l * batch];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < l; j++) {
        mean[j * batch + b] = params[b * 2 * l + j];
        logSd[j * batch + b] = params[b * 2 * l + l + j];
      }
    }
    return new GaussianBuckets(architecture.bucketBits(), mean, logSd,
        architecture.latentPrecision(), batch);
  }

  /** The prior over buckets for a batch: uniform, since the buckets have equal prior mass. */
  public Uniform prior(int batch) {
    return new Uniform(architecture.bucketBits(), architecture.latent() * batch, batch);
  }

  /** Decoder outputs for latent buckets given {@code [latent][image]}: image-major, Q16. */
  public int[] likelihoodParameters(int[] buckets, int batch, ForwardPass pass) {
    int l = architecture.latent();
    int[] z = new int[batch * l];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < l; j++) {
        z[b * l + j] = centres[buckets[j * batch + b]];
      }
    }
    return run(decoder, z, batch, pass);
  }

  /**
   * The latent decoder's outputs in the units the codec uses, image-major: 8-bit pixels, per
   * image the means then the log-scales clamped to the logistic's range; bits, the logits. With
   * a context head the means and logits are clamped to the head's input range ({@link Context}).
   */
  int[] baseParameters(int[] decoderOutput, int batch) {
    int d = architecture.dims();
    boolean context = architecture.hasContext();
    int[] base = decoderOutput.clone();
    if (architecture.likelihood() == Likelihood.PIXEL8) {
      for (int b = 0; b < batch; b++) {
        for (int p = 0; p < d; p++) {
          if (context) {
            base[b * 2 * d + p] = FixedPoint.clamp(base[b * 2 * d + p], MEAN_MIN_Q16,
                MEAN_MAX_Q16);
          }
          base[b * 2 * d + d + p] = FixedPoint.clamp(base[b * 2 * d + d + p],
              LOG_SCALE_MIN_Q16, LOG_SCALE_MAX_Q16);
        }
      }
    } else if (context) {
      for (int i = 0; i < base.length; i++) {
        base[i] = FixedPoint.clamp(base[i], -LOGIT_LIMIT_Q16, LOGIT_LIMIT_Q16);
      }
    }
    return base;
  }

  /** Working arrays of the context head for one pixel of every lane, reused pixel to pixel. */
  private final class HeadScratch {
    final int[] v;
    /** The hidden layer's and the skip connection's accumulators, side by side per row. */
    final double[] both;
    final double[] activations;
    final double[] out;
    final double[] skipOut;
    /** The nonzero inputs of one row: weight row offsets and values ({@link IntLayer}). */
    final int[] at;
    final double[] values;

    HeadScratch(int batch) {
      int n = Context.inputs(architecture.likelihood());
      v = new int[batch * n];
      both = new double[batch * (head[0].out + head[2].out)];
      activations = new double[batch * head[0].out];
      out = new double[batch * head[1].out];
      skipOut = new double[batch * head[2].out];
      at = new int[Math.max(n, head[1].in)];
      values = new double[at.length];
    }
  }

  /**
   * Refines the base parameters of pixel {@code p} of images {@code 0..batch-1} with the context
   * head, given their pixels so far ({@code pixels[b * dims + q]}, image-major; only the causal
   * neighbours of {@code p} are read), into {@code params} (laid out as {@link #baseParameters}).
   * One pixel of every lane at a time, whether the pixels are all known (push) or decoded one by
   * one (pop): the same integers either way, and working arrays that stay in cache.
   */
  private void refine(int[] base, int[] pixels, int batch, int p, int[] params, HeadScratch w) {
    int d = architecture.dims();
    boolean pixel8 = architecture.likelihood() == Likelihood.PIXEL8;
    int n = Context.inputs(architecture.likelihood());
    int shift = Context.IN_FRAC - (pixel8 ? 8 : 0); // neighbour / 256 or bit, in Q12
    int outShift = pixel8 ? 12 : 6; // mean / 256 or logit / 4, Q16 -> Q12
    int[] v = w.v;
    for (int b = 0; b < batch; b++) {
      int row = b * n;
      for (int k = 0; k < Context.NEIGHBOURS; k++) {
        int at = neighbourAt[k][p];
        v[row + k] = at < 0 ? 0 : pixels[b * d + at] << shift;
      }
      int first = b * (pixel8 ? 2 : 1) * d; // this image's means or logits
      for (int j = 0; j < Context.LATENT_PLACES; j++) {
        int at = latentAt[j][p];
        v[row + Context.NEIGHBOURS + j] = at < 0 ? 0 : base[first + at] >> outShift;
      }
      int own = row + Context.NEIGHBOURS + Context.LATENT_PLACES;
      v[own] = base[first + p] >> outShift;
      if (pixel8) {
        v[own + 1] = base[first + d + p] >> 4; // log-scale, Q16 -> Q12
      }
    }
    int both = head[0].out + head[2].out;
    IntLayer.product(headInputWeights, n, both, v, batch, w.both, w.at, w.values);
    double[] o = head[1].finishAsDouble(head[1].productOfDoubles(
        head[0].finishAsDouble(w.both, both, 0, batch, w.activations), batch, w.out, w.at,
        w.values), batch, w.out);
    double[] s = head[2].finishAsDouble(w.both, both, head[0].out, batch, w.skipOut);
    int oShift = FixedPoint.Q16_BITS - head[1].outFrac; // to Q16 (0 unless weights were large)
    int sShift = FixedPoint.Q16_BITS - head[2].outFrac;
    int k = architecture.mixture();
    if (k > 1) {
      int outs = 3 * k;
      for (int b = 0; b < batch; b++) {
        int at = b * outs * d + p;
        for (int c = 0; c < k; c++) {
          params[at + c * d] = FixedPoint.clamp(refined(base[b * 2 * d + p], o, s, b * outs + c,
              oShift, sShift), MEAN_MIN_Q16, MEAN_MAX_Q16);
          params[at + (k + c) * d] = FixedPoint.clamp(refined(base[b * 2 * d + d + p], o, s,
              b * outs + k + c, oShift, sShift), LOG_SCALE_MIN_Q16, LOG_SCALE_MAX_Q16);
          params[at + (2 * k + c) * d] = FixedPoint.clamp(refined(0, o, s,
              b * outs + 2 * k + c, oShift, sShift), -WEIGHT_LIMIT_Q16, WEIGHT_LIMIT_Q16);
        }
      }
      return;
    }
    for (int b = 0; b < batch; b++) {
      if (pixel8) {
        params[b * 2 * d + p] = FixedPoint.clamp(refined(base[b * 2 * d + p], o, s, 2 * b,
            oShift, sShift), MEAN_MIN_Q16, MEAN_MAX_Q16);
        params[b * 2 * d + d + p] = FixedPoint.clamp(refined(base[b * 2 * d + d + p], o, s,
            2 * b + 1, oShift, sShift), LOG_SCALE_MIN_Q16, LOG_SCALE_MAX_Q16);
      } else {
        params[b * d + p] = refined(base[b * d + p], o, s, b, oShift, sShift);
      }
    }
  }

  /** {@code base} plus the head's output {@code j} (hidden path and skip), within +-2^30. */
  private static int refined(int base, double[] o, double[] s, int j, int oShift, int sShift) {
    return (int) Math.max(-OUT_BOUND, Math.min(OUT_BOUND,
        (long) base + ((long) o[j] << oShift) + ((long) s[j] << sShift)));
  }

  /** Refines every pixel of a batch whose pixels are all known. */
  private int[] refineAll(int[] base, int[] pixels, int batch) {
    int[] params = refinedParameters(base, batch);
    HeadScratch w = new HeadScratch(batch);
    for (int p = 0; p < architecture.dims(); p++) {
      refine(base, pixels, batch, p, params, w);
    }
    return params;
  }

  /**
   * Where the refined parameters go: laid out as the base ones, or with a mixture, per image
   * {@link Architecture#parametersPerPixel} blocks of {@code dims} (the components' means, then
   * log-scales, then weight logits).
   */
  private int[] refinedParameters(int[] base, int batch) {
    return architecture.mixture() > 1
        ? new int[batch * architecture.parametersPerPixel() * architecture.dims()]
        : base.clone();
  }

  /**
   * The parameters of p(x|z) for every pixel of a batch whose pixels are known (image-major, as
   * {@link #input}), in {@link #refinedParameters}' layout: what the decoder computes pixel by
   * pixel.
   */
  int[] pixelParameters(int[] buckets, int[] pixels, int batch, ForwardPass pass) {
    int[] params = baseParameters(likelihoodParameters(buckets, batch, pass), batch);
    return architecture.hasContext() ? refineAll(params, pixels, batch) : params;
  }

  /** p(x|z) for a batch whose pixels are known, as a codec over {@code [pixel][image]}. */
  Distribution likelihoodGiven(int[] buckets, int[] pixels, int batch, ForwardPass pass) {
    return distribution(pixelParameters(buckets, pixels, batch, pass), batch, 0,
        architecture.dims());
  }

  /**
   * The distributions of pixels {@code first..first+count} of each image, as a codec over
   * {@code [pixel][image]} symbols, from parameters in {@link #refinedParameters}' layout.
   */
  private Distribution distribution(int[] params, int batch, int first, int count) {
    int d = architecture.dims();
    int precision = architecture.pixelPrecision();
    if (architecture.likelihood() == Likelihood.BERNOULLI) {
      int[] logits = new int[count * batch];
      for (int b = 0; b < batch; b++) {
        for (int q = 0; q < count; q++) {
          logits[q * batch + b] = params[b * d + first + q];
        }
      }
      return Bernoulli.fromLogitsQ16(logits, precision, batch);
    }
    int k = architecture.mixture();
    if (k > 1) {
      int[][][] blocks = new int[3][k][count * batch]; // means, log-scales, weight logits
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < 3 * k; j++) {
          int[] to = blocks[j / k][j % k];
          int from = (b * 3 * k + j) * d + first;
          for (int q = 0; q < count; q++) {
            to[q * batch + b] = params[from + q];
          }
        }
      }
      return new LogisticMixture(blocks[0], blocks[1], blocks[2], precision, batch);
    }
    int[] mean = new int[count * batch];
    int[] logScale = new int[count * batch];
    for (int b = 0; b < batch; b++) {
      for (int q = 0; q < count; q++) {
        mean[q * batch + b] = params[b * 2 * d + first + q];
        logScale[q * batch + b] = params[b * 2 * d + d + first + q];
      }
    }
    return new DiscretizedLogistic(mean, logScale, precision, batch);
  }

  /**
   * p(x|z) for a batch, as a codec over the pixels in {@code [pixel][image]} order. With a
   * context head, pushing computes every pixel's distribution at once from the known image;
   * popping decodes pixel by pixel across all images of the batch, each pixel's distribution
   * computed from the pixels already decoded. Both compute the same integers.
   */
  public Codec<int[]> likelihood(int[] buckets, int batch, ForwardPass pass) {
    int[] base = baseParameters(likelihoodParameters(buckets, batch, pass), batch);
    if (!architecture.hasContext()) {
      return distribution(base, batch, 0, architecture.dims());
    }
    int d = architecture.dims();
    return new Codec<>() {
      @Override
      public void push(Message m, int[] symbols) {
        int[] pixels = new int[d * batch];
        for (int i = 0; i < pixels.length; i++) {
          pixels[(i % batch) * d + i / batch] = symbols[i];
        }
        distribution(refineAll(base, pixels, batch), batch, 0, d).push(m, symbols);
      }

      @Override
      public int[] pop(Message m) {
        int[] pixels = new int[d * batch];
        int[] params = refinedParameters(base, batch);
        int[] symbols = new int[d * batch];
        int[] row = new int[batch];
        HeadScratch w = new HeadScratch(batch);
        for (int p = 0; p < d; p++) {
          refine(base, pixels, batch, p, params, w);
          distribution(params, batch, p, 1).pop(m, row);
          for (int b = 0; b < batch; b++) {
            pixels[b * d + p] = row[b];
          }
          System.arraycopy(row, 0, symbols, p * batch, batch);
        }
        return symbols;
      }
    };
  }

  /** Pixels of images {@code from..from+batch} as symbols in {@code [pixel][image]} order. */
  public int[] pixelSymbols(ImageSet images, int from, int batch) {
    int d = architecture.dims();
    int[] symbols = new int[d * batch];
    for (int b = 0; b < batch; b++) {
      for (int p = 0; p < d; p++) {
        symbols[p * batch + b] = images.pixel(from + b, p);
      }
    }
    return symbols;
  }

  /**
   * The bits-back code length of each image of a batch, in bits: {@code -log p(x|z)} plus
   * {@code -log p(z)} minus {@code -log q(z|x)}, all under the quantised distributions that code,
   * with z drawn from q(z|x) by popping a message seeded with {@code seed}, as the coder does.
   * Its mean is the rate the coder reaches, less the fixed per-shard overhead.
   */
  public double[] codeLengthBits(ImageSet images, int from, int batch, long seed,
      ForwardPass pass) {
    int l = architecture.latent();
    int d = architecture.dims();
    int[] input = input(images, from, batch);
    if (architecture.likelihood() == Likelihood.BERNOULLI) {
      for (int i = 0; i < input.length; i++) {
        input[i] = input[i] == 0 ? 0 : 1; // 0/255 images code as bits, as Shard codes them
      }
    }
    GaussianBuckets q = posterior(input, batch, pass);
    int[] buckets = q.pop(Message.seeded(batch, seed));
    Distribution p = likelihoodGiven(buckets, input, batch, pass);
    int[] x = new int[d * batch];
    for (int i = 0; i < x.length; i++) {
      x[(i % d) * batch + i / d] = input[i];
    }
    double[] bits = new double[batch];
    for (int b = 0; b < batch; b++) {
      bits[b] = (double) l * architecture.bucketBits();
    }
    for (int i = 0; i < l * batch; i++) {
      bits[i % batch] -= q.informationBits(i, buckets[i]);
    }
    for (int i = 0; i < d * batch; i++) {
      bits[i % batch] += p.informationBits(i, x[i]);
    }
    return bits;
  }

  /** Mean code length in bits per dimension over a whole set, batches of {@code batch}. */
  public double negativeElboBitsPerDim(ImageSet images, int batch, long seed,
      ForwardPass pass) {
    double total = 0;
    for (int from = 0; from < images.count(); from += batch) {
      int n = Math.min(batch, images.count() - from);
      for (double bits : codeLengthBits(images, from, n, seed + from, pass)) {
        total += bits;
      }
    }
    return total / ((double) images.count() * architecture.dims());
  }
}
