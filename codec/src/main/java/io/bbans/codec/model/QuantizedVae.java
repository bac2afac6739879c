package io.bbans.codec.model;

import io.bbans.codec.ans.Bernoulli;
import io.bbans.codec.ans.DiscretizedLogistic;
import io.bbans.codec.ans.Distribution;
import io.bbans.codec.ans.FixedPoint;
import io.bbans.codec.ans.GaussianBuckets;
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

  private final Architecture architecture;
  final IntLayer[] encoder;
  final IntLayer[] decoder;
  private final int[] centres;

  QuantizedVae(Architecture architecture, IntLayer[] encoder, IntLayer[] decoder) {
    this.architecture = architecture;
    this.encoder = encoder;
    this.decoder = decoder;
    this.centres = GaussianBuckets.centresQ16(architecture.bucketBits());
  }

  public Architecture architecture() {
    return architecture;
  }

  private static int[] run(IntLayer[] layers, int[] x, int batch, ForwardPass pass) {
    for (IntLayer layer : layers) {
      x = layer.forward(x, batch, pass);
    }
    return x;
  }

  /** The network's input for images {@code from..from+batch}: the pixel values, image-major. */
  public int[] input(ImageSet images, int from, int batch) {
    int d = architecture.dims();
    byte[] pixels = images.pixels();
    int[] x = new int[batch * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = pixels[from * d + i] & 0xFF;
    }
    return x;
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

  /** p(x|z) for a batch, as a codec over the pixels in {@code [pixel][image]} order. */
  public Distribution likelihood(int[] buckets, int batch, ForwardPass pass) {
    int d = architecture.dims();
    int[] out = likelihoodParameters(buckets, batch, pass);
    int outs = architecture.likelihood().outputsPerPixel() * d;
    int precision = architecture.pixelPrecision();
    if (architecture.likelihood() == Likelihood.BERNOULLI) {
      int[] logits = new int[d * batch];
      for (int b = 0; b < batch; b++) {
        for (int p = 0; p < d; p++) {
          logits[p * batch + b] = out[b * outs + p];
        }
      }
      return Bernoulli.fromLogitsQ16(logits, precision, batch);
    }
    int[] mean = new int[d * batch];
    int[] logScale = new int[d * batch];
    for (int b = 0; b < batch; b++) {
      for (int p = 0; p < d; p++) {
        mean[p * batch + b] = out[b * outs + p];
        logScale[p * batch + b] = FixedPoint.clamp(out[b * outs + d + p], LOG_SCALE_MIN_Q16,
            LOG_SCALE_MAX_Q16);
      }
    }
    return new DiscretizedLogistic(mean, logScale, precision, batch);
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
    GaussianBuckets q = posterior(input(images, from, batch), batch, pass);
    int[] buckets = q.pop(Message.seeded(batch, seed));
    Distribution p = likelihood(buckets, batch, pass);
    int[] x = pixelSymbols(images, from, batch);
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
