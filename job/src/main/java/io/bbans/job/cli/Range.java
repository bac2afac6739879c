package io.bbans.job.cli;

/** A half-open range of image indices written {@code FROM:TO}; either side may be empty. */
final class Range {
  final Integer from;
  final Integer to;

  private Range(Integer from, Integer to) {
    this.from = from;
    this.to = to;
  }

  static Range parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("range '" + text + "' is not FROM:TO");
    }
    try {
      String a = text.substring(0, colon).trim();
      String b = text.substring(colon + 1).trim();
      return new Range(a.isEmpty() ? null : Integer.valueOf(a), b.isEmpty() ? null
          : Integer.valueOf(b));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("range '" + text + "' is not FROM:TO");
    }
  }

  /** Resolves against a set of {@code count} images; throws if it does not fit. */
  int[] resolve(int count) {
    int f = from == null ? 0 : from;
    int t = to == null ? count : to;
    if (f < 0 || t > count || f > t) {
      throw new IllegalArgumentException("range " + this + " does not fit " + count + " images");
    }
    return new int[] {f, t};
  }

  @Override
  public String toString() {
    return (from == null ? "" : from) + ":" + (to == null ? "" : to);
  }
}
