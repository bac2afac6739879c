package io.bbans.codec.ans;

import java.util.Objects;

/** Two values coded together by {@link Codecs#serial} or {@link Codecs#dependent}. */
public final class Pair<A, B> {
  private final A first;
  private final B second;

  public Pair(A first, B second) {
    this.first = first;
    this.second = second;
  }

  public A first() {
    return first;
  }

  public B second() {
    return second;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pair<?, ?> p && Objects.equals(first, p.first)
        && Objects.equals(second, p.second);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(first) + Objects.hashCode(second);
  }

  @Override
  public String toString() {
    return "(" + first + ", " + second + ")";
  }
}
