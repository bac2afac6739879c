package io.bbans.codec.ans;

/**
 * The endless stream of pseudo-random 32-bit "clean" words that a seeded {@link Message} rests
 * on, and the pseudo-random heads it starts from.
 *
 * <p>The generator is SplitMix64 (Steele, Lea and Flood, 2014) used as a counter-based hash:
 * word {@code i} of seed {@code s} is the high 32 bits of {@code mix64(s + (i + 1) * GAMMA)}.
 * Random access lets a decoder check any word without replaying the ones before it. The
 * definition is part of the archive format: changing it breaks every seeded archive.
 */
public final class CleanWords {
  /** The SplitMix64 increment, 2^64 divided by the golden ratio, rounded to odd. */
  static final long GAMMA = 0x9E3779B97F4A7C15L;
  /** Separates the head stream from the word stream of the same seed. */
  private static final long HEAD_SALT = 0x5DEECE66DL;

  private CleanWords() {}

  /** Word {@code index} (from 0) of the clean stream of {@code seed}. */
  public static int word(long seed, long index) {
    return (int) (mix64(seed + (index + 1) * GAMMA) >>> 32);
  }

  /** The starting head of {@code lane}: a valid rANS state in [2^31, 2^63). */
  static long head(long seed, int lane) {
    return Message.STATE_LOWER_BOUND | (mix64((seed ^ HEAD_SALT) + (lane + 1L) * GAMMA) >>> 1);
  }

  /** SplitMix64's finaliser (variant 13 of Stafford's mixers). */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
