package io.bbans.codec.ans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodecsTest {
  /** One byte on lane 0, as a scalar codec. */
  private static final Codec<Integer> BYTE =
      Codecs.map(new Uniform(8, 1, 1), (Integer v) -> new int[] {v}, a -> a[0]);
  /** A small count 0..15 on lane 0. */
  private static final Codec<Integer> COUNT =
      Codecs.map(new Uniform(4, 1, 1), (Integer v) -> new int[] {v}, a -> a[0]);

  @ParameterizedTest(name = "lanes={0}")
  @ValueSource(ints = {1, 2, 31, 32, 33})
  void serialPopsFirstThenSecondAndMirrorsPush(int lanes) {
    SplittableRandom r = new SplittableRandom(lanes);
    Distribution bits = new Bernoulli(new int[] {100, 900, 512}, 10);
    Distribution pixels = Family.LOGISTIC.make(2 * lanes + 1, 16, r, false);
    Codec<Pair<int[], int[]>> both = Codecs.serial(bits, pixels);
    int[] a = {1, 0, 1};
    int[] b = Symbols.ANY.make(pixels, r);
    Message m = DistributionTest.busyMessage(lanes, r);
    Message before = m.copy();
    both.push(m, new Pair<>(a, b));

    // the same as pushing the parts by hand in reverse pop order
    Message byHand = before.copy();
    pixels.push(byHand, b);
    bits.push(byHand, a);
    assertEquals(byHand, m);

    Pair<int[], int[]> back = both.pop(m);
    assertArrayEquals(a, back.first());
    assertArrayEquals(b, back.second());
    assertEquals(before, m);
  }

  @ParameterizedTest(name = "count={0}")
  @ValueSource(ints = {0, 1, 2, 31, 32, 33, 100})
  void repeatAndSequenceRoundTrip(int count) {
    SplittableRandom r = new SplittableRandom(count);
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(r.nextInt(256));
    }
    Message m = DistributionTest.busyMessage(3, r);
    Message before = m.copy();
    Codec<List<Integer>> repeated = Codecs.repeat(BYTE, count);
    repeated.push(m, values);
    assertEquals(values, repeated.pop(m));
    assertEquals(before, m);

    List<Codec<Integer>> mixed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      mixed.add(i % 2 == 0 ? BYTE : Codecs.map(BYTE, (Integer v) -> v ^ 0x55, v -> v ^ 0x55));
    }
    Codec<List<Integer>> sequence = Codecs.sequence(mixed);
    sequence.push(m, values);
    assertEquals(values, sequence.pop(m));
    assertEquals(before, m);
    assertThrows(IllegalArgumentException.class,
        () -> sequence.push(m, Collections.nCopies(count + 1, 0)));
  }

  /** A length-prefixed list: the list's codec is chosen from the count decoded before it. */
  @ParameterizedTest(name = "length={0}")
  @ValueSource(ints = {0, 1, 7, 15})
  void dependentChoosesCodecFromDecodedValue(int length) {
    Codec<Pair<Integer, List<Integer>>> prefixed =
        Codecs.dependent(COUNT, n -> Codecs.repeat(BYTE, n));
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      values.add(i * 13 % 256);
    }
    Message m = Message.seeded(2, 4);
    prefixed.push(m, new Pair<>(length, values));
    Pair<Integer, List<Integer>> back = prefixed.pop(m);
    assertEquals(length, back.first());
    assertEquals(values, back.second());
    assertEquals(Message.seeded(2, 4), m);
  }

  @ParameterizedTest(name = "lanes={0}")
  @ValueSource(ints = {1, 32})
  void nestedCombinatorsRoundTrip(int lanes) {
    SplittableRandom r = new SplittableRandom(99);
    Distribution latent = Family.GAUSSIAN.make(lanes * 4, 16, r, false);
    Codec<List<Pair<int[], Integer>>> codec =
        Codecs.repeat(Codecs.serial(latent, BYTE), 5);
    List<Pair<int[], Integer>> values = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      values.add(new Pair<>(Symbols.ANY.make(latent, r), r.nextInt(256)));
    }
    Message m = Message.seeded(lanes, 1);
    codec.push(m, values);
    List<Pair<int[], Integer>> back = codec.pop(m);
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(values.get(i).first(), back.get(i).first());
      assertEquals(values.get(i).second(), back.get(i).second());
    }
    assertEquals(Message.seeded(lanes, 1), m);
  }
}
