package io.bbans.codec.model;

import io.bbans.codec.image.ImageSet;
import java.util.SplittableRandom;

/**
 * The VAE as trained, in floating point. It defines what the integer network approximates:
 * <ul>
 *   <li>input: the pixel times {@link #inputScale} (1/255 for 8-bit pixels, 1 for bits);
 *   <li>encoder output: posterior means, then log standard deviations;
 *   <li>decoder output, 8-bit pixels: {@code o} per pixel, mean {@code 127.5 (1 + o)} in pixel
 *       units, then the log-scale in pixel units clipped to [{@link #LOG_SCALE_MIN},
 *       {@link #LOG_SCALE_MAX}]; bits: one logit per pixel.
 * </ul>
 * Used for training, calibration and the float negative ELBO, never for coding.
 */
public final class FloatVae {
  public static final double LOG_SCALE_MIN = -5;
  public static final double LOG_SCALE_MAX = 7;
  static final double HALF_RANGE = 127.5;
  private static final double LN2 = Math.log(2);

  final Architecture architecture;
  final FloatLayer[] encoder;
  final FloatLayer[] decoder;
  /** The context head ({@link Context}): hidden, output, skip; empty without context. */
  final FloatLayer[] head;

  FloatVae(Architecture architecture, FloatLayer[] encoder, FloatLayer[] decoder) {
    this(architecture, encoder, decoder, new FloatLayer[0]);
  }

  FloatVae(Architecture architecture, FloatLayer[] encoder, FloatLayer[] decoder,
      FloatLayer[] head) {
    if (head.length != (architecture.hasContext() ? 3 : 0)) {
      throw new IllegalArgumentException("context head has " + head.length + " layers");
    }
    this.architecture = architecture;
    this.encoder = encoder;
    this.decoder = decoder;
    this.head = head;
  }

  public Architecture architecture() {
    return architecture;
  }

  /**
   * This network with a context window of {@code window} ({@link Architecture#window}, as wide
   * or wider) that computes the same: the head's weights on the neighbours its window did not
   * read are zero.
   */
  FloatVae widened(int window) {
    if (!architecture.hasContext() || window < architecture.window()) {
      throw new IllegalArgumentException(architecture + " cannot widen to a window of "
          + window);
    }
    Architecture wider = architecture.withWindow(window);
    int[] at = Context.inputRowsIn(architecture, wider);
    int n = Context.inputs(wider);
    FloatLayer[] h = head.clone();
    for (int i : new int[] {0, 2}) {
      FloatLayer layer = head[i];
      float[] w = new float[n * layer.out];
      for (int k = 0; k < layer.in; k++) {
        System.arraycopy(layer.weights, k * layer.out, w, at[k] * layer.out, layer.out);
      }
      h[i] = new FloatLayer(n, layer.out, layer.relu, w, layer.bias.clone());
    }
    return new FloatVae(wider, encoder, decoder, h);
  }

  static double inputScale(Likelihood likelihood) {
    return likelihood == Likelihood.PIXEL8 ? 1.0 / 255 : 1.0;
  }

  static double[] run(FloatLayer[] layers, double[] x, int batch) {
    for (FloatLayer layer : layers) {
      x = layer.forward(x, batch);
    }
    return x;
  }

  double[] input(ImageSet images, int from, int batch) {
    int[] pixels = tileValues(images, from, batch);
    double scale = inputScale(architecture.likelihood());
    double[] x = new double[pixels.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = pixels[i] * scale;
    }
    return x;
  }

  /**
   * Refuses images that are not what the network reads: images of its size, or for a
   * tile-context model frames ({@link Context#frameRows}).
   */
  void checkInput(ImageSet images) {
    boolean framed = architecture.tileContext();
    int rows = Context.inputRows(architecture);
    int cols = Context.inputCols(architecture);
    if (images.count() > 0 && (!images.uniform() || images.rows() != rows
        || images.cols() != cols || images.channels() != architecture.channels())) {
      throw new IllegalArgumentException("the float network reads " + (framed ? "frames of "
          : "images of ") + rows + "x" + cols + ", not " + images.shapeText());
    }
  }

  int[] tileValues(ImageSet images, int from, int batch) {
    return Context.tileValues(architecture, images, from, batch);
  }

