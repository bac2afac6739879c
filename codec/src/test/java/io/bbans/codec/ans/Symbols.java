package io.bbans.codec.ans;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Test data for a distribution: the kinds of symbol arrays the round-trip grid covers. */
enum Symbols {
  /** Drawn from the distribution itself, by popping it off a seeded message. */
  SAMPLED,
  /** Uniform over the alphabet, so improbable symbols are common. */
  ANY,
  /** The last symbol of the alphabet everywhere. */
  CONSTANT;

  int[] make(Distribution d, SplittableRandom r) {
    switch (this) {
      case SAMPLED:
        return d.pop(Message.seeded(1 + r.nextInt(40), r.nextLong()));
      case ANY: {
        int[] s = new int[d.slots()];
        for (int i = 0; i < s.length; i++) {
          s[i] = r.nextInt(d.alphabetSize());
        }
        return s;
      }
      case CONSTANT: {
        int[] s = new int[d.slots()];
        Arrays.fill(s, d.alphabetSize() - 1);
        return s;
      }
      default:
        throw new AssertionError(this);
    }
  }
}
