package io.bbans.codec.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The integer network's products and requantisation written with the JDK's Vector API
 * ({@code jdk.incubator.vector}): the same integers as the scalar loops of {@link IntLayer},
 * which stay the reference. Only {@link Kernels} refers to this class, and only when the module
 * is present, so the codec runs without it.
 *
 * <p>Every value is an integer held in a double, and every product and partial sum is an integer
 * below 2^52 in magnitude ({@link IntLayer#vectorExact}), so the order of the additions, which
 * differs from the scalar loops, changes nothing: each sum is exact. Multiplications and
 * additions are separate operations (not {@code fma}, which falls back to a software routine per
 * lane on machines without the instruction).
 *
 * <p>The products are register-blocked: four rows by two vectors of outputs sit in eight
 * accumulators while the inputs run, so each weight vector loaded serves four rows and no
 * accumulator goes through memory; the inputs are taken {@link #K_BLOCK} at a time so the
 * weight rows they use stay in cache while every row of the batch passes. Weights are kept with
 * rows of {@link #stride} outputs, padded with zeros to whole vectors.
 */
final class VectorKernels {
  static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int L = SPECIES.length();
  /**
   * Rows from which the vector kernels are used: with fewer, each weight loaded serves one or
   * two rows and the scalar loops, which skip zero inputs, are faster (ModelBench, batch 1:
   * 3,207 images/s against 4,777).
   */
  static final int MIN_ROWS = 4;
  /** Inputs per pass over the batch: 64 weight rows of 300 doubles are 154 KB. */
  static final int K_BLOCK = 64;
  /** Adding then subtracting 1.5 * 2^52 rounds a double below 2^51 to the nearest integer. */
  private static final double ROUND = 0x1.8p52;

  private VectorKernels() {}

  /** Lanes of a vector of doubles on this machine. */
  static int lanes() {
    return L;
  }

  /** {@code out} rounded up to whole vectors. */
  static int stride(int out) {
    return (out + L - 1) / L * L;
  }

  /**
   * {@code w} ({@code in x out}, row-major) with rows of {@link #stride}{@code (out)}, the extra
   * columns zero: {@code w} itself where its rows are whole vectors already (300, 100, 1568
   * outputs), so those layers keep one copy of their weights, not two.
   */
  static double[] pad(double[] w, int in, int out) {
    int stride = stride(out);
    if (stride == out) {
      return w;
    }
    double[] padded = new double[in * stride];
    for (int k = 0; k < in; k++) {
      System.arraycopy(w, k * out, padded, k * stride, out);
    }
    return padded;
  }

  /**
   * {@code acc[r * stride + j] = sum_k x[r * xStride + k] w[k * stride + j]} for {@code r <
   * rows}, {@code k < in}, {@code j < stride} (overwritten), {@code w} padded ({@link #pad}).
   */
  static void product(double[] w, int in, int stride, double[] x, int xStride, int rows,
      double[] acc) {
    for (int k0 = 0; k0 < in; k0 += K_BLOCK) {
      int k1 = Math.min(in, k0 + K_BLOCK);
      boolean first = k0 == 0;
      int r = 0;
      for (; r + 3 < rows; r += 4) {
        int j = 0;
        for (; j + 2 * L <= stride; j += 2 * L) {
          fourRowsTwoVectors(w, stride, x, xStride, r, j, k0, k1, first, acc);
        }
        for (; j < stride; j += L) {
          fourRowsOneVector(w, stride, x, xStride, r, j, k0, k1, first, acc);
        }
      }
      for (; r < rows; r++) {
        for (int j = 0; j < stride; j += L) {
          oneRowOneVector(w, stride, x, xStride, r, j, k0, k1, first, acc);
        }
      }
    }
  }

  private static DoubleVector start(double[] acc, int at, boolean first) {
    return first ? DoubleVector.zero(SPECIES) : DoubleVector.fromArray(SPECIES, acc, at);
  }

  private static void fourRowsTwoVectors(double[] w, int stride, double[] x, int xStride, int r,
      int j, int k0, int k1, boolean first, double[] acc) {
    int o0 = r * stride + j;
    int o1 = o0 + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    DoubleVector c00 = start(acc, o0, first);
    DoubleVector c01 = start(acc, o0 + L, first);
    DoubleVector c10 = start(acc, o1, first);
    DoubleVector c11 = start(acc, o1 + L, first);
    DoubleVector c20 = start(acc, o2, first);
    DoubleVector c21 = start(acc, o2 + L, first);
    DoubleVector c30 = start(acc, o3, first);
    DoubleVector c31 = start(acc, o3 + L, first);
    int x0 = r * xStride;
    int x1 = x0 + xStride;
    int x2 = x1 + xStride;
    int x3 = x2 + xStride;
    for (int k = k0; k < k1; k++) {
      int wk = k * stride + j;
      DoubleVector w0 = DoubleVector.fromArray(SPECIES, w, wk);
      DoubleVector w1 = DoubleVector.fromArray(SPECIES, w, wk + L);
      double a = x[x0 + k];
      c00 = c00.add(w0.mul(a));
      c01 = c01.add(w1.mul(a));
      a = x[x1 + k];
      c10 = c10.add(w0.mul(a));
      c11 = c11.add(w1.mul(a));
      a = x[x2 + k];
      c20 = c20.add(w0.mul(a));
      c21 = c21.add(w1.mul(a));
      a = x[x3 + k];
      c30 = c30.add(w0.mul(a));
      c31 = c31.add(w1.mul(a));
    }
    c00.intoArray(acc, o0);
    c01.intoArray(acc, o0 + L);
    c10.intoArray(acc, o1);
    c11.intoArray(acc, o1 + L);
    c20.intoArray(acc, o2);
    c21.intoArray(acc, o2 + L);
    c30.intoArray(acc, o3);
    c31.intoArray(acc, o3 + L);
  }

  private static void fourRowsOneVector(double[] w, int stride, double[] x, int xStride, int r,
      int j, int k0, int k1, boolean first, double[] acc) {
    int o0 = r * stride + j;
    int o1 = o0 + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    DoubleVector c0 = start(acc, o0, first);
    DoubleVector c1 = start(acc, o1, first);
    DoubleVector c2 = start(acc, o2, first);
    DoubleVector c3 = start(acc, o3, first);
    int x0 = r * xStride;
    int x1 = x0 + xStride;
    int x2 = x1 + xStride;
    int x3 = x2 + xStride;
    for (int k = k0; k < k1; k++) {
      DoubleVector w0 = DoubleVector.fromArray(SPECIES, w, k * stride + j);
      c0 = c0.add(w0.mul(x[x0 + k]));
      c1 = c1.add(w0.mul(x[x1 + k]));
      c2 = c2.add(w0.mul(x[x2 + k]));
      c3 = c3.add(w0.mul(x[x3 + k]));
    }
    c0.intoArray(acc, o0);
    c1.intoArray(acc, o1);
    c2.intoArray(acc, o2);
    c3.intoArray(acc, o3);
  }

  private static void oneRowOneVector(double[] w, int stride, double[] x, int xStride, int r,
      int j, int k0, int k1, boolean first, double[] acc) {
    int o = r * stride + j;
    DoubleVector c = start(acc, o, first);
    int x0 = r * xStride;
    for (int k = k0; k < k1; k++) {
      c = c.add(DoubleVector.fromArray(SPECIES, w, k * stride + j).mul(x[x0 + k]));
    }
    c.intoArray(acc, o);
  }

  /**
   * Requantisation of {@code rows} rows of accumulators ({@code acc[r * stride + offset + j]},
   * {@code j < out}) into {@code y[r * out + j]}: the integer {@link IntLayer#finishAsDouble}
   * gives, {@code floor((acc + bias + 2^(s-1)) 2^-s)} clamped to {@code [lo, hi]}, computed
   * without a mask or a branch as {@code rint((acc + bias + 1/2) 2^-s)} for {@code s > 0} and
   * {@code rint(acc + bias)} for {@code s = 0} ({@code halves} holds {@code bias + 1/2} or
   * {@code bias}): for {@code s > 0} the value has a fraction of {@code 2^-(s+1)} at least, so
   * it is never halfway between integers and rounds to that floor. Clamping before rounding
   * gives the same integer (the bounds are integers) and keeps the value below 2^51, where
   * adding and subtracting {@link #ROUND} rounds it. Every step is exact: the sum is below 2^52,
   * where a double holds halves, and the scale is a power of two.
   */
  static void finish(double[] acc, int stride, int offset, int rows, int out, double[] halves,
      double[] scales, double lo, double hi, double[] y) {
    int whole = out / L * L;
    for (int r = 0; r < rows; r++) {
      int from = r * stride + offset;
      int to = r * out;
      int j = 0;
      for (; j < whole; j += L) {
        DoubleVector.fromArray(SPECIES, acc, from + j)
            .add(DoubleVector.fromArray(SPECIES, halves, j))
            .mul(DoubleVector.fromArray(SPECIES, scales, j))
            .max(lo).min(hi)
            .add(ROUND).sub(ROUND)
            .intoArray(y, to + j);
      }
      for (; j < out; j++) {
        double v = Math.max(lo, Math.min(hi, (acc[from + j] + halves[j]) * scales[j]));
        y[to + j] = (v + ROUND) - ROUND;
      }
    }
  }
}
