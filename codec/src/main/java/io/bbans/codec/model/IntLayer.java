package io.bbans.codec.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One dense layer of the integer network: {@code y_j = requant_j(b_j + sum_k w_kj a_k)}, then
 * ReLU for hidden layers.
 *
 * <p>Formats: the input activations are integers in Q{@code inFrac} (the real value times
 * 2^inFrac); weight {@code w_kj} is the real weight times {@code 2^e_j} (a per-output exponent,
 * |w| at most 32767); the bias is the real bias times {@code 2^(e_j + inFrac)}. The accumulator
 * is then the real output times {@code 2^(e_j + inFrac)}, and requantisation to Q{@code outFrac}
 * is an arithmetic shift by {@code e_j + inFrac - outFrac} rounding half up. Hidden outputs are
 * clamped to [0, 65535], final outputs to [-2^30, 2^30].
 */
final class IntLayer {
  static final int WEIGHT_LIMIT = 32767;
  static final int HIDDEN_LIMIT = 65535;
  static final int OUTPUT_LIMIT = 1 << 30;

  final int in;
  final int out;
  final boolean relu;
  final int inFrac;
  final int outFrac;
  /** in x out, row-major: weights[k * out + j]. */
  final short[] weights;
  final byte[] exponents;
  final long[] bias;

  private final double[] weightsAsDouble;
  private final int[] shifts;
  private volatile INDArray weightMatrix;

  IntLayer(int in, int out, boolean relu, int inFrac, int outFrac, short[] weights,
      byte[] exponents, long[] bias) {
    if (weights.length != in * out || exponents.length != out || bias.length != out) {
      throw new IllegalArgumentException("layer arrays do not match " + in + "x" + out);
    }
    this.in = in;
    this.out = out;
    this.relu = relu;
    this.inFrac = inFrac;
    this.outFrac = outFrac;
    this.weights = weights;
    this.exponents = exponents;
    this.bias = bias;
    weightsAsDouble = new double[weights.length];
    for (int i = 0; i < weights.length; i++) {
      weightsAsDouble[i] = weights[i];
    }
    shifts = new int[out];
    for (int j = 0; j < out; j++) {
      shifts[j] = exponents[j] + inFrac - outFrac;
      if (shifts[j] < 0 || shifts[j] > 62) {
        throw new IllegalArgumentException("requantisation shift " + shifts[j] + " of output "
            + j + " outside [0, 62]");
      }
    }
  }

  /** Forward pass of {@code batch} input rows (row-major, {@code in} each). */
  int[] forward(int[] input, int batch, ForwardPass pass) {
    double[] acc = pass.resolve(batch) == ForwardPass.ND4J ? productNd4j(input, batch)
        : productJava(input, batch);
    return requantize(acc, batch);
  }

  /**
   * The exact partial products of inputs {@code first..first+width} only: {@code rows} input
   * rows of {@code width} values each (those inputs), {@code acc[r * out + j]} gets
   * {@code sum w_kj a_k} added. Splitting a product into partial ones changes nothing: every
   * partial sum is an exact integer, and so is their total.
   */
  void accumulate(int[] input, int width, int rows, int first, double[] acc) {
    double[] w = weightsAsDouble;
    for (int r = 0; r < rows; r++) {
      int outBase = r * out;
      for (int k = 0; k < width; k++) {
        int a = input[r * width + k];
        if (a == 0) {
          continue;
        }
        double ad = a;
        int wBase = (first + k) * out;
        for (int j = 0; j < out; j++) {
          acc[outBase + j] += w[wBase + j] * ad;
        }
      }
    }
  }

  /** Bias, requantisation and (for hidden layers) ReLU of exact accumulators. */
  int[] finish(double[] acc, int rows) {
    return requantize(acc, rows);
  }

  /**
   * Input-major order: each weight row is read once per batch and used by every image while it
   * sits in L1, instead of streaming the whole matrix once per image. The order of the additions
   * changes nothing: they are exact.
   */
  private double[] productJava(int[] input, int batch) {
    double[] acc = new double[batch * out];
    double[] w = weightsAsDouble;
    for (int k = 0; k < in; k++) {
      int wBase = k * out;
      for (int b = 0; b < batch; b++) {
        int a = input[b * in + k];
        if (a == 0) {
          continue; // background pixels and inactive ReLUs: most inputs
        }
        double ad = a;
        int outBase = b * out;
        for (int j = 0; j < out; j++) {
          acc[outBase + j] += w[wBase + j] * ad;
        }
      }
    }
    return acc;
  }

  private double[] productNd4j(int[] input, int batch) {
    INDArray w = weightMatrix;
    if (w == null) {
      w = Nd4j.create(weightsAsDouble, new long[] {in, out}, 'c');
      weightMatrix = w;
    }
    double[] x = new double[batch * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = input[i];
    }
    INDArray product = Nd4j.create(x, new long[] {batch, in}, 'c').mmul(w);
    return product.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  private int[] requantize(double[] acc, int batch) {
    int[] y = new int[batch * out];
    long lo = relu ? 0 : -OUTPUT_LIMIT;
    long hi = relu ? HIDDEN_LIMIT : OUTPUT_LIMIT;
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < out; j++) {
        long v = (long) acc[b * out + j] + bias[j];
        int s = shifts[j];
        if (s > 0) {
          v = (v + (1L << (s - 1))) >> s;
        }
        y[b * out + j] = (int) Math.max(lo, Math.min(hi, v));
      }
    }
    return y;
  }
}
