package io.bbans.codec.image;

import java.util.Arrays;

/**
 * A sequence of same-sized 8-bit grayscale images held in one array, image {@code i} at
 * {@code pixels[i * rows * cols ...]}, row-major.
 */
public final class ImageSet {
  private final int count;
  private final int rows;
  private final int cols;
  private final byte[] pixels;

  public ImageSet(int count, int rows, int cols, byte[] pixels) {
    if (count < 0 || rows < 1 || cols < 1) {
      throw new IllegalArgumentException("bad shape " + count + "x" + rows + "x" + cols);
    }
    if ((long) count * rows * cols != pixels.length) {
      throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " need "
          + (long) count * rows * cols + " pixels, got " + pixels.length);
    }
    this.count = count;
    this.rows = rows;
    this.cols = cols;
    this.pixels = pixels;
  }

  public int count() {
    return count;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Pixels per image. */
  public int dims() {
    return rows * cols;
  }

  /** The backing array; callers must not modify it. */
  public byte[] pixels() {
    return pixels;
  }

  /** Pixel {@code p} of image {@code i}, 0..255. */
  public int pixel(int i, int p) {
    return pixels[i * dims() + p] & 0xFF;
  }

  /** The pixels of images {@code from..from+count} as ints, image-major. */
  public int[] values(int from, int count) {
    int d = dims();
    int[] x = new int[count * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = pixels[from * d + i] & 0xFF;
    }
    return x;
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive), copied. */
  public ImageSet range(int from, int to) {
    if (from < 0 || to > count || from > to) {
      throw new IllegalArgumentException("range " + from + ":" + to + " outside 0:" + count);
    }
    return new ImageSet(to - from, rows, cols,
        Arrays.copyOfRange(pixels, from * dims(), to * dims()));
  }

  /**
   * The images whose index is {@code step - 1} modulo {@code step} ({@code chosen}), or all the
   * others (not chosen), in their order: a subset spread over the whole set, and its rest.
   */
  public ImageSet every(int step, boolean chosen) {
    int d = dims();
    byte[] kept = new byte[pixels.length];
    int n = 0;
    for (int i = 0; i < count; i++) {
      if ((i % step == step - 1) == chosen) {
        System.arraycopy(pixels, i * d, kept, n * d, d);
        n++;
      }
    }
    return new ImageSet(n, rows, cols, Arrays.copyOf(kept, n * d));
  }

  /** Every pixel above {@code threshold} becomes 1, the rest 0. */
  public ImageSet binarize(int threshold) {
    byte[] bits = new byte[pixels.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = (byte) ((pixels[i] & 0xFF) > threshold ? 1 : 0);
    }
    return new ImageSet(count, rows, cols, bits);
  }

  /** Whether every pixel is 0 or 1. */
  public boolean isBinary() {
    return binaryOnValue() == 1;
  }

  /**
   * The value of a lit pixel if the images are binary: 1 when every pixel is 0 or 1 (all-black
   * images included), 255 when every pixel is 0 or 255 and some are 255; 0 when they are not
   * binary (another value, or both 1 and 255).
   */
  public int binaryOnValue() {
    boolean ones = false;
    boolean full = false;
    for (byte b : pixels) {
      int v = b & 0xFF;
      if (v == 1) {
        ones = true;
      } else if (v == 255) {
        full = true;
      } else if (v != 0) {
        return 0;
      }
    }
    return ones && full ? 0 : full ? 255 : 1;
  }
}
