package io.bbans.codec.ans;

/**
 * Binary symbols, each slot with its own probability of a 1, given as the integer frequency of
 * symbol 1 out of {@code 2^precision} (clamped to {@code [1, 2^precision - 1]}, so both symbols
 * stay codable).
 */
public final class Bernoulli extends Distribution {
  private final int[] zeroFrequencies;

  public Bernoulli(int[] oneFrequencies, int precision) {
    this(oneFrequencies, precision, 0);
  }

  public Bernoulli(int[] oneFrequencies, int precision, int width) {
    super(precision, 2, oneFrequencies.length, width);
    int total = 1 << precision;
    zeroFrequencies = new int[oneFrequencies.length];
    for (int i = 0; i < oneFrequencies.length; i++) {
      zeroFrequencies[i] = total - FixedPoint.clamp(oneFrequencies[i], 1, total - 1);
    }
  }

  /**
   * Bernoulli distributions from logits in Q16: the frequency of a 1 is
   * {@code sigma(logit) 2^precision} from the same integer sigmoid table as
   * {@link DiscretizedLogistic}, so it is identical on every JVM.
   */
  public static Bernoulli fromLogitsQ16(int[] logitQ16, int precision, int width) {
    Message.checkPrecision(precision);
    int[] ones = new int[logitQ16.length];
    for (int i = 0; i < ones.length; i++) {
      long p = DiscretizedLogistic.SIGMOID.at((long) logitQ16[i] << FixedPoint.Q16_BITS);
      ones[i] = (int) ((p << precision) >>> FixedPoint.Q30_BITS);
    }
    return new Bernoulli(ones, precision, width);
  }

  /** The frequency of a 1 in Q{@code precision} for a probability, for tests and tools. */
  public static int oneFrequency(double probabilityOfOne, int precision) {
    long total = 1L << precision;
    return (int) Math.max(1, Math.min(total - 1, Math.round(probabilityOfOne * total)));
  }

  @Override
  public int cdf(int slot, int symbol) {
    return symbol == 0 ? 0 : symbol == 1 ? zeroFrequencies[slot] : 1 << precision();
  }

  @Override
  public int symbol(int slot, int cf) {
    return cf < zeroFrequencies[slot] ? 0 : 1;
  }
}
