package io.bbans.codec.ans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random byte flips, runs, truncations and extensions of a flattened message, decoded with the
 * codecs that made it: each case decodes to something or throws {@link CorruptStreamException};
 * never another exception, never a hang.
 */
class CorruptionTest {
  private static final int CASES = 3000;

  @ParameterizedTest(name = "seeded={0}")
  @ValueSource(booleans = {false, true})
  void mutatedMessagesDecodeOrFailCleanly(boolean seeded) {
    SplittableRandom r = new SplittableRandom(seeded ? 1 : 2);
    int lanes = 3;
    List<Distribution> codecs = List.of(
        Family.BERNOULLI.make(40, 12, r, false),
        Family.GAUSSIAN.make(30, 16, r, false),
        Family.LOGISTIC.make(60, 16, r, false),
        Family.BETA_BINOMIAL.make(20, 14, r, false),
        Family.CATEGORICAL.make(10, 8, r, false),
        Family.MIXTURE.make(40, 16, r, false),
        new Uniform(16, 9));
    int[][] data = new int[codecs.size()][];
    Message m = seeded ? Message.seeded(lanes, 5) : Message.empty(lanes);
    for (int i = codecs.size() - 1; i >= 0; i--) { // push in reverse of pop order
      data[i] = Symbols.SAMPLED.make(codecs.get(i), r);
      codecs.get(i).push(m, data[i]);
    }
    byte[] good = m.flatten();
    assertArrayEquals(data[0], decode(good, codecs)[0], "the unmutated message decodes");

    int[] outcomes = new int[2];
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      for (int c = 0; c < CASES; c++) {
        byte[] bad = mutate(good, r);
        try {
          decode(bad, codecs);
          outcomes[0]++;
        } catch (CorruptStreamException e) {
          outcomes[1]++;
        } catch (RuntimeException | Error e) {
          fail("case " + c + ": " + e, e);
        }
      }
    });
    assertTrue(outcomes[1] > CASES / 10, "most mutations are caught: " + Arrays.toString(outcomes));
  }

  private static int[][] decode(byte[] bytes, List<Distribution> codecs) {
    Message m = Message.unflatten(bytes);
    int[][] out = new int[codecs.size()][];
    for (int i = 0; i < codecs.size(); i++) {
      out[i] = codecs.get(i).pop(m);
    }
    return out;
  }

  static byte[] mutate(byte[] good, SplittableRandom r) {
    byte[] b = good.clone();
    switch (r.nextInt(5)) {
      case 0: { // flip one to eight bits
        int flips = 1 + r.nextInt(8);
        for (int i = 0; i < flips; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      }
      case 1: { // overwrite a run with one random byte value
        int at = r.nextInt(b.length);
        Arrays.fill(b, at, Math.min(b.length, at + 1 + r.nextInt(16)), (byte) r.nextInt(256));
        return b;
      }
      case 2: // truncate
        return Arrays.copyOf(b, r.nextInt(b.length));
      case 3: { // extend with random bytes
        byte[] longer = Arrays.copyOf(b, b.length + 1 + r.nextInt(64));
        for (int i = b.length; i < longer.length; i++) {
          longer[i] = (byte) r.nextInt(256);
        }
        return longer;
      }
      default: { // random bytes in the header, where lengths and counts live
        int at = r.nextInt(Math.min(b.length, 64));
        b[at] = (byte) r.nextInt(256);
        return b;
      }
    }
  }
}
