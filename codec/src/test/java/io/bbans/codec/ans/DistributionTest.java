package io.bbans.codec.ans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class DistributionTest {
  private static final int[] LANES = {1, 2, 31, 32, 33};
  private static final int[] PRECISIONS = {1, 2, 5, 8, 9, 12, 16, 20, 24, 28, 29, 30};
  /** Slot counts: empty, one symbol, and counts that cross the lane boundaries. */
  private static final int[] SLOTS = {0, 1, 31, 32, 33, 65, 200};

  static Stream<Arguments> grid() {
    List<Arguments> cases = new ArrayList<>();
    for (Family family : Family.values()) {
      for (int precision : PRECISIONS) {
        if (precision < family.minPrecision) {
          continue;
        }
        for (int lanes : LANES) {
          for (boolean extreme : new boolean[] {false, true}) {
            cases.add(Arguments.of(family, precision, lanes, extreme));
          }
        }
      }
    }
    return cases.stream();
  }

  /** Every family, precision, lane count and data kind: data and message both come back. */
  @ParameterizedTest(name = "{0} p={1} lanes={2} extreme={3}")
  @MethodSource("grid")
  void roundTripRestoresDataAndMessage(Family family, int precision, int lanes, boolean extreme) {
    SplittableRandom r = new SplittableRandom(family.ordinal() * 1_000_003L + precision * 101L
        + lanes * 7L + (extreme ? 1 : 0));
    for (int slots : SLOTS) {
      Distribution d = family.make(slots, precision, r, extreme);
      for (Symbols kind : Symbols.values()) {
        int[] symbols = kind.make(d, r);
        for (Message start : new Message[] {busyMessage(lanes, r), Message.seeded(lanes, 9)}) {
          Message m = start.copy();
          d.push(m, symbols);
          int[] decoded = d.pop(m);
          assertArrayEquals(symbols, decoded, () -> family + " " + kind + " slots=" + slots);
          assertEquals(start, m, () -> family + " " + kind + " slots=" + slots + ": message");
        }
      }
    }
  }

  /** A message that already holds some data, so pops below it would be noticed. */
  static Message busyMessage(int lanes, SplittableRandom r) {
    Message m = Message.empty(lanes);
    int[] bits = new int[lanes * 5];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = r.nextInt(1 << 16);
    }
    new Uniform(16, bits.length).push(m, bits);
    return m;
  }

  @ParameterizedTest(name = "{0} p={1} lanes={2} extreme={3}")
  @MethodSource("grid")
  void cdfIsStrictlyIncreasingFromZeroToTotal(Family family, int precision, int lanes,
      boolean extreme) {
    SplittableRandom r = new SplittableRandom(precision * 31L + lanes);
    Distribution d = family.make(8, precision, r, extreme);
    for (int slot = 0; slot < d.slots(); slot++) {
      assertEquals(0, d.cdf(slot, 0));
      assertEquals(1 << d.precision(), d.cdf(slot, d.alphabetSize()));
      for (int s = 0; s < d.alphabetSize(); s++) {
        assertTrue(d.cdf(slot, s + 1) > d.cdf(slot, s), family + " symbol " + s + " has no mass");
      }
    }
  }

  /** The fast symbol searches agree with the bisection that defines them. */
  @ParameterizedTest(name = "{0} p={1} lanes={2} extreme={3}")
  @MethodSource("grid")
  void fastSearchAgreesWithReference(Family family, int precision, int lanes, boolean extreme) {
    SplittableRandom r = new SplittableRandom(precision * 17L + lanes);
    Distribution d = family.make(6, precision, r, extreme);
    int total = 1 << d.precision();
    for (int slot = 0; slot < d.slots(); slot++) {
      if (d.precision() <= 12) {
        for (int cf = 0; cf < total; cf++) {
          assertEquals(d.referenceSymbol(slot, cf), d.symbol(slot, cf));
        }
        continue;
      }
      for (int s = 0; s < d.alphabetSize(); s++) {
        int lo = d.cdf(slot, s);
        int hi = d.cdf(slot, s + 1) - 1;
        assertEquals(s, d.symbol(slot, lo));
        assertEquals(s, d.symbol(slot, hi));
      }
      for (int k = 0; k < 500; k++) {
        int cf = r.nextInt(total);
        assertEquals(d.referenceSymbol(slot, cf), d.symbol(slot, cf));
      }
    }
  }

  /**
   * Rate: pushing N symbols onto an empty message grows its flat form by at most the information
   * content plus N * log2(1 + 2^(p-31)) (rANS's rounding, each head staying >= 2^31), and by at
   * least the information content less 32 bits per lane (what the heads can hold).
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Family.class)
  void rateIsWithinBoundOfInformationContent(Family family) {
    SplittableRandom r = new SplittableRandom(family.ordinal());
    for (int precision : new int[] {12, 16, 24}) {
      for (int lanes : new int[] {1, 32}) {
        int n = 20_000;
        Distribution d = family.make(n, precision, r, false);
        int[] symbols = Symbols.SAMPLED.make(d, r);
        double information = 0;
        for (int i = 0; i < n; i++) {
          information += d.informationBits(i, symbols[i]);
        }
        Message m = Message.empty(lanes);
        long before = m.flatSize();
        d.push(m, symbols);
        double grown = (m.flatSize() - before) * 8.0;
        double rounding = n * Math.log1p(Math.pow(2, precision - 31)) / Math.log(2);
        String where = family + " p=" + precision + " lanes=" + lanes + ": grew " + grown
            + " bits for " + information + " bits of information";
        assertTrue(grown <= information + rounding + 1e-6, where);
        assertTrue(grown >= information - 32.0 * lanes - rounding - 1e-6, where);
      }
    }
  }

  @Test
  void symbolsCostTheirInformationContent() {
    // One symbol of probability 1/2^k costs k bits; with 1,000 of them the lanes' 32-bit slack
    // is small next to the total, so the measured rate must match closely.
    Distribution d = new Uniform(3, 1000);
    Message m = Message.empty(1);
    d.push(m, new int[1000]);
    assertEquals(3000, (m.flatSize() - Message.empty(1).flatSize()) * 8.0, 32);
  }

  @Test
  void callerMistakesAreIllegalArguments() {
    Distribution d = new Bernoulli(new int[] {100, 200}, 10);
    Message m = Message.empty(2);
    assertThrows(IllegalArgumentException.class, () -> d.push(m, new int[] {0}));
    assertThrows(IllegalArgumentException.class, () -> d.push(m, new int[] {0, 2}));
    assertThrows(IllegalArgumentException.class, () -> d.push(m, new int[] {-1, 0}));
    assertThrows(IllegalArgumentException.class, () -> d.pop(m, new int[3]));
    assertThrows(IllegalArgumentException.class,
        () -> new Bernoulli(new int[] {1}, 10, 3).push(Message.empty(2), new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> new Uniform(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Uniform(31, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new Categorical(new int[] {1, 2}, 2, 1)); // sums to 3, not 4
    assertThrows(IllegalArgumentException.class,
        () -> new Categorical(new int[] {0, 4}, 2, 1)); // a symbol without mass
    assertThrows(IllegalArgumentException.class,
        () -> new GaussianBuckets(8, new int[1], new int[1], 8)); // buckets need precision > 8
    assertThrows(IllegalArgumentException.class,
        () -> new DiscretizedLogistic(new int[1], new int[2], 16));
    assertThrows(IllegalArgumentException.class,
        () -> new BetaBinomial(new int[1], new int[1], 8));
    assertThrows(IllegalArgumentException.class,
        () -> Categorical.quantise(new double[] {0, 0}, 8));
    assertThrows(IllegalArgumentException.class,
        () -> Categorical.quantise(new double[] {1, Double.NaN}, 8));
  }

  @Test
  void widthSpreadsSymbolsOverTheFirstLanesOnly() {
    Message m = Message.seeded(8, 3);
    Distribution d = new Uniform(12, 10, 3); // symbol i on lane i % 3
    int[] symbols = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    d.push(m, symbols);
    for (int lane = 3; lane < 8; lane++) {
      assertEquals(Message.seeded(8, 3).head(lane), m.head(lane), "lane " + lane + " untouched");
    }
    assertArrayEquals(symbols, d.pop(m));
    assertEquals(Message.seeded(8, 3), m);
  }

  @Test
  void quantisedWeightsKeepEverySymbolAndSumToTotal() {
    int[] f = Categorical.quantise(new double[] {1e-30, 5, 0, 1e30, 2}, 12);
    long sum = 0;
    for (int v : f) {
      assertTrue(v >= 1);
      sum += v;
    }
    assertEquals(1 << 12, sum);
    assertTrue(f[3] > 4000, "the dominant weight gets nearly all the mass");
  }
}
