package io.bbans.job.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code FROM:TO} options. */
final class RangeConverter implements ITypeConverter<Range> {
  @Override
  public Range convert(String value) {
    try {
      return Range.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
