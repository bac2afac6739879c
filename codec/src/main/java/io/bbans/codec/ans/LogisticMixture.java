package io.bbans.codec.ans;

/**
 * 8-bit pixels under a mixture of {@code k} discretised logistics ({@link DiscretizedLogistic}),
 * weighted by the softmax of one logit per component (PixelCNN++, Salimans et al. 2017):
 * {@code F(x) = sum_c w_c sigma((x - 1/2 - mean_c) / s_c)}.
 *
 * <p>Parameters are Q16, {@code [component][slot]}: means and log-scales as the single
 * logistic's, weight logits clamped to [-16, 16]. The weights are {@code exp(logit_c - max)} in
 * Q20 from a table built with {@link StrictMath}, normalised by an integer division to sum to
 * exactly 2^20, so the mixture's cumulative probability {@code sum_c w_c F_c(x) / 2^20} is
 * exact integer arithmetic: non-decreasing in x, the same on every machine. Symbols are found
 * by galloping from the heaviest component's inverse.
 */
public final class LogisticMixture extends Distribution {
  public static final int ALPHABET = DiscretizedLogistic.ALPHABET;
  public static final int MAX_COMPONENTS = 8;
  static final int WEIGHT_LIMIT_Q16 = 16 << FixedPoint.Q16_BITS;
  private static final int WEIGHT_BITS = 20;
  private static final int EXP_STEP_BITS = 8;
  /** exp(-u) in Q20 for u = 0, 2^-8, ..., 32: the weight of a logit u below the largest. */
  private static final int[] EXP = expTable();

  private final int components;
  /** Per slot, per component: {@code [slot * components + c]}. */
  private final int[] means;
  private final long[] inverseScales;
  private final long[] scales;
  /** Q20, summing to 2^20 per slot. */
  private final long[] weights;
  /** Per slot, the component of the largest weight: its inverse CDF is the search's guess. */
  private final int[] heaviest;

  /**
   * @param meanQ16 {@code [component][slot]} means in pixel units
   * @param logScaleQ16 {@code [component][slot]} log-scales
   * @param weightQ16 {@code [component][slot]} weight logits
   */
  public LogisticMixture(int[][] meanQ16, int[][] logScaleQ16, int[][] weightQ16, int precision,
      int width) {
    super(DiscretizedLogistic.checkPrecision(precision), ALPHABET, slotsOf(meanQ16), width);
    components = meanQ16.length;
    if (logScaleQ16.length != components || weightQ16.length != components) {
      throw new IllegalArgumentException("every component needs a mean, a log-scale and a"
          + " weight");
    }
    int slots = slots();
    for (int c = 0; c < components; c++) {
      checkSlots(meanQ16[c], slots, "mean");
      checkSlots(logScaleQ16[c], slots, "logScale");
      checkSlots(weightQ16[c], slots, "weight");
    }
    means = new int[slots * components];
    inverseScales = new long[slots * components];
    scales = new long[slots * components];
    weights = new long[slots * components];
    heaviest = new int[slots];
    int[] logits = new int[components];
    for (int i = 0; i < slots; i++) {
      int max = Integer.MIN_VALUE;
      for (int c = 0; c < components; c++) {
        logits[c] = FixedPoint.clamp(weightQ16[c][i], -WEIGHT_LIMIT_Q16, WEIGHT_LIMIT_Q16);
        if (logits[c] > max) {
          max = logits[c];
          heaviest[i] = c;
        }
      }
      long total = 0; // at least exp(0) = 2^20, the largest weight's
      for (int c = 0; c < components; c++) {
        int at = i * components + c;
        means[at] = FixedPoint.clamp(meanQ16[c][i], DiscretizedLogistic.MEAN_MIN_Q16,
            DiscretizedLogistic.MEAN_MAX_Q16);
        inverseScales[at] = DiscretizedLogistic.SCALES.inverseScale(logScaleQ16[c][i]);
        scales[at] = DiscretizedLogistic.SCALES.scale(logScaleQ16[c][i]);
        int below = max - logits[c];
        weights[at] = EXP[(below + (1 << (FixedPoint.Q16_BITS - EXP_STEP_BITS - 1)))
            >> (FixedPoint.Q16_BITS - EXP_STEP_BITS)];
        total += weights[at];
      }
      // Normalised to sum to exactly 2^20 (the rounding's remainder to the heaviest), so the
      // mixture's CDF is a shift, not a division.
      long sum = 0;
      for (int c = 0; c < components; c++) {
        int at = i * components + c;
        weights[at] = (weights[at] << WEIGHT_BITS) / total;
        sum += weights[at];
      }
      weights[i * components + heaviest[i]] += (1 << WEIGHT_BITS) - sum;
    }
  }

  private static int slotsOf(int[][] meanQ16) {
    if (meanQ16.length < 1 || meanQ16.length > MAX_COMPONENTS) {
      throw new IllegalArgumentException("a mixture has 1.." + MAX_COMPONENTS
          + " components, got " + meanQ16.length);
    }
    return meanQ16[0].length;
  }

  private static int[] expTable() {
    int n = (2 * 16 << EXP_STEP_BITS) + 1;
    int[] t = new int[n];
    for (int k = 0; k < n; k++) {
      t[k] = (int) Math.round(StrictMath.exp(-(double) k / (1 << EXP_STEP_BITS))
          * (1 << WEIGHT_BITS));
    }
    return t;
  }

  @Override
  public int cdf(int slot, int x) {
    if (x == 0) {
      return 0;
    }
    if (x == ALPHABET) {
      return 1 << precision();
    }
    long edge = ((long) x << FixedPoint.Q16_BITS) - DiscretizedLogistic.HALF_Q16;
    long sum = 0; // at most 2^20 * 2^30: the weights sum to 2^20
    for (int c = 0, at = slot * components; c < components; c++, at++) {
      long t = (edge - means[at]) * inverseScales[at];
      sum += weights[at] * DiscretizedLogistic.SIGMOID.at(t);
    }
    return quantisedCdf(x, ALPHABET, sum >>> WEIGHT_BITS, precision());
  }

  @Override
  public int symbol(int slot, int cf) {
    return search(slot, cf, new int[2]);
  }

  @Override
  int popOne(Message m, int lane, int slot, int[] interval) {
    int s = search(slot, m.peek(lane, precision()), interval);
    m.pop(lane, interval[0], interval[1] - interval[0], precision());
    return s;
  }

  /** Gallops from the heaviest component's inverse CDF ({@link DiscretizedLogistic#guess}). */
  private int search(int slot, int cf, int[] interval) {
    int at = slot * components + heaviest[slot];
    return gallopFrom(slot, cf, DiscretizedLogistic.guess(means[at], scales[at], cf, precision()),
        interval);
  }
}