  int[] frameValues(ImageSet images, int from, int batch) {
    return Context.frameValues(architecture, images, from, batch);
  }

  /**
   * The negative ELBO in bits per dimension over {@code images}: the expected negative
   * log-likelihood under one posterior sample per image (seeded) plus the analytic KL to N(0, I).
   */
  public double negativeElboBitsPerDim(ImageSet images, long seed) {
    checkInput(images);
    int d = architecture.dims();
    int l = architecture.latent();
    SplittableRandom random = new SplittableRandom(seed);
    double total = 0;
    int batchSize = 100;
    for (int from = 0; from < images.count(); from += batchSize) {
      int batch = Math.min(batchSize, images.count() - from);
      double[] enc = run(encoder, input(images, from, batch), batch);
      double[] z = new double[batch * l];
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < l; j++) {
          double mean = enc[b * 2 * l + j];
          double logSd = enc[b * 2 * l + l + j];
          z[b * l + j] = mean + Math.exp(logSd) * random.nextGaussian();
          total += 0.5 * (mean * mean + Math.exp(2 * logSd) - 1 - 2 * logSd);
        }
      }
      int[] pixels = tileValues(images, from, batch);
      double[] out = pixelParameters(run(decoder, z, batch), pixels,
          frameValues(images, from, batch), batch);
      PixelOutputs outs = architecture.outputs();
      boolean bits = architecture.likelihood() == Likelihood.BERNOULLI;
      for (int b = 0; b < batch; b++) {
        for (int p = 0; p < d; p++) {
          int x = pixels[b * d + p];
          int at = outs.at(b, 0, p, d);
          total -= bits ? bernoulliLogProb(x, out[at])
              : outs.components() > 1 ? mixtureLogProb(x, out, at, outs.components(), d)
              : logisticLogProb(x, out[at], out[outs.at(b, outs.logScale(0), p, d)]);
        }
      }
    }
    return total / ((double) images.count() * d * LN2);
  }

  /**
   * The latent decoder's outputs in the units the codec uses, image-major: 8-bit pixels, per
   * image the means in pixel units then the clipped log-scales; bits, the logits. With a context
   * head the means and logits are clamped as the head's inputs are ({@link Context}).
   */
  double[] baseParameters(double[] decoderOutput, int batch) {
    int d = architecture.dims();
    boolean context = architecture.hasContext();
    double[] base = new double[decoderOutput.length];
    for (int b = 0; b < batch; b++) {
      for (int p = 0; p < d; p++) {
        if (architecture.likelihood() == Likelihood.PIXEL8) {
          double mean = HALF_RANGE * (1 + decoderOutput[b * 2 * d + p]);
          base[b * 2 * d + p] = context ? clip(mean, Context.MEAN_MIN, Context.MEAN_MAX) : mean;
          base[b * 2 * d + d + p] = clip(decoderOutput[b * 2 * d + d + p], LOG_SCALE_MIN,
              LOG_SCALE_MAX);
        } else {
          double logit = decoderOutput[b * d + p];
          base[b * d + p] = context
              ? clip(logit, -Context.LOGIT_LIMIT, Context.LOGIT_LIMIT) : logit;
        }
      }
    }
    return base;
  }

  /**
   * The context head's inputs, one row per subpixel of each image ({@link Context}); a
   * tile-context model reads neighbours outside the tile from {@code frames} (image-major,
   * {@link Context#frameSamples} per image; null: 0).
   */
  double[] headInputs(double[] base, int[] pixels, int[] frames, int batch) {
    int d = architecture.dims();
    Likelihood lik = architecture.likelihood();
    int channels = architecture.channels();
    int n = Context.inputs(architecture);
    double scale = Context.neighbourScale(lik);
    int[][] neighbourAt = Context.neighbourPlaces(architecture);
    int[][] frameAt = frames == null ? null : Context.framePlaces(architecture);
    int frame = Context.frameSamples(architecture);
    int[][] latentAt = Context.latentPlaces(architecture);
    int indicators = Context.indicators(channels);
    double[] v = new double[batch * d * n];
    for (int b = 0; b < batch; b++) {
      for (int p = 0; p < d; p++) {
        int row = (b * d + p) * n;
        for (int k = 0; k < neighbourAt.length; k++) {
          int at = neighbourAt[k][p];
          int framed = at < 0 && frameAt != null ? frameAt[k][p] : -1;
          v[row + k] = at >= 0 ? pixels[b * d + at] * scale
              : framed >= 0 ? frames[b * frame + framed] * scale : 0;
        }
        row += neighbourAt.length;
        for (int i = 0; i < indicators; i++) {
          v[row + i] = Context.flagged(p, channels, i) ? 1 : 0;
        }
        row += indicators;
        boolean pixel8 = lik == Likelihood.PIXEL8;
        int first = b * (pixel8 ? 2 : 1) * d; // this image's means or logits
        double outScale = pixel8 ? Context.PIXEL_SCALE : Context.LOGIT_SCALE;
        for (int j = 0; j < latentAt.length; j++) {
          int at = latentAt[j][p];
          v[row + j] = at < 0 ? 0 : base[first + at] / outScale;
        }
        int own = row + latentAt.length;
        v[own] = base[first + p] / outScale;
        if (pixel8) {
          v[own + 1] = base[first + d + p];
        }
      }
    }
    return v;
  }

  /**
   * The parameters of p(x|z) per pixel ({@link PixelOutputs}, image-major): the latent
   * decoder's, refined by the context head given the image's pixels (teacher forcing), each
   * output clamped to its range.
   */
  double[] pixelParameters(double[] decoderOutput, int[] pixels, int[] frames, int batch) {
    double[] base = baseParameters(decoderOutput, batch);
    if (!architecture.hasContext()) {
      return base;
    }
    int d = architecture.dims();
    int rows = batch * d;
    double[] v = headInputs(base, pixels, frames, batch);
    double[] o = head[1].forward(head[0].forward(v, rows), rows);
    double[] s = head[2].forward(v, rows);
    PixelOutputs outs = architecture.outputs();
    int n = outs.count();
    int baseCount = outs.baseCount();
    double[] params = new double[batch * n * d];
    for (int r = 0; r < rows; r++) {
      int b = r / d;
      int p = r % d;
      for (int j = 0; j < n; j++) {
        int from = outs.base(j);
        double start = from < 0 ? 0 : base[(b * baseCount + from) * d + p];
        params[outs.at(b, j, p, d)] = clip(start + outs.headScale(j) * (o[r * n + j]
            + s[r * n + j]), outs.lower(j), outs.upper(j));
      }
    }
    return params;
  }

  /**
   * log P(x) under a mixture of {@code k} discretised logistics whose parameters start at
   * {@code params[at]}, a block of {@code d} apart ({@link Architecture#parametersPerPixel}).
   */
  static double mixtureLogProb(int x, double[] params, int at, int k, int d) {
    double max = Double.NEGATIVE_INFINITY;
    double maxWeight = Double.NEGATIVE_INFINITY;
    double[] joint = new double[k];
    for (int c = 0; c < k; c++) {
      double w = params[at + (2 * k + c) * d];
      joint[c] = w + logisticLogProb(x, params[at + c * d], params[at + (k + c) * d]);
      max = Math.max(max, joint[c]);
      maxWeight = Math.max(maxWeight, w);
    }
    double sum = 0;
    double weights = 0;
    for (int c = 0; c < k; c++) {
      sum += Math.exp(joint[c] - max);
      weights += Math.exp(params[at + (2 * k + c) * d] - maxWeight);
    }
    return max + Math.log(sum) - maxWeight - Math.log(weights);
  }

  static double clip(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** log P(x) of the discretised logistic, in the stable form used for training. */
  static double logisticLogProb(int x, double mean, double logScale) {
    double inv = Math.exp(-logScale);
    double plus = (x + 0.5 - mean) * inv;
    double minus = (x - 0.5 - mean) * inv;
    if (x == 0) {
      return -softplus(-plus);
    }
    if (x == 255) {
      return -softplus(minus);
    }
    return -softplus(-plus) - softplus(minus) + Math.log(-Math.expm1(-inv));
  }

  static double bernoulliLogProb(int bit, double logit) {
    return bit == 1 ? -softplus(-logit) : -softplus(logit);
  }

  static double softplus(double v) {
    return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
  }
}
