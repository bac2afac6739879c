package io.bbans.codec.model;

import io.bbans.codec.ans.FixedPoint;
import io.bbans.codec.image.ImageSet;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a trained {@link FloatVae} into the integer network that codes.
 *
 * <ul>
 *   <li>The input normalisation (1/255 for 8-bit pixels) is folded into the first encoder
 *       layer, so the encoder reads raw pixel values (Q0). The decoder reads bucket centres in
 *       Q16.
 *   <li>Hidden activations get a per-layer fixed-point format: the most fraction bits for which
 *       the largest activation seen on the calibration images, with 25% headroom, fits 65535.
 *   <li>Weights get a per-output power-of-two exponent: the largest for which the row's
 *       biggest weight fits 32767 (int16), so each row keeps 15 significant bits.
 *   <li>Final layers output Q16 directly: posterior means and log-sds, logistic means (the
 *       affine {@code 127.5 (1 + o)} folded in) and log-scales, Bernoulli logits.
 * </ul>
 */
public final class Quantizer {
  static final int OUTPUT_FRAC = FixedPoint.Q16_BITS;
  static final int MAX_FRAC = 24;
  static final int MAX_EXPONENT = 40;
  private static final double HEADROOM = 1.25;
  /** The head is calibrated on at most 500 images, and the rows (pixels) of 500 28x28 ones. */
  private static final int HEAD_CALIBRATION_IMAGES = 500;
  private static final int HEAD_CALIBRATION_ROWS = HEAD_CALIBRATION_IMAGES * 28 * 28;

  private Quantizer() {}

  public static QuantizedVae quantize(FloatVae f, ImageSet calibration) {
    Architecture arch = f.architecture();
    if (calibration.count() == 0) {
      throw new IllegalArgumentException("quantisation needs calibration images");
    }
    f.checkInput(calibration);
    int n = Math.min(calibration.count(), 2000);
    double[] x = f.input(calibration, 0, n);
    double[][] encoderActs = activations(f.encoder, x, n);
    // Decoder calibration on posterior samples of the same images.
    double[] enc = encoderActs[encoderActs.length - 1];
    int l = arch.latent();
    double[] z = new double[n * l];
    SplittableRandom random = new SplittableRandom(7);
    for (int b = 0; b < n; b++) {
      for (int j = 0; j < l; j++) {
        z[b * l + j] = enc[b * 2 * l + j] + Math.exp(enc[b * 2 * l + l + j]) * random.nextGaussian();
      }
    }
    double[][] decoderActs = activations(f.decoder, z, n);

    double inputScale = FloatVae.inputScale(arch.likelihood());
    IntLayer[] encoder = quantizeStack(f.encoder, encoderActs, 0, inputScale, null);
    double[][] affine = null;
    if (arch.likelihood() == Likelihood.PIXEL8) {
      int d = arch.dims();
      affine = new double[2][2 * d];
      for (int j = 0; j < 2 * d; j++) {
        affine[0][j] = j < d ? FloatVae.HALF_RANGE : 1;
        affine[1][j] = j < d ? FloatVae.HALF_RANGE : 0;
      }
    }
    IntLayer[] decoder = quantizeStack(f.decoder, decoderActs, OUTPUT_FRAC, 1, affine);
    if (!arch.hasContext()) {
      return new QuantizedVae(arch, encoder, decoder);
    }
    // The head, calibrated on the same images' pixels and decoder outputs (fewer: one row per
    // pixel or subpixel).
    int m = Math.max(1, Math.min(Math.min(n, HEAD_CALIBRATION_IMAGES),
        HEAD_CALIBRATION_ROWS / arch.dims()));
    double[] decoderOut = decoderActs[decoderActs.length - 1];
    double[] base = f.baseParameters(Arrays.copyOf(decoderOut,
        (int) ((long) m * decoderOut.length / n)), m);
    double[] v = f.headInputs(base, f.tileValues(calibration, 0, m),
        f.frameValues(calibration, 0, m), m);
    double[] hidden = f.head[0].forward(v, m * arch.dims());
    int hiddenFrac = hiddenFrac(hidden);
    PixelOutputs outs = arch.outputs();
    double[][] headAffine = new double[2][outs.count()];
    for (int j = 0; j < outs.count(); j++) {
      headAffine[0][j] = outs.headScale(j); // means' refinements are in units of 256
    }
    IntLayer[] head = {
        quantizeLayer(f.head[0], Context.IN_FRAC, hiddenFrac, 1, null),
        headOutput(f.head[1], hiddenFrac, headAffine),
        headOutput(f.head[2], Context.IN_FRAC, headAffine)};
    return new QuantizedVae(arch, encoder, decoder, head);
  }

