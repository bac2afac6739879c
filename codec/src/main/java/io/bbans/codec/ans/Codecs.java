package io.bbans.codec.ans;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Combinators that build codecs from codecs. Each lists its parts in the order in which they
 * pop; push runs the same parts in reverse, so that reading the two side by side shows one the
 * mirror of the other.
 */
public final class Codecs {
  private Codecs() {}

  /** Codes a pair: {@code first} pops first, then {@code second}. */
  public static <A, B> Codec<Pair<A, B>> serial(Codec<A> first, Codec<B> second) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
    return new Codec<>() {
      @Override
      public void push(Message m, Pair<A, B> value) {
        second.push(m, value.second());
        first.push(m, value.first());
      }

      @Override
      public Pair<A, B> pop(Message m) {
        A a = first.pop(m);
        B b = second.pop(m);
        return new Pair<>(a, b);
      }
    };
  }

  /** Codes a list of values, element {@code i} with {@code codecs.get(i)}, popping from 0 up. */
  public static <T> Codec<List<T>> sequence(List<? extends Codec<T>> codecs) {
    List<Codec<T>> parts = List.copyOf(codecs);
    return new Codec<>() {
      @Override
      public void push(Message m, List<T> values) {
        checkSize(values, parts.size());
        for (int i = parts.size() - 1; i >= 0; i--) {
          parts.get(i).push(m, values.get(i));
        }
      }

      @Override
      public List<T> pop(Message m) {
        List<T> values = new ArrayList<>(parts.size());
        for (Codec<T> part : parts) {
          values.add(part.pop(m));
        }
        return values;
      }
    };
  }

  /** Codes {@code count} values with the same codec, popping element 0 first. */
  public static <T> Codec<List<T>> repeat(Codec<T> codec, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    return sequence(Collections.nCopies(count, codec));
  }

  /**
   * Codes a pair whose second value is coded with a codec chosen from the first: {@code first}
   * pops, then {@code next.apply(a)} pops {@code b}. This is the chain rule
   * {@code p(a, b) = p(a) p(b | a)}; {@code next} must be a deterministic function of {@code a}.
   */
  public static <A, B> Codec<Pair<A, B>> dependent(Codec<A> first,
      Function<? super A, ? extends Codec<B>> next) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(next, "next");
    return new Codec<>() {
      @Override
      public void push(Message m, Pair<A, B> value) {
        next.apply(value.first()).push(m, value.second());
        first.push(m, value.first());
      }

      @Override
      public Pair<A, B> pop(Message m) {
        A a = first.pop(m);
        B b = next.apply(a).pop(m);
        return new Pair<>(a, b);
      }
    };
  }

  /**
   * Codes values of type {@code B} through a codec for {@code A} and a bijection between them:
   * {@code toA} must be the inverse of {@code toB} on every value pushed.
   */
  public static <A, B> Codec<B> map(Codec<A> codec, Function<? super B, ? extends A> toA,
      Function<? super A, ? extends B> toB) {
    return new Codec<>() {
      @Override
      public void push(Message m, B value) {
        codec.push(m, toA.apply(value));
      }

      @Override
      public B pop(Message m) {
        return toB.apply(codec.pop(m));
      }
    };
  }

  private static void checkSize(List<?> values, int expected) {
    if (values.size() != expected) {
      throw new IllegalArgumentException("expected " + expected + " values, got " + values.size());
    }
  }
}
