package io.bbans.codec.image;

/** An image dataset or model file that cannot be read: names the file and what is wrong. */
public class ImageFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ImageFormatException(String message) {
    super(message);
  }

  public ImageFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
