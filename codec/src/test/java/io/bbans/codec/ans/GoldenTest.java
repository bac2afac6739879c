package io.bbans.codec.ans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact bytes each family produces for fixed parameters and data, as SHA-256. A change to a
 * table, a quantisation rule, the rANS core or the flat format changes these and breaks every
 * archive written before it: such a change needs a new format version, not a new hash. The same
 * hashes on every JVM and CPU are the bit-exactness the decoder relies on.
 */
class GoldenTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "UNIFORM, d5888cd9e7a5dfb77ae703055c1f43f87b65e1a3c9b15464d11821a5dfe4e90c",
      "CATEGORICAL, 891e27210945f2b01e7bb464cbf18ac9484428825a0ebfaf5b141fc70f942895",
      "BERNOULLI, 54d40a184c59531d991e2d72cb2bc9c60588706f82fdc3fffb3ee155600cdb8d",
      "GAUSSIAN, bb0a55c73d7c19b5cdf15fcc5ff9da50a6d90e62e9b1cc3963d557c5d32a68e7",
      "LOGISTIC, d2a24ebc128c4a73a6889b37ff02222ddd88974d219cf5ddb2701e0bbee5c976",
      "BETA_BINOMIAL, 5099a8b57d6caf29589794a0b731baaf0fc6a3c908cbb14e2f243070598d6264",
      "MIXTURE, 4f981b7d6ec23f5384df30934abe319f398d0dd7d450d8b96da333300d52b630",
  })
  void flatBytesAreFrozen(Family family, String expected) throws NoSuchAlgorithmException {
    SplittableRandom r = new SplittableRandom(2024);
    Distribution d = family.make(997, 16, r, false);
    Distribution extreme = family.make(101, 16, r, true);
    int[] symbols = Symbols.ANY.make(d, r);
    int[] extremeSymbols = Symbols.ANY.make(extreme, r);
    Message m = Message.seeded(7, 1234);
    int[] taken = new Uniform(12, 50).pop(m); // bits-back style: take clean bits first
    extreme.push(m, extremeSymbols);
    d.push(m, symbols);
    byte[] flat = m.flatten();
    String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(flat));
    assertEquals(expected, actual, family + ": coded bytes changed");
    assertArrayEquals(symbols, d.pop(m));
    assertArrayEquals(extremeSymbols, extreme.pop(m));
    new Uniform(12, 50).push(m, taken);
    assertEquals(Message.seeded(7, 1234), m);
  }
}
