package io.bbans.codec.ans;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A vectorised rANS message: {@code lanes} independent 63-bit rANS heads over one shared stack
 * of 32-bit words, as in ryg_rans' rans64 and craystack.
 *
 * <p>Each head is a state {@code x} with {@code 2^31 <= x < 2^63}: the upper bound keeps it a
 * non-negative {@code long}, the lower bound {@code L = 2^31} means a head that falls below L
 * after a pop needs exactly one 32-bit word to get back into range. Symbols are coded at a
 * precision of {@code 1..MAX_PRECISION} bits: a symbol with cumulative frequency {@code start}
 * and frequency {@code freq} out of {@code 2^precision}.
 *
 * <p>The stack is last in, first out: what is pushed last is popped first, so data is decoded
 * in the reverse order of encoding. The stack either ends in nothing (an {@link #empty} message:
 * popping past the end throws {@link CorruptStreamException}) or rests on an endless stream of
 * pseudo-random clean words from a seed ({@link #seeded}). Clean words that were taken off that
 * stream are counted, not stored; when a word equal to the next clean word is pushed back onto
 * an otherwise empty stack it goes back into the stream. That keeps the representation
 * canonical: two messages with the same content are {@link #equals equal} and flatten to the
 * same bytes, so a decoder can check that it ended exactly at the seeded start.
 *
 * <p>Not thread-safe: one message belongs to one chain.
 */
public final class Message {
  /** The lower bound L of a head: 2^31, so that one 32-bit word always renormalises. */
  public static final long STATE_LOWER_BOUND = 1L << 31;
  /**
   * The largest supported coding precision. 30 bits keeps every cumulative frequency, up to
   * {@code 2^precision} itself, a positive {@code int}; rans64 itself would allow 31.
   */
  public static final int MAX_PRECISION = 30;
  /** The most lanes a message may have; a flattened message claiming more is corrupt. */
  public static final int MAX_LANES = 1 << 16;

  /** Version byte at the start of a flattened message. */
  static final int FLAT_FORMAT = 1;
  private static final int FLAG_SEEDED = 1;
  private static final int INITIAL_STACK = 64;

  private final long[] heads;
  private int[] words;
  private int size;
  private final boolean seeded;
  private final long seed;
  /** Clean words taken off the seeded stream so far (always 0 for an empty message). */
  private long consumed;

  private Message(long[] heads, int[] words, int size, boolean seeded, long seed, long consumed) {
    this.heads = heads;
    this.words = words;
    this.size = size;
    this.seeded = seeded;
    this.seed = seed;
    this.consumed = consumed;
  }

  /** A message with every head at the lower bound and nothing below the stack. */
  public static Message empty(int lanes) {
    checkLanes(lanes);
    long[] heads = new long[lanes];
    Arrays.fill(heads, STATE_LOWER_BOUND);
    return new Message(heads, new int[INITIAL_STACK], 0, false, 0, 0);
  }

  /**
   * A message with pseudo-random heads over the endless clean-word stream of {@code seed} (see
   * {@link CleanWords}). Bits-back coding pops from it before anything was pushed; the words it
   * takes are regenerated, never stored.
   */
  public static Message seeded(int lanes, long seed) {
    checkLanes(lanes);
    long[] heads = new long[lanes];
    for (int lane = 0; lane < lanes; lane++) {
      heads[lane] = CleanWords.head(seed, lane);
    }
    return new Message(heads, new int[INITIAL_STACK], 0, true, seed, 0);
  }

  private static void checkLanes(int lanes) {
    if (lanes < 1 || lanes > MAX_LANES) {
      throw new IllegalArgumentException("lanes must be in [1, " + MAX_LANES + "], got " + lanes);
    }
  }

  /** Checks a precision given by a caller; distributions call this once, not per symbol. */
  public static void checkPrecision(int precision) {
    if (precision < 1 || precision > MAX_PRECISION) {
      throw new IllegalArgumentException(
          "precision must be in [1, " + MAX_PRECISION + "], got " + precision);
    }
  }

  public int lanes() {
    return heads.length;
  }

  /** Whether the stack rests on a seeded clean-word stream. */
  public boolean isSeeded() {
    return seeded;
  }

  /** The seed of the clean-word stream (0 for an empty message). */
  public long seed() {
    return seed;
  }

  /** How many clean words have been taken off the seeded stream and not given back. */
  public long cleanWordsConsumed() {
    return consumed;
  }

  /** Number of 32-bit words stored on the stack (not counting the seeded stream). */
  public int stackWords() {
    return size;
  }

  /** The head of {@code lane}, for tests and diagnostics. */
  public long head(int lane) {
    return heads[lane];
  }

  // ---------------------------------------------------------------- the rANS core, per lane

  /**
   * Encodes a symbol occupying {@code [start, start + freq)} of {@code 2^precision} onto {@code
   * lane}. The caller guarantees {@code freq >= 1} and {@code start + freq <= 2^precision}.
   */
  public void push(int lane, int start, int freq, int precision) {
    long x = heads[lane];
    // Renormalise so that the result stays below 2^63: x < freq * 2^(63 - precision).
    // Written as a shift of x, because freq << (63 - precision) overflows when freq = 2^precision.
    if ((x >>> (63 - precision)) >= freq) {
      pushWord((int) x);
      x >>>= 32;
    }
    heads[lane] = ((x / freq) << precision) + (x % freq) + start;
  }

  /** The cumulative-frequency slot of {@code lane}'s next symbol, in {@code [0, 2^precision)}. */
  public int peek(int lane, int precision) {
    return (int) (heads[lane] & ((1L << precision) - 1));
  }

  /**
   * Removes the symbol {@code [start, start + freq)} from {@code lane}, which must be the one
   * that contains {@link #peek}'s slot.
   */
  public void pop(int lane, int start, int freq, int precision) {
    long x = heads[lane];
    long slot = x & ((1L << precision) - 1);
    if (slot < start || slot - start >= freq) {
      throw new IllegalArgumentException(
          "symbol [" + start + ", " + start + "+" + freq + ") does not contain slot " + slot);
    }
    x = freq * (x >>> precision) + slot - start;
    if (x < STATE_LOWER_BOUND) {
      x = (x << 32) | (popWord() & 0xFFFF_FFFFL);
    }
    heads[lane] = x;
  }

  private void pushWord(int word) {
    if (size == 0 && consumed > 0 && word == CleanWords.word(seed, consumed - 1)) {
      consumed--; // it goes back into the clean stream: keeps the message canonical
      return;
    }
    if (size == words.length) {
      words = Arrays.copyOf(words, Math.max(INITIAL_STACK, words.length * 2));
    }
    words[size++] = word;
  }

  private int popWord() {
    if (size > 0) {
      return words[--size];
    }
    if (seeded) {
      return CleanWords.word(seed, consumed++);
    }
    throw new CorruptStreamException(
        "message ran dry: a pop needed a word below the bottom of an unseeded message");
  }

  // ---------------------------------------------------------------- flat form

  /** Bytes that {@link #flatten} would return. */
  public long flatSize() {
    return headerSize(lanes(), seeded) + 4L * size;
  }

  private static int headerSize(int lanes, boolean seeded) {
    return 1 + 1 + 4 + (seeded ? 16 : 0) + 8 * lanes + 4;
  }

  /**
   * The message as bytes, little-endian: format byte, flags byte, lane count (u32), for a seeded
   * message its seed and consumed-word count (u64 each), the heads (u64 each), the stack word
   * count (u32) and the stack words from the bottom up. Equal messages give equal bytes.
   */
  public byte[] flatten() {
    long bytes = flatSize();
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("message too large to flatten into one array: " + bytes);
    }
    ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) FLAT_FORMAT);
    out.put((byte) (seeded ? FLAG_SEEDED : 0));
    out.putInt(heads.length);
    if (seeded) {
      out.putLong(seed);
      out.putLong(consumed);
    }
    for (long head : heads) {
      out.putLong(head);
    }
    out.putInt(size);
    for (int i = 0; i < size; i++) {
      out.putInt(words[i]);
    }
    return out.array();
  }

  /**
   * Reads what {@link #flatten} wrote. Anything else, including a non-canonical form of a valid
   * message, throws {@link CorruptStreamException} with the offset of the first bad byte; no
   * length is trusted before it is checked against the bytes that are really there.
   */
  public static Message unflatten(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    need(in, 6, "message header");
    int format = in.get() & 0xFF;
    if (format != FLAT_FORMAT) {
      throw new CorruptStreamException("unknown message format " + format, 0);
    }
    int flags = in.get() & 0xFF;
    if ((flags & ~FLAG_SEEDED) != 0) {
      throw new CorruptStreamException("unknown message flags " + flags, 1);
    }
    boolean seeded = (flags & FLAG_SEEDED) != 0;
    int lanes = in.getInt();
    if (lanes < 1 || lanes > MAX_LANES) {
      throw new CorruptStreamException("lane count " + Integer.toUnsignedString(lanes)
          + " outside [1, " + MAX_LANES + "]", 2);
    }
    need(in, headerSize(lanes, seeded) - 6, "message header");
    long seed = 0;
    long consumed = 0;
    if (seeded) {
      seed = in.getLong();
      int at = in.position();
      consumed = in.getLong();
      if (consumed < 0) {
        throw new CorruptStreamException("negative clean-word count", at);
      }
    }
    long[] heads = new long[lanes];
    for (int lane = 0; lane < lanes; lane++) {
      int at = in.position();
      heads[lane] = in.getLong();
      if (heads[lane] < STATE_LOWER_BOUND) {
        throw new CorruptStreamException("head of lane " + lane + " outside [2^31, 2^63)", at);
      }
    }
    int at = in.position();
    long count = Integer.toUnsignedLong(in.getInt());
    if (count * 4 != in.remaining()) {
      throw new CorruptStreamException("stack claims " + count + " words but " + in.remaining()
          + " bytes follow", at);
    }
    int[] words = new int[(int) Math.max(INITIAL_STACK, count)];
    for (int i = 0; i < count; i++) {
      words[i] = in.getInt();
    }
    if (seeded && count > 0 && consumed > 0 && words[0] == CleanWords.word(seed, consumed - 1)) {
      throw new CorruptStreamException("non-canonical message: bottom word belongs to the clean"
          + " stream", at + 4);
    }
    return new Message(heads, words, (int) count, seeded, seed, consumed);
  }

  private static void need(ByteBuffer in, int bytes, String what) {
    if (in.remaining() < bytes) {
      throw new CorruptStreamException("truncated " + what + ": need " + bytes + " bytes, "
          + in.remaining() + " left", in.limit());
    }
  }

  // ---------------------------------------------------------------- value semantics

  /** An independent copy with the same content. */
  public Message copy() {
    return new Message(heads.clone(), Arrays.copyOf(words, Math.max(INITIAL_STACK, size)), size,
        seeded, seed, consumed);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Message)) {
      return false;
    }
    Message m = (Message) o;
    return seeded == m.seeded && seed == m.seed && consumed == m.consumed && size == m.size
        && Arrays.equals(heads, m.heads)
        && Arrays.equals(words, 0, size, m.words, 0, m.size);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(heads);
    for (int i = 0; i < size; i++) {
      h = 31 * h + words[i];
    }
    return 31 * (31 * h + Long.hashCode(seed)) + Long.hashCode(consumed);
  }

  @Override
  public String toString() {
    return "Message[lanes=" + lanes() + ", stackWords=" + size
        + (seeded ? ", seed=" + seed + ", cleanWordsConsumed=" + consumed : "") + "]";
  }
}
