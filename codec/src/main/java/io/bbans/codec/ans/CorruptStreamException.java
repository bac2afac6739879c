package io.bbans.codec.ans;

/**
 * Thrown when bytes handed to a decoder cannot have come from the matching encoder: a message
 * that runs dry, a head outside the valid rANS range, a truncated or over-long stream, a
 * non-canonical encoding. It carries the byte offset of the problem where one is known.
 *
 * <p>A caller's own mistake (a symbol outside its alphabet, a bad precision) is an
 * {@link IllegalArgumentException} instead: this exception is reserved for bad input data.
 */
public class CorruptStreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Offset used when the position of the corruption is not known. */
  public static final long UNKNOWN_OFFSET = -1;

  private final long offset;

  public CorruptStreamException(String message) {
    this(message, UNKNOWN_OFFSET);
  }

  public CorruptStreamException(String message, long offset) {
    super(offset >= 0 ? message + " (at byte offset " + offset + ")" : message);
    this.offset = offset;
  }

  private CorruptStreamException(String fullMessage, long offset, Throwable cause) {
    super(fullMessage, cause);
    this.offset = offset;
  }

  /** The same error with {@code context} (say, the file name) in front of its message. */
  public CorruptStreamException withContext(String context) {
    return new CorruptStreamException(context + ": " + getMessage(), offset, this);
  }

  /** The byte offset at which the stream was found to be corrupt, or {@link #UNKNOWN_OFFSET}. */
  public long offset() {
    return offset;
  }
}
