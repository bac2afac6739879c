package io.bbans.codec.ans;

/**
 * A quantised distribution over the symbols {@code 0 .. alphabetSize-1}, as a codec for an
 * array of symbols: one parameter slot per symbol, symbol {@code i} coded on lane
 * {@code i % width} (width defaults to the message's lane count), popping from {@code i = 0} up.
 *
 * <p>Subclasses define the integer cumulative frequencies {@link #cdf} at a precision of
 * {@code p} bits: {@code cdf(slot, 0) = 0}, {@code cdf(slot, alphabetSize) = 2^p}, strictly
 * increasing, so every symbol keeps a frequency of at least 1. They are computed with integer
 * arithmetic and tables only, so an encoder and a decoder on any machine agree to the bit.
 */
public abstract class Distribution implements Codec<int[]> {
  private final int precision;
  private final int alphabetSize;
  private final int slots;
  private final int width;

  /**
   * @param width lanes to spread the symbols over, or 0 for all lanes of the message
   */
  protected Distribution(int precision, int alphabetSize, int slots, int width) {
    Message.checkPrecision(precision);
    if (alphabetSize < 1 || alphabetSize > (1 << precision)) {
      throw new IllegalArgumentException("alphabet of " + alphabetSize
          + " symbols does not fit a precision of " + precision + " bits");
    }
    if (slots < 0) {
      throw new IllegalArgumentException("slots must be >= 0, got " + slots);
    }
    if (width < 0 || width > Message.MAX_LANES) {
      throw new IllegalArgumentException("width must be in [0, " + Message.MAX_LANES + "]");
    }
    this.precision = precision;
    this.alphabetSize = alphabetSize;
    this.slots = slots;
    this.width = width;
  }

  /** Cumulative frequency of the symbols below {@code symbol} in {@code slot}, out of 2^p. */
  public abstract int cdf(int slot, int symbol);

  /**
   * The symbol of {@code slot} whose interval holds {@code cf}: the largest {@code s} with
   * {@code cdf(slot, s) <= cf}. Subclasses may search faster; this one is the bisection of
   * {@link #referenceSymbol}, against which the faster ones are tested.
   */
  public int symbol(int slot, int cf) {
    return referenceSymbol(slot, cf);
  }

