package io.bbans.codec.ans;

/**
 * A lossless code for values of type {@code T} on a {@link Message}: two mirrored operations.
 *
 * <p>The contract: for every message {@code m} and value {@code v} the codec accepts,
 * {@code push(m, v)} followed by {@code pop(m)} returns a value equal to {@code v} and leaves
 * {@code m} equal to what it was before the push. Pops happen in the reverse order of pushes.
 */
public interface Codec<T> {
  /** Encodes {@code value} onto {@code message}. */
  void push(Message message, T value);

  /** Decodes the value on top of {@code message}, removing it. */
  T pop(Message message);
}
