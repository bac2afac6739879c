package io.bbans.codec.bench;

import io.bbans.codec.ans.Bernoulli;
import io.bbans.codec.ans.BetaBinomial;
import io.bbans.codec.ans.DiscretizedLogistic;
import io.bbans.codec.ans.Distribution;
import io.bbans.codec.ans.FixedPoint;
import io.bbans.codec.ans.GaussianBuckets;
import io.bbans.codec.ans.Message;
import io.bbans.codec.ans.Uniform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Push and pop throughput of the distribution codecs on one thread, in symbols per second.
 * Run by hand (see BENCHMARKS.md); it prints a table and checks every round trip.
 *
 * <pre>java -cp codec/target/classes io.bbans.codec.bench.CodecBench [lanes] [reps] [name filter]</pre>
 */
public final class CodecBench {
  private static final int SYMBOLS = 1 << 20;

  private CodecBench() {}

  public static void main(String[] args) {
    int lanes = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    String filter = args.length > 2 ? args[2] : "";
    SplittableRandom random = new SplittableRandom(42);
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("uniform 8 bits", n -> new Uniform(8, n)));
    cases.add(new Case("bernoulli p=16", n -> {
      int[] ones = new int[n];
      for (int i = 0; i < n; i++) {
        ones[i] = Bernoulli.oneFrequency(random.nextDouble(), 16);
      }
      return new Bernoulli(ones, 16);
    }));
    cases.add(new Case("gaussian 2^8 buckets p=16", n -> {
      int[] mean = new int[n];
      int[] logScale = new int[n];
      for (int i = 0; i < n; i++) {
        mean[i] = FixedPoint.toQ16(random.nextGaussian());
        logScale[i] = FixedPoint.toQ16(-3 * random.nextDouble());
      }
      return new GaussianBuckets(8, mean, logScale, 16);
    }));
    cases.add(new Case("logistic 8-bit p=16", n -> {
      int[] mean = new int[n];
      int[] logScale = new int[n];
      for (int i = 0; i < n; i++) {
        mean[i] = FixedPoint.toQ16(random.nextDouble() * 255);
        logScale[i] = FixedPoint.toQ16(random.nextDouble() * 4 - 1);
      }
      return new DiscretizedLogistic(mean, logScale, 16);
    }));
    cases.add(new Case("beta-binomial 8-bit p=16", n -> {
      int[] a = new int[n];
      int[] b = new int[n];
      for (int i = 0; i < n; i++) {
        a[i] = FixedPoint.toQ16(random.nextDouble() * 6 - 2);
        b[i] = FixedPoint.toQ16(random.nextDouble() * 6 - 2);
      }
      return new BetaBinomial(a, b, 16);
    }));
    System.out.printf(Locale.ROOT, "%-28s %6s %14s %14s %12s%n", "codec", "lanes",
        "push Msym/s", "pop Msym/s", "bits/symbol");
    for (Case c : cases) {
      if (c.name.contains(filter)) {
        c.run(lanes, reps);
      }
    }
  }

  private static final class Case {
    final String name;
    final IntFunction<Distribution> factory;

    Case(String name, IntFunction<Distribution> factory) {
      this.name = name;
      this.factory = factory;
    }

    void run(int lanes, int reps) {
      Distribution d = factory.apply(SYMBOLS);
      // Popping from a seeded message samples symbols from the distribution itself.
      int[] symbols = d.pop(Message.seeded(lanes, 7));
      int[] decoded = new int[SYMBOLS];
      double[] push = new double[reps];
      double[] pop = new double[reps];
      long bytes = 0;
      for (int r = -3; r < reps; r++) { // three warm-up rounds
        Message m = Message.empty(lanes);
        long t0 = System.nanoTime();
        d.push(m, symbols);
        long t1 = System.nanoTime();
        bytes = m.flatSize();
        d.pop(m, decoded);
        long t2 = System.nanoTime();
        if (!Arrays.equals(symbols, decoded) || !m.equals(Message.empty(lanes))) {
          throw new AssertionError(name + ": round trip failed");
        }
        if (r >= 0) {
          push[r] = SYMBOLS / ((t1 - t0) / 1e9) / 1e6;
          pop[r] = SYMBOLS / ((t2 - t1) / 1e9) / 1e6;
        }
      }
      System.out.printf(Locale.ROOT, "%-28s %6d %14.1f %14.1f %12.3f%n", name, lanes,
          median(push), median(pop), bytes * 8.0 / SYMBOLS);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
