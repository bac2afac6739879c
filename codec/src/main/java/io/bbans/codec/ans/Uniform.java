package io.bbans.codec.ans;

/**
 * Symbols {@code 0 .. 2^bits - 1}, all equally likely: raw bits. Bits-back coding pushes latents
 * under the prior with it, since the prior is uniform over buckets of equal prior mass.
 */
public final class Uniform extends Distribution {
  public Uniform(int bits, int slots) {
    this(bits, slots, 0);
  }

  public Uniform(int bits, int slots, int width) {
    super(bits, 1 << bits, slots, width);
  }

  @Override
  public int cdf(int slot, int symbol) {
    return symbol;
  }

  @Override
  public int symbol(int slot, int cf) {
    return cf;
  }
}
