package io.bbans.codec.model;

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
  /** bias + 1/2 where the shift is not 0, else bias, for {@link VectorKernels#finish}. */
  private final double[] halvesAsDouble;
  private final boolean exactInDouble;
  /**
   * Whether {@link VectorKernels} compute this layer: they run ({@link Kernels#VECTOR}) and the
   * sums are exact in double for inputs below 2^24 in magnitude (pixels and activations are below
   * 2^16, latent bucket centres in Q16 below 2^19), whatever order they are added in.
   */
  final boolean vectorOk;
  /**
   * The weights with rows of {@link #stride} for {@link VectorKernels} (the same array as
   * {@link #weightsAsDouble} where {@code out} is whole vectors); null if not used.
   */
  private final double[] weightsPadded;
  /** Row stride of this layer's accumulators: {@code out}, or whole vectors. */
  final int stride;

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
    halvesAsDouble = new double[out];
    double biasAndHalf = 0; // the largest |bias| + 2^(shift-1)
    for (int j = 0; j < out; j++) {
      shifts[j] = exponents[j] + inFrac - outFrac;
      if (shifts[j] < 0 || shifts[j] > 62) {
        throw new IllegalArgumentException("requantisation shift " + shifts[j] + " of output "
            + j + " outside [0, 62]");
      }
      double half = shifts[j] > 0 ? Math.scalb(1.0, shifts[j] - 1) : 0;
      offsetAsDouble[j] = bias[j] + half; // exact while |bias| < 2^53, as checked below
      scaleAsDouble[j] = Math.scalb(1.0, -shifts[j]);
      halvesAsDouble[j] = bias[j] + (shifts[j] > 0 ? 0.5 : 0); // exact, as offsetAsDouble
      biasAndHalf = Math.max(biasAndHalf, Math.abs((double) bias[j]) + half);
    }
    exactInDouble = (double) in * WEIGHT_LIMIT * 0x1p16 + biasAndHalf < 0x1p52; // |inputs| < 2^16
    vectorOk = Kernels.VECTOR && (double) in * WEIGHT_LIMIT * 0x1p24 + biasAndHalf < 0x1p52;
    weightsPadded = vectorOk ? VectorKernels.pad(weightsAsDouble, in, out) : null;
    stride = vectorOk ? VectorKernels.stride(out) : out;
  }

  /**
   * Forward pass of {@code batch} input rows (row-major, {@code in} each): by the vector kernels
   * from {@link VectorKernels#MIN_ROWS} rows, where each weight they load serves several rows;
   * for fewer the scalar loops, which skip zero inputs, are faster.
   */
  int[] forward(int[] input, int batch) {
    return vectorOk && batch >= VectorKernels.MIN_ROWS ? forwardVector(input, batch)
        : forwardScalar(input, batch);
  }

  /** {@link #forward} by the scalar loops, the reference. */
  int[] forwardScalar(int[] input, int batch) {
    return requantize(productJava(input, batch), out, batch);
  }

  /** {@link #forward} by {@link VectorKernels}; only where {@link #vectorOk}. */
  int[] forwardVector(int[] input, int batch) {
    double[] x = new double[batch * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = input[i];
    }
    double[] acc = new double[batch * stride];
    VectorKernels.product(weightsPadded, in, stride, x, in, batch, acc);
    return requantize(acc, stride, batch);
  }

  /**
   * The exact product of {@code rows} rows of integer-valued doubles ({@code in} each) with the
   * weights by {@link VectorKernels}, into {@code acc} (rows of {@link #stride}, returned); only
   * where {@link #vectorOk}.
   */
  double[] productVector(double[] input, int rows, double[] acc) {
    VectorKernels.product(weightsPadded, in, stride, input, in, rows, acc);
    return acc;
  }

  /**
   * The exact product of {@code rows} input rows with the weights {@code w} ({@code in x out},
   * row-major), into {@code acc} (which it overwrites): row by row, for the context head's few
   * rows (one pixel of each lane) at a time, whose arrays stay in cache. {@code at} and
   * {@code values} are working arrays of at least {@code in} entries ({@link #nonzeroRow}).
   */
  static void product(double[] w, int in, int out, int[] input, int rows, double[] acc, int[] at,
      double[] values) {
    for (int r = 0; r < rows; r++) {
      int n = 0;
      int inBase = r * in;
      for (int k = 0; k < in; k++) {
        int a = input[inBase + k];
        at[n] = k * out; // kept only when a is not zero: no branch to mispredict
        values[n] = a;
        n += a != 0 ? 1 : 0;
      }
      nonzeroRow(w, out, at, values, n, acc, r * out);
    }
  }

  /**
   * The weights of two layers that read the same inputs side by side, {@code in x (a.out +
   * b.out)}: one {@link #product(double[], int, int, int[], int, double[], int[], double[])}
   * then computes both, outputs {@code 0..a.out-1} being a's, in one pass over longer rows (the
   * context head's hidden layer and its skip connection, whose 9 outputs alone vectorise badly).
   */
  static double[] sideBySide(IntLayer a, IntLayer b) {
    if (a.in != b.in) {
      throw new IllegalArgumentException("layers read " + a.in + " and " + b.in + " inputs");
    }
    int out = a.out + b.out;
    double[] w = new double[a.in * out];
    for (int k = 0; k < a.in; k++) {
      System.arraycopy(a.weightsAsDouble, k * a.out, w, k * out, a.out);
      System.arraycopy(b.weightsAsDouble, k * b.out, w, k * out + a.out, b.out);
    }
    return w;
  }

  /**
   * One row of the product from its nonzero inputs only: input {@code i} is {@code values[i]}
   * at weight row offset {@code at[i]} ({@code k * out}). Four inputs per pass over the outputs,
   * so each accumulator is loaded and stored once per four products instead of once per
   * product (about 1.7 times faster on this machine, BENCHMARKS.md), and zero inputs (background
   * pixels, ReLUs that are off) cost nothing. Every product and partial sum is an integer below
   * 2^53 ({@link #exactInDouble}), so the grouping of the additions changes nothing.
   */
  private static void nonzeroRow(double[] w, int out, int[] at, double[] values, int n,
      double[] acc, int outBase) {
    java.util.Arrays.fill(acc, outBase, outBase + out, 0.0);
    addRows(w, out, at, values, n, acc, outBase);
  }

  /** Adds the products of {@link #nonzeroRow} to the accumulators, four inputs a pass. */
  private static void addRows(double[] w, int out, int[] at, double[] values, int n,
      double[] acc, int outBase) {
    int i = 0;
    for (; i + 3 < n; i += 4) {
      int w0 = at[i];
      int w1 = at[i + 1];
      int w2 = at[i + 2];
      int w3 = at[i + 3];
      double a0 = values[i];
      double a1 = values[i + 1];
      double a2 = values[i + 2];
      double a3 = values[i + 3];
      for (int j = 0; j < out; j++) {
        acc[outBase + j] += (w[w0 + j] * a0 + w[w1 + j] * a1) + (w[w2 + j] * a2 + w[w3 + j] * a3);
      }
    }
    if (i + 1 < n) {
      int w0 = at[i];
      int w1 = at[i + 1];
      double a0 = values[i];
      double a1 = values[i + 1];
      for (int j = 0; j < out; j++) {
        acc[outBase + j] += w[w0 + j] * a0 + w[w1 + j] * a1;
      }
      i += 2;
    }
    if (i < n) {
      int w0 = at[i];
      double a0 = values[i];
      for (int j = 0; j < out; j++) {
        acc[outBase + j] += w[w0 + j] * a0;
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
    return finishAsDouble(acc, out, 0, rows, y);
  }

  /**
   * {@link #finishAsDouble(double[], int, double[])} of accumulators that sit in rows of
   * {@code stride} from {@code offset} ({@link #sideBySide}); {@code y} has rows of {@code out}.
   */
  double[] finishAsDouble(double[] acc, int stride, int offset, int rows, double[] y) {
    double lo = relu ? 0 : -OUTPUT_LIMIT;
    double hi = relu ? HIDDEN_LIMIT : OUTPUT_LIMIT;
    if (vectorOk) {
      VectorKernels.finish(acc, stride, offset, rows, out, halvesAsDouble, scaleAsDouble, lo, hi,
          y);
      return y;
    }
    return finishScalar(acc, stride, offset, rows, y);
  }

  /** {@link #finishAsDouble(double[], int, int, int, double[])} by the scalar loop. */
  double[] finishScalar(double[] acc, int stride, int offset, int rows, double[] y) {
    if (!exactInDouble) {
      double[] own = new double[rows * out];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(acc, r * stride + offset, own, r * out, out);
      }
      int[] q = requantize(own, rows);
      for (int i = 0; i < q.length; i++) {
        y[i] = q[i];
      }
      return y;
    }
    double lo = relu ? 0 : -OUTPUT_LIMIT;
    double hi = relu ? HIDDEN_LIMIT : OUTPUT_LIMIT;
    for (int r = 0; r < rows; r++) {
      int from = r * stride + offset;
      int base = r * out;
      for (int j = 0; j < out; j++) {
        double v = Math.floor((acc[from + j] + offsetAsDouble[j]) * scaleAsDouble[j]);
        y[base + j] = Math.max(lo, Math.min(hi, v));
      }
    }
    return y;
  }

  /**
   * The exact product of {@code rows} rows of integer-valued double inputs with the weights, into
   * {@code acc} (returned), for the context head's output layer: as the other product, from the
   * nonzero inputs only (about half of the hidden ReLUs are off).
   */
  double[] productOfDoubles(double[] input, int rows, double[] acc, int[] at, double[] values) {
    for (int r = 0; r < rows; r++) {
      int n = 0;
      int inBase = r * in;
      for (int k = 0; k < in; k++) {
        double a = input[inBase + k];
        at[n] = k * out;
        values[n] = a;
        n += a != 0 ? 1 : 0;
      }
      if (out == 9) {
        nineOutputs(at, values, n, acc, r * 9);
      } else {
        nonzeroRow(weightsAsDouble, out, at, values, n, acc, r * out);
      }
    }
    return acc;
  }

  /**
   * {@link #nonzeroRow} for nine outputs, the output layer of the default models' heads (a
   * mixture of three: a mean, a log-scale and a weight each), with the nine sums in registers
   * across all inputs: 2.1 us per pixel of 16 lanes where the general loop, too short to
   * vectorise, takes 3.5 (BENCHMARKS.md). Exact likewise.
   */
  private void nineOutputs(int[] at, double[] values, int n, double[] acc, int outBase) {
    double[] w = weightsAsDouble;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    double s8 = 0;
    for (int i = 0; i < n; i++) {
      int b = at[i];
      double a = values[i];
      s0 += w[b] * a;
      s1 += w[b + 1] * a;
      s2 += w[b + 2] * a;
      s3 += w[b + 3] * a;
      s4 += w[b + 4] * a;
      s5 += w[b + 5] * a;
      s6 += w[b + 6] * a;
      s7 += w[b + 7] * a;
      s8 += w[b + 8] * a;
    }
    acc[outBase] = s0;
    acc[outBase + 1] = s1;
    acc[outBase + 2] = s2;
    acc[outBase + 3] = s3;
    acc[outBase + 4] = s4;
    acc[outBase + 5] = s5;
    acc[outBase + 6] = s6;
    acc[outBase + 7] = s7;
    acc[outBase + 8] = s8;
  }

  /** Inputs per block of {@link #productJava}: 32 weight rows of 300 doubles are 77 KB. */
  static final int BLOCK = 32;

  /**
   * The exact product of a batch, blocked for the caches: the inputs are taken {@link #BLOCK}
   * at a time, whose weight rows stay in L2 while every image of the batch uses them; within a
   * block each image adds its nonzero inputs four at a time ({@link #nonzeroRow}), so that its
   * accumulators are loaded and stored once per four products, and zero inputs (background
   * pixels, ReLUs that are off) cost nothing. The order of the additions changes nothing:
   * they are exact ({@link #exactInDouble}).
   */
  private double[] productJava(int[] input, int batch) {
    double[] acc = new double[batch * out];
    double[] w = weightsAsDouble;
    int[] at = new int[BLOCK];
    double[] values = new double[BLOCK];
    for (int k0 = 0; k0 < in; k0 += BLOCK) {
      int k1 = Math.min(in, k0 + BLOCK);
      for (int b = 0; b < batch; b++) {
        int n = 0;
        int inBase = b * in;
        for (int k = k0; k < k1; k++) {
          int a = input[inBase + k];
          at[n] = k * out; // kept only when a is not zero: no branch to mispredict
          values[n] = a;
          n += a != 0 ? 1 : 0;
        }
        addRows(w, out, at, values, n, acc, b * out);
      }
    }
    return acc;
  }

  int[] requantize(double[] acc, int batch) {
    return requantize(acc, out, batch);
  }

  /** Requantises accumulators that sit in rows of {@code stride}; rows of {@code out} back. */
  int[] requantize(double[] acc, int stride, int batch) {
    int[] y = new int[batch * out];
    long lo = relu ? 0 : -OUTPUT_LIMIT;
    long hi = relu ? HIDDEN_LIMIT : OUTPUT_LIMIT;
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < out; j++) {
        long v = (long) acc[b * stride + j] + bias[j];
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
