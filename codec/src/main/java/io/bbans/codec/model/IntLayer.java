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
  /** bias + 2^(shift-1) and 2^-shift per output, for {@link #finishAsDouble}. */
  private final double[] offsetAsDouble;
  private final double[] scaleAsDouble;
  private final boolean exactInDouble;
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
    offsetAsDouble = new double[out];
    scaleAsDouble = new double[out];
    double largest = (double) in * WEIGHT_LIMIT * (1 << 16); // |inputs| < 2^16
    for (int j = 0; j < out; j++) {
      shifts[j] = exponents[j] + inFrac - outFrac;
      if (shifts[j] < 0 || shifts[j] > 62) {
        throw new IllegalArgumentException("requantisation shift " + shifts[j] + " of output "
            + j + " outside [0, 62]");
      }
      double half = shifts[j] > 0 ? Math.scalb(1.0, shifts[j] - 1) : 0;
      offsetAsDouble[j] = bias[j] + half; // exact while |bias| < 2^53, as checked below
      scaleAsDouble[j] = Math.scalb(1.0, -shifts[j]);
      largest = Math.max(largest, (double) in * WEIGHT_LIMIT * (1 << 16)
          + Math.abs((double) bias[j]) + half);
    }
    exactInDouble = largest < 0x1p52;
  }

  /** Forward pass of {@code batch} input rows (row-major, {@code in} each). */
  int[] forward(int[] input, int batch, ForwardPass pass) {
    double[] acc = pass.resolve(batch) == ForwardPass.ND4J ? productNd4j(input, batch)
        : productJava(input, batch);
    return requantize(acc, batch);
  }

  /**
   * The exact product of {@code rows} input rows with the weights, into {@code acc} (which it
   * overwrites): row by row, for the context head's few rows (one pixel of each lane) at a time,
   * whose arrays stay in cache.
   */
  void product(int[] input, int rows, double[] acc) {
    double[] w = weightsAsDouble;
    java.util.Arrays.fill(acc, 0, rows * out, 0.0);
    for (int r = 0; r < rows; r++) {
      int outBase = r * out;
      for (int k = 0; k < in; k++) {
        int a = input[r * in + k];
        if (a == 0) {
          continue;
        }
        double ad = a;
        int wBase = k * out;
        for (int j = 0; j < out; j++) {
          acc[outBase + j] += w[wBase + j] * ad;
        }
      }
    }
  }

  /**
   * {@link #requantize} with the results as doubles (exact integers), computed in double where
   * that is exact: {@code floor((acc + bias + 2^(s-1)) 2^-s)} clamped is the same integer as the
   * shift of {@link #requantize} whenever every term stays below 2^53 (checked once, from the
   * bounds of the layer's inputs, weights and biases), and it vectorises, where a conversion to
   * {@code long} per value does not. Used by the context head, whose hidden layer is
   * requantised once per pixel.
   */
  double[] finishAsDouble(double[] acc, int rows, double[] y) {
    if (!exactInDouble) {
      int[] q = requantize(acc, rows);
      for (int i = 0; i < q.length; i++) {
        y[i] = q[i];
      }
      return y;
    }
    double lo = relu ? 0 : -OUTPUT_LIMIT;
    double hi = relu ? HIDDEN_LIMIT : OUTPUT_LIMIT;
    for (int r = 0; r < rows; r++) {
      int base = r * out;
      for (int j = 0; j < out; j++) {
        double v = Math.floor((acc[base + j] + offsetAsDouble[j]) * scaleAsDouble[j]);
        y[base + j] = Math.max(lo, Math.min(hi, v));
      }
    }
    return y;
  }

  private volatile double[] transposed;

  /** The weights output-major: {@code [j * in + k]}. */
  private double[] transposedWeights() {
    double[] t = transposed;
    if (t == null) {
      t = new double[in * out];
      for (int k = 0; k < in; k++) {
        for (int j = 0; j < out; j++) {
          t[j * in + k] = weightsAsDouble[k * out + j];
        }
      }
      transposed = t;
    }
    return t;
  }

  /**
   * The exact product of {@code rows} rows of integer-valued double inputs with the weights, into
   * {@code acc} (returned), for the context head's output layer. With one or two outputs, as dot
   * products with four partial sums each, there being nothing to vectorise across; with more (a
   * mixture's), input-major, skipping the inputs that are zero (the hidden ReLUs that are off,
   * about half): faster there than the dot products, or than vectorising across the rows, whose
   * loops are too short. Exact either way, so the order of the additions changes nothing.
   */
  double[] productOfDoubles(double[] input, int rows, double[] acc) {
    if (out > 2) {
      double[] w = weightsAsDouble;
      java.util.Arrays.fill(acc, 0, rows * out, 0.0);
      for (int r = 0; r < rows; r++) {
        int outBase = r * out;
        for (int k = 0; k < in; k++) {
          double a = input[r * in + k];
          if (a == 0) {
            continue;
          }
          int wBase = k * out;
          for (int j = 0; j < out; j++) {
            acc[outBase + j] += w[wBase + j] * a;
          }
        }
      }
      return acc;
    }
    double[] wt = transposedWeights();
    for (int r = 0; r < rows; r++) {
      int inBase = r * in;
      for (int j = 0; j < out; j++) {
        int wBase = j * in;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < in; k += 4) {
          s0 += wt[wBase + k] * input[inBase + k];
          s1 += wt[wBase + k + 1] * input[inBase + k + 1];
          s2 += wt[wBase + k + 2] * input[inBase + k + 2];
          s3 += wt[wBase + k + 3] * input[inBase + k + 3];
        }
        for (; k < in; k++) {
          s0 += wt[wBase + k] * input[inBase + k];
        }
        acc[r * out + j] = (s0 + s1) + (s2 + s3);
      }
    }
    return acc;
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

  int[] requantize(double[] acc, int batch) {
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
