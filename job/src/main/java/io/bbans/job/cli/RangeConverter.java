package io.bbans.job.cli;

import picocli.CommandLine.ITypeConverter;

/** Parses {@code FROM:TO} options. */
final class RangeConverter implements ITypeConverter<Range> {
  @Override
  public Range convert(String value) {
    return Range.parse(value);
  }
}
