package io.bbans.codec.model;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The integer network's products alone, by the scalar loops and by the vector kernels, for the
 * shapes the bundled models run (the latent networks' layers on 16 rows, the context head's two
 * products on 16 lanes): microseconds a call and multiply-adds a second. Random weights at full
 * int16 range and inputs with a given share of zeros (the scalar loops skip zero inputs; the
 * vector kernels compute every one). In this package for the package-private kernels. Run by
 * hand, one core:
 *
 * <pre>taskset -c 1 java --add-modules=jdk.incubator.vector -cp codec/target/classes \
 *     io.bbans.codec.model.KernelBench [zeros, default 0.5]</pre>
 */
public final class KernelBench {
  private KernelBench() {}

  public static void main(String[] args) {
    double zeros = args.length > 0 ? Double.parseDouble(args[0]) : 0.5;
    int[][] shapes = {{16, 784, 300}, {16, 300, 100}, {16, 50, 300}, {16, 300, 1568},
        {16, 24, 73}, {16, 64, 9}};
    System.out.printf(Locale.ROOT, "kernels here: %s; %.0f%% of inputs zero%n",
        Kernels.describe(), 100 * zeros);
    System.out.printf(Locale.ROOT, "%-14s %12s %10s %12s %10s%n", "rows x in x out",
        "scalar us", "GMAC/s", "vector us", "GMAC/s");
    SplittableRandom r = new SplittableRandom(1);
    for (int[] shape : shapes) {
      int rows = shape[0];
      int in = shape[1];
      int out = shape[2];
      short[] w = new short[in * out];
      for (int i = 0; i < w.length; i++) {
        w[i] = (short) r.nextInt(-32767, 32768);
      }
      IntLayer layer = new IntLayer(in, out, true, 8, 8, w, new byte[out], new long[out]);
      int[] x = new int[rows * in];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextDouble() < zeros ? 0 : r.nextInt(1, 65536);
      }
      double macs = (double) rows * in * out;
      int calls = (int) Math.max(10, 2e8 / macs);
      double scalar = median(() -> layer.forwardScalar(x, rows), calls);
      double vector = layer.vectorOk ? median(() -> layer.forwardVector(x, rows), calls) : 0;
      System.out.printf(Locale.ROOT, "%-14s %12.2f %10.2f %12s %10s%n",
          rows + "x" + in + "x" + out, scalar * 1e6, macs / scalar / 1e9,
          layer.vectorOk ? String.format(Locale.ROOT, "%.2f", vector * 1e6) : "-",
          layer.vectorOk ? String.format(Locale.ROOT, "%.2f", macs / vector / 1e9) : "-");
    }
  }

  /** Seconds a call, the median of five runs of {@code calls} after two warm-ups. */
  private static double median(Runnable call, int calls) {
    double[] t = new double[5];
    for (int run = -2; run < t.length; run++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        call.run();
      }
      if (run >= 0) {
        t[run] = (System.nanoTime() - t0) / 1e9 / calls;
      }
    }
    java.util.Arrays.sort(t);
    return t[t.length / 2];
  }
}
