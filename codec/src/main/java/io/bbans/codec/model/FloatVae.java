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

  FloatVae(Architecture architecture, FloatLayer[] encoder, FloatLayer[] decoder) {
    this.architecture = architecture;
    this.encoder = encoder;
    this.decoder = decoder;
  }

  public Architecture architecture() {
    return architecture;
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
    int d = architecture.dims();
    double scale = inputScale(architecture.likelihood());
    double[] x = new double[batch * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = images.pixel(from + i / d, i % d) * scale;
    }
    return x;
  }

  /**
   * The negative ELBO in bits per dimension over {@code images}: the expected negative
   * log-likelihood under one posterior sample per image (seeded) plus the analytic KL to N(0, I).
   */
  public double negativeElboBitsPerDim(ImageSet images, long seed) {
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
      double[] out = run(decoder, z, batch);
      int outs = architecture.likelihood().outputsPerPixel() * d;
      for (int b = 0; b < batch; b++) {
        for (int p = 0; p < d; p++) {
          int x = images.pixel(from + b, p);
          total -= architecture.likelihood() == Likelihood.PIXEL8
              ? logisticLogProb(x, HALF_RANGE * (1 + out[b * outs + p]),
                  clip(out[b * outs + d + p], LOG_SCALE_MIN, LOG_SCALE_MAX))
              : bernoulliLogProb(x, out[b * outs + p]);
        }
      }
    }
    return total / ((double) images.count() * d * LN2);
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
