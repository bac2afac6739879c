package io.bbans.codec.model;

/** A model file that cannot be loaded: wrong magic or version, truncated, corrupt, inconsistent. */
public class ModelFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }
}