  /** The plain bisection search that defines {@link #symbol}. */
  final int referenceSymbol(int slot, int cf) {
    int lo = 0;
    int hi = alphabetSize; // invariant: cdf(lo) <= cf < cdf(hi)
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (cdf(slot, mid) <= cf) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * {@link #symbol} found by walking from a guess: exact for any guess, fast when the guess is
   * within a step or two. The fast searches of the parametric families use it.
   */
  final int walkFrom(int slot, int cf, int guess) {
    int s = guess < 0 ? 0 : Math.min(guess, alphabetSize - 1);
    while (s > 0 && cdf(slot, s) > cf) {
      s--;
    }
    while (s < alphabetSize - 1 && cdf(slot, s + 1) <= cf) {
      s++;
    }
    return s;
  }

  /**
   * {@link #symbol} found by galloping from a guess (steps of 1, 2, 4, ... away from it) and
   * bisecting the bracket found: exact for any guess, two evaluations of {@link #cdf} when the
   * guess is right, at most about {@code 4 log2(alphabetSize)} when it is far off. The symbol's
   * interval, {@code cdf(s)} and {@code cdf(s + 1)}, is left in {@code interval}.
   */
  final int gallopFrom(int slot, int cf, int guess, int[] interval) {
    int lo;
    int hi; // invariant: cdf(lo) <= cf < cdf(hi), cdf(0) = 0 and cdf(alphabetSize) = 2^p
    int cdfLo;
    int cdfHi;
    int s = guess < 0 ? 0 : Math.min(guess, alphabetSize - 1);
    int at = cdf(slot, s);
    if (at <= cf) {
      lo = s;
      cdfLo = at;
      hi = s + 1;
      cdfHi = cdf(slot, hi);
      for (int step = 1; cdfHi <= cf; ) { // cdf(alphabetSize) > cf ends it
        lo = hi;
        cdfLo = cdfHi;
        step <<= 1;
        hi = (int) Math.min(alphabetSize, (long) lo + step);
        cdfHi = cdf(slot, hi);
      }
    } else {
      hi = s;
      cdfHi = at;
      lo = s - 1;
      cdfLo = cdf(slot, lo);
      for (int step = 1; cdfLo > cf; ) { // cdf(0) = 0 <= cf ends it
        hi = lo;
        cdfHi = cdfLo;
        step <<= 1;
        lo = Math.max(0, hi - step);
        cdfLo = cdf(slot, lo);
      }
    }
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      int c = cdf(slot, mid);
      if (c <= cf) {
        lo = mid;
        cdfLo = c;
      } else {
        hi = mid;
        cdfHi = c;
      }
    }
    interval[0] = cdfLo;
    interval[1] = cdfHi;
    return lo;
  }

  public final int precision() {
    return precision;
  }

  public final int alphabetSize() {
    return alphabetSize;
  }

  /** Number of symbols this codec pushes and pops at a time. */
  public final int slots() {
    return slots;
  }

  /** The integer frequency of {@code symbol} in {@code slot}, at least 1. */
  public final int frequency(int slot, int symbol) {
    return cdf(slot, symbol + 1) - cdf(slot, symbol);
  }

  /** The information content {@code -log2 p(symbol)} that coding it costs, in bits. */
  public final double informationBits(int slot, int symbol) {
    return precision - StrictMath.log(frequency(slot, symbol)) / StrictMath.log(2);
  }

  private int lanesFor(Message m) {
    if (width > m.lanes()) {
      throw new IllegalArgumentException(
          "codec spans " + width + " lanes but the message has " + m.lanes());
    }
    return width == 0 ? m.lanes() : width;
  }

  @Override
  public void push(Message m, int[] symbols) {
    push(m, symbols, null);
  }

  /**
   * Pushes every symbol whose slot is not {@code skip}ped: a skipped slot is coded as a symbol
   * of probability one, which costs nothing and leaves its lane as it was (what both sides
   * know without coding, such as the pixels that pad an image to a model's size).
   *
   * @param skip one flag a slot, or null for none
   */
  public void push(Message m, int[] symbols, boolean[] skip) {
    if (symbols.length != slots || (skip != null && skip.length != slots)) {
      throw new IllegalArgumentException("expected " + slots + " symbols, got " + symbols.length);
    }
    int lanes = lanesFor(m);
    int lane = (slots - 1) % lanes;
    for (int i = slots - 1; i >= 0; i--) {
      if (skip != null && skip[i]) {
        if (--lane < 0) {
          lane = lanes - 1;
        }
        continue;
      }
      int s = symbols[i];
      if (s < 0 || s >= alphabetSize) {
        throw new IllegalArgumentException(
            "symbol " + s + " at " + i + " outside [0, " + alphabetSize + ")");
      }
      int start = cdf(i, s);
      m.push(lane, start, cdf(i, s + 1) - start, precision);
      if (--lane < 0) {
        lane = lanes - 1;
      }
    }
  }

  @Override
  public int[] pop(Message m) {
    int[] symbols = new int[slots];
    pop(m, symbols);
    return symbols;
  }

  /** Pops into {@code symbols}, which must have {@link #slots} elements; no allocation. */
  public void pop(Message m, int[] symbols) {
    pop(m, symbols, null);
  }

  /**
   * Pops every slot that is not {@code skip}ped, as {@link #push(Message, int[], boolean[])}
   * pushed them; a skipped slot's symbol is left as it was in {@code symbols}.
   */
  public void pop(Message m, int[] symbols, boolean[] skip) {
    if (symbols.length != slots || (skip != null && skip.length != slots)) {
      throw new IllegalArgumentException("expected room for " + slots + " symbols");
    }
    int lanes = lanesFor(m);
    int lane = 0;
    int[] interval = new int[2];
    for (int i = 0; i < slots; i++) {
      if (skip == null || !skip[i]) {
        symbols[i] = popOne(m, lane, i, interval);
      }
      if (++lane == lanes) {
        lane = 0;
      }
    }
  }

  /**
   * Pops the symbol of {@code slot} from {@code lane}: finds it with {@link #symbol}, then takes
   * its interval off the lane. A family whose search already knows the interval may override,
   * with {@code interval} as two ints of scratch.
   */
  int popOne(Message m, int lane, int slot, int[] interval) {
    int s = symbol(slot, m.peek(lane, precision));
    int start = cdf(slot, s);
    m.pop(lane, start, cdf(slot, s + 1) - start, precision);
    return s;
  }

  /** Checks that a parameter array has one entry per slot. */
  static int checkSlots(int[] params, int slots, String name) {
    if (params.length != slots) {
      throw new IllegalArgumentException(name + " has " + params.length + " entries, expected "
          + slots);
    }
    return slots;
  }

  /**
   * The quantisation rule shared by the parametric families: symbol {@code k} of {@code K}
   * gets cumulative frequency {@code k + floor(F_k (2^p - K))}, where {@code F_k} is the
   * cumulative probability below it in Q30. Strictly increasing whenever {@code F} is
   * non-decreasing, and every symbol keeps a frequency of at least 1.
   */
  static int quantisedCdf(int symbol, int alphabetSize, long cumulativeQ30, int precision) {
    long spread = (1L << precision) - alphabetSize;
    return symbol + (int) ((cumulativeQ30 * spread) >>> FixedPoint.Q30_BITS);
  }
}
