package io.bbans.codec.ans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTest {

  /** Raw (start, freq) symbols at every precision, on every lane: all come back, in reverse. */
  @ParameterizedTest(name = "lanes={0}")
  @ValueSource(ints = {1, 2, 31, 32, 33})
  void rawSymbolsRoundTripAtEveryPrecision(int lanes) {
    SplittableRandom r = new SplittableRandom(lanes);
    for (int precision = 1; precision <= Message.MAX_PRECISION; precision++) {
      int total = 1 << precision;
      int n = 3000;
      int[] starts = new int[n];
      int[] freqs = new int[n];
      for (int i = 0; i < n; i++) {
        freqs[i] = r.nextInt(4) == 0 ? total
            : 1 + r.nextInt(r.nextBoolean() ? total : Math.min(total, 4));
        starts[i] = r.nextInt(total - freqs[i] + 1);
      }
      Message m = Message.empty(lanes);
      Message before = m.copy();
      for (int i = 0; i < n; i++) {
        m.push(i % lanes, starts[i], freqs[i], precision);
      }
      for (int i = n - 1; i >= 0; i--) {
        int lane = i % lanes;
        int cf = m.peek(lane, precision);
        assertTrue(cf >= starts[i] && cf < starts[i] + freqs[i], "p=" + precision + " i=" + i);
        m.pop(lane, starts[i], freqs[i], precision);
        assertTrue(m.head(lane) >= Message.STATE_LOWER_BOUND);
      }
      assertEquals(before, m, "p=" + precision);
    }
  }

  @Test
  void certainSymbolLeavesTheMessageUnchanged() {
    Message m = Message.seeded(3, 1);
    for (int precision = 1; precision <= Message.MAX_PRECISION; precision++) {
      m.push(1, 0, 1 << precision, precision);
    }
    assertEquals(Message.seeded(3, 1), m);
  }

  @Test
  void poppingAnEmptyMessageRunsDry() {
    Message m = Message.empty(2);
    CorruptStreamException e = assertThrows(CorruptStreamException.class, () -> {
      for (int i = 0; i < 10; i++) {
        m.pop(0, m.peek(0, 8), 1, 8);
      }
    });
    assertTrue(e.getMessage().contains("ran dry"), e.getMessage());
  }

  @Test
  void popRejectsAnIntervalThatMissesTheSlot() {
    Message m = Message.seeded(1, 5);
    int cf = m.peek(0, 8);
    assertThrows(IllegalArgumentException.class, () -> m.pop(0, (cf + 1) % 256, 1, 8));
  }

  /** A seeded message gives back exactly the clean words it took: the decoder's final check. */
  @Test
  void seededMessageReturnsToItsStartAndStaysCanonical() {
    Message m = Message.seeded(4, 77);
    Uniform bits = new Uniform(20, 400);
    int[] taken = bits.pop(m); // bits-back: take bits before anything was pushed
    assertTrue(m.cleanWordsConsumed() > 0);
    assertEquals(0, m.stackWords(), "popped words are counted, not stored");
    bits.push(m, taken);
    assertEquals(0, m.cleanWordsConsumed());
    assertEquals(0, m.stackWords());
    assertEquals(Message.seeded(4, 77), m);
    assertArrayEquals(Message.seeded(4, 77).flatten(), m.flatten());
    assertNotEquals(Message.seeded(4, 78), m);
  }

  @Test
  void seededStartDiffersBySeedAndLane() {
    Message a = Message.seeded(2, 1);
    assertNotEquals(a.head(0), a.head(1));
    assertNotEquals(a.head(0), Message.seeded(2, 2).head(0));
    assertNotEquals(CleanWords.word(1, 0), CleanWords.word(1, 1));
  }

  @ParameterizedTest(name = "lanes={0}")
  @ValueSource(ints = {1, 2, 31, 32, 33})
  void flattenIsLosslessAndCanonical(int lanes) {
    SplittableRandom r = new SplittableRandom(lanes);
    for (Message m : new Message[] {Message.empty(lanes), Message.seeded(lanes, -3),
        DistributionTest.busyMessage(lanes, r), withTakenWords(lanes)}) {
      byte[] flat = m.flatten();
      assertEquals(m.flatSize(), flat.length);
      Message back = Message.unflatten(flat);
      assertEquals(m, back);
      assertEquals(m.hashCode(), back.hashCode());
      assertArrayEquals(flat, back.flatten());
      if (m.isSeeded()) { // the copy decodes the same way as the original
        Uniform u = new Uniform(7, 3 * lanes);
        assertArrayEquals(u.pop(m.copy()), u.pop(back));
      }
    }
  }

  private static Message withTakenWords(int lanes) {
    Message m = Message.seeded(lanes, 11);
    new Uniform(30, 10 * lanes).pop(m);
    new Uniform(3, 5).push(m, new int[] {1, 2, 3, 4, 5});
    return m;
  }

  @Test
  void unflattenRejectsBadHeadersWithOffsets() {
    byte[] good = withTakenWords(2).flatten();
    assertCorrupt(new byte[0], 0);
    byte[] format = good.clone();
    format[0] = 9;
    assertCorrupt(format, 0);
    byte[] flags = good.clone();
    flags[1] = 3;
    assertCorrupt(flags, 1);
    assertCorrupt(withInt(good, 2, 0), 2);
    assertCorrupt(withInt(good, 2, Message.MAX_LANES + 1), 2);
    assertCorrupt(withInt(good, 2, -1), 2);
    byte[] consumed = good.clone();
    ByteBuffer.wrap(consumed).order(ByteOrder.LITTLE_ENDIAN).putLong(14, -1);
    assertCorrupt(consumed, 14);
    byte[] head = good.clone();
    ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(22 + 8, 12345);
    assertCorrupt(head, 30);
    int countAt = 22 + 16;
    assertCorrupt(withInt(good, countAt, Integer.MAX_VALUE), countAt); // claims 8 GiB: no OOM
  }

  @Test
  void unflattenRejectsNonCanonicalBottomWord() {
    Message m = Message.seeded(1, 5);
    new Uniform(30, 4).pop(m);
    long consumed = m.cleanWordsConsumed();
    assertTrue(consumed > 0);
    byte[] flat = m.flatten();
    // Take the next clean word off the stream onto the stored stack by hand: the same content
    // (that word, then the rest of the stream) in other bytes.
    ByteBuffer b = ByteBuffer.allocate(flat.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put(flat, 0, flat.length - 4);
    b.putLong(14, consumed + 1);
    b.putInt(1);
    b.putInt(CleanWords.word(5, consumed));
    assertCorrupt(b.array(), flat.length);
  }

  @Test
  void everyTruncationAndExtensionIsRejected() {
    byte[] good = DistributionTest.busyMessage(3, new SplittableRandom(1)).flatten();
    for (int length = 0; length < good.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(good, length);
      assertThrows(CorruptStreamException.class, () -> Message.unflatten(cut), "length " + length);
    }
    for (int extra = 1; extra <= 9; extra++) {
      byte[] longer = java.util.Arrays.copyOf(good, good.length + extra);
      assertThrows(CorruptStreamException.class, () -> Message.unflatten(longer));
    }
  }

  @Test
  void callerMistakesAreIllegalArguments() {
    assertThrows(IllegalArgumentException.class, () -> Message.empty(0));
    assertThrows(IllegalArgumentException.class, () -> Message.seeded(Message.MAX_LANES + 1, 0));
    assertThrows(IllegalArgumentException.class, () -> Message.checkPrecision(0));
    assertThrows(IllegalArgumentException.class,
        () -> Message.checkPrecision(Message.MAX_PRECISION + 1));
  }

  private static byte[] withInt(byte[] bytes, int at, int value) {
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    return copy;
  }

  private static void assertCorrupt(byte[] bytes, long offset) {
    CorruptStreamException e =
        assertThrows(CorruptStreamException.class, () -> Message.unflatten(bytes));
    assertEquals(offset, e.offset(), e.getMessage());
  }
}