  /**
   * A head output layer in Q16, or in fewer fraction bits where a weight too large for Q16 needs
   * them (the codec shifts its outputs back to Q16).
   */
  private static IntLayer headOutput(FloatLayer f, int inFrac, double[][] affine) {
    for (int outFrac = OUTPUT_FRAC; ; outFrac--) {
      try {
        return quantizeLayer(f, inFrac, outFrac, 1, affine);
      } catch (IllegalStateException e) {
        if (outFrac == 0) {
          throw e;
        }
      }
    }
  }

  /** acts[i] = output of layer i on the calibration inputs. */
  private static double[][] activations(FloatLayer[] layers, double[] x, int n) {
    double[][] acts = new double[layers.length][];
    for (int i = 0; i < layers.length; i++) {
      x = layers[i].forward(x, n);
      acts[i] = x;
    }
    return acts;
  }

  private static IntLayer[] quantizeStack(FloatLayer[] layers, double[][] acts, int inputFrac,
      double inputScale, double[][] outputAffine) {
    IntLayer[] out = new IntLayer[layers.length];
    int inFrac = inputFrac;
    for (int i = 0; i < layers.length; i++) {
      boolean last = i == layers.length - 1;
      int outFrac = last ? OUTPUT_FRAC : hiddenFrac(acts[i]);
      out[i] = quantizeLayer(layers[i], inFrac, outFrac, i == 0 ? inputScale : 1,
          last ? outputAffine : null);
      inFrac = outFrac;
    }
    return out;
  }

  static int hiddenFrac(double[] acts) {
    double max = 0;
    for (double a : acts) {
      max = Math.max(max, Math.abs(a));
    }
    if (max == 0) {
      return MAX_FRAC;
    }
    int frac = (int) Math.floor(Math.log(IntLayer.HIDDEN_LIMIT / (max * HEADROOM)) / Math.log(2));
    return Math.max(0, Math.min(MAX_FRAC, frac));
  }

  static IntLayer quantizeLayer(FloatLayer f, int inFrac, int outFrac, double inputScale,
      double[][] affine) {
    short[] weights = new short[f.in * f.out];
    byte[] exponents = new byte[f.out];
    long[] bias = new long[f.out];
    for (int j = 0; j < f.out; j++) {
      double scale = inputScale * (affine == null ? 1 : affine[0][j]);
      double b = f.bias[j] * (affine == null ? 1 : affine[0][j])
          + (affine == null ? 0 : affine[1][j]);
      double maxAbs = 0;
      for (int k = 0; k < f.in; k++) {
        maxAbs = Math.max(maxAbs, Math.abs(f.weights[k * f.out + j] * scale));
      }
      int e = maxAbs == 0 ? MAX_EXPONENT
          : (int) Math.floor(Math.log(IntLayer.WEIGHT_LIMIT / maxAbs) / Math.log(2));
      e = Math.min(e, MAX_EXPONENT);
      // The bias, scaled to the accumulator, must stay far inside a double's exact range.
      while (e > outFrac - inFrac && Math.abs(b) * Math.pow(2, e + inFrac) > 0x1p50) {
        e--;
      }
      if (e + inFrac < outFrac) {
        throw new IllegalStateException("weights of output " + j + " too large to quantise ("
            + maxAbs + ")");
      }
      exponents[j] = (byte) e;
      for (int k = 0; k < f.in; k++) {
        long q = Math.round(f.weights[k * f.out + j] * scale * Math.pow(2, e));
        weights[k * f.out + j] = (short) Math.max(-IntLayer.WEIGHT_LIMIT,
            Math.min(IntLayer.WEIGHT_LIMIT, q));
      }
      bias[j] = Math.round(b * Math.pow(2, e + inFrac));
    }
    return new IntLayer(f.in, f.out, f.relu, inFrac, outFrac, weights, exponents, bias);
  }
}
