package io.bbans.codec.image;

import java.util.Arrays;

/**
 * A sequence of 8-bit images held in one array, each row-major after the one before it, with
 * {@link #channels} samples per pixel (1: grayscale; 3: RGB, interleaved {@code R G B R G B ...}). Usually all of one size ({@link #uniform}: image {@code i} at
 * {@code pixels[i * rows * cols ...]}); {@link #mixed} holds images of any sizes, each with its
 * own height and width. {@link #rows()}, {@link #cols()} and {@link #dims()} are the one shape
 * of a uniform set; {@link #rows(int)}, {@link #cols(int)} and {@link #offset(int)} work for
 * both.
 */
public final class ImageSet {
  /** The largest height or width of one image: a side of 2^16 - 1 pixels. */
  public static final int MAX_SIDE = (1 << 16) - 1;

  private final int count;
  private final int rows;
  private final int cols;
  private final int channels;
  private final byte[] pixels;
  /** Per image, for a mixed set; null for a uniform one. */
  private final int[] rowsOf;
  private final int[] colsOf;
  private final long[] offsets;

  public ImageSet(int count, int rows, int cols, byte[] pixels) {
    this(count, rows, cols, 1, pixels);
  }

  /** {@code count} images of {@code rows x cols} pixels of {@code channels} samples each. */
  public ImageSet(int count, int rows, int cols, int channels, byte[] pixels) {
    if (count < 0 || rows < 1 || cols < 1 || channels < 1 || channels > 4) {
      throw new IllegalArgumentException("bad shape " + count + "x" + rows + "x" + cols + "x"
          + channels);
    }
    if ((long) count * rows * cols * channels != pixels.length) {
      throw new IllegalArgumentException(count + " images of " + rows + "x" + cols
          + (channels > 1 ? "x" + channels : "") + " need "
          + (long) count * rows * cols * channels + " samples, got " + pixels.length);
    }
    this.count = count;
    this.rows = rows;
    this.cols = cols;
    this.channels = channels;
    this.pixels = pixels;
    this.rowsOf = null;
    this.colsOf = null;
    this.offsets = null;
  }

  private ImageSet(int[] rowsOf, int[] colsOf, int channels, long[] offsets, byte[] pixels) {
    this.count = rowsOf.length;
    this.rows = 0;
    this.cols = 0;
    this.channels = channels;
    this.pixels = pixels;
    this.rowsOf = rowsOf;
    this.colsOf = colsOf;
    this.offsets = offsets;
  }

  /**
   * Images of the given sizes, image {@code i} being {@code rows[i] x cols[i]} pixels right
   * after image {@code i - 1}'s. A uniform set where every size is the same (and for no
   * images), so that a set's kind depends only on its sizes.
   */
  public static ImageSet mixed(int[] rows, int[] cols, byte[] pixels) {
    return mixed(rows, cols, 1, pixels);
  }

  /** As {@link #mixed(int[], int[], byte[])}, with {@code channels} samples per pixel. */
  public static ImageSet mixed(int[] rows, int[] cols, int channels, byte[] pixels) {
    if (channels < 1 || channels > 4) {
      throw new IllegalArgumentException(channels + " channels");
    }
    if (rows.length != cols.length) {
      throw new IllegalArgumentException(rows.length + " heights for " + cols.length + " widths");
    }
    long[] offsets = new long[rows.length + 1];
    boolean same = true;
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 1 || cols[i] < 1 || rows[i] > MAX_SIDE || cols[i] > MAX_SIDE) {
        throw new IllegalArgumentException("image " + i + " is " + rows[i] + "x" + cols[i]
            + ": each side must be 1.." + MAX_SIDE);
      }
      offsets[i + 1] = offsets[i] + (long) rows[i] * cols[i] * channels;
      same &= rows[i] == rows[0] && cols[i] == cols[0];
    }
    if (offsets[rows.length] != pixels.length) {
      throw new IllegalArgumentException("images of these sizes need " + offsets[rows.length]
          + " samples, got " + pixels.length);
    }
    if (same) {
      return rows.length == 0 ? new ImageSet(0, 1, 1, channels, pixels)
          : new ImageSet(rows.length, rows[0], cols[0], channels, pixels);
    }
    return new ImageSet(rows.clone(), cols.clone(), channels, offsets, pixels);
  }

  /** The images of several sets of one channel count, one set after another. */
  public static ImageSet concat(java.util.List<ImageSet> sets) {
    int n = 0;
    long pixels = 0;
    int channels = sets.isEmpty() ? 1 : sets.get(0).channels;
    for (ImageSet s : sets) {
      if (s.channels != channels) {
        throw new IllegalArgumentException("sets of " + channels + " and " + s.channels
            + " channels");
      }
      n += s.count;
      pixels += s.pixels.length;
    }
    int[] r = new int[n];
    int[] c = new int[n];
    byte[] all = new byte[Math.toIntExact(pixels)];
    int i = 0;
    int at = 0;
    for (ImageSet s : sets) {
      for (int k = 0; k < s.count; k++, i++) {
        r[i] = s.rows(k);
        c[i] = s.cols(k);
      }
      System.arraycopy(s.pixels, 0, all, at, s.pixels.length);
      at += s.pixels.length;
    }
    return mixed(r, c, channels, all);
  }

  /**
   * Every whole {@code rows x cols} tile of the images, each image cut on a grid from its top
   * left corner (the part of an edge that is not a whole tile is left out): what a model of
   * that size is trained on, as it codes images of any size as such tiles.
   */
  public ImageSet wholeTiles(int rows, int cols) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int n = 0;
    for (int i = 0; i < count; i++) {
      int w = cols(i);
      for (int top = 0; top + rows <= rows(i); top += rows) {
        for (int left = 0; left + cols <= w; left += cols) {
          for (int r = 0; r < rows; r++) {
            out.write(pixels, (int) offset(i) + ((top + r) * w + left) * channels,
                cols * channels);
          }
          n++;
        }
      }
    }
    return new ImageSet(n, rows, cols, channels, out.toByteArray());
  }

  /** Whether every image has the same size (always so for one image or none). */
  public boolean uniform() {
    return rowsOf == null;
  }

  private void requireUniform() {
    if (rowsOf != null) {
      throw new IllegalStateException("images of mixed sizes have no one shape");
    }
  }

  /** Height of image {@code i}. */
  public int rows(int i) {
    return rowsOf == null ? rows : rowsOf[i];
  }

  /** Width of image {@code i}. */
  public int cols(int i) {
    return colsOf == null ? cols : colsOf[i];
  }

  /**
   * Where image {@code i}'s samples start in {@link #pixels}; {@code offset(count)} is the end.
   */
  public long offset(int i) {
    return offsets == null ? (long) i * rows * cols * channels : offsets[i];
  }

  /** Samples per pixel: 1 for grayscale, 3 for RGB. */
  public int channels() {
    return channels;
  }

  /** Samples of all the images together (pixels times channels). */
  public long pixelCount() {
    return pixels.length;
  }

  /** The images' sizes as a list of heights and a list of widths. */
  public int[][] sizes() {
    int[][] out = new int[2][count];
    for (int i = 0; i < count; i++) {
      out[0][i] = rows(i);
      out[1][i] = cols(i);
    }
    return out;
  }

  /** A description of the sizes: {@code 28x28}, or {@code mixed sizes (3x5 to 480x640)}. */
  public String shapeText() {
    if (uniform()) {
      return rows + "x" + cols + (channels > 1 ? " RGB" : "");
    }
    int minR = Integer.MAX_VALUE;
    int maxR = 0;
    int minC = Integer.MAX_VALUE;
    int maxC = 0;
    for (int i = 0; i < count; i++) {
      minR = Math.min(minR, rowsOf[i]);
      maxR = Math.max(maxR, rowsOf[i]);
      minC = Math.min(minC, colsOf[i]);
      maxC = Math.max(maxC, colsOf[i]);
    }
    return "mixed sizes (" + minR + ".." + maxR + " x " + minC + ".." + maxC + ")"
        + (channels > 1 ? " RGB" : "");
  }

  public int count() {
    return count;
  }

  /** The height of every image of a uniform set. */
  public int rows() {
    requireUniform();
    return rows;
  }

  /** The width of every image of a uniform set. */
  public int cols() {
    requireUniform();
    return cols;
  }

  /** Samples per image of a uniform set: {@code rows * cols * channels}. */
  public int dims() {
    requireUniform();
    return rows * cols * channels;
  }

  /** The backing array; callers must not modify it. */
  public byte[] pixels() {
    return pixels;
  }

  /** Sample {@code p} of image {@code i} (a pixel, or a pixel's channel), 0..255. */
  public int pixel(int i, int p) {
    return pixels[(int) offset(i) + p] & 0xFF;
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
    byte[] part = Arrays.copyOfRange(pixels, (int) offset(from), (int) offset(to));
    if (uniform()) {
      return new ImageSet(to - from, rows, cols, channels, part);
    }
    return mixed(Arrays.copyOfRange(rowsOf, from, to), Arrays.copyOfRange(colsOf, from, to),
        channels, part);
  }

  /**
   * The images whose index is {@code step - 1} modulo {@code step} ({@code chosen}), or all the
   * others (not chosen), in their order: a subset spread over the whole set, and its rest.
   */
  public ImageSet every(int step, boolean chosen) {
    byte[] kept = new byte[pixels.length];
    int[] r = new int[count];
    int[] c = new int[count];
    int n = 0;
    int at = 0;
    for (int i = 0; i < count; i++) {
      if ((i % step == step - 1) == chosen) {
        int d = rows(i) * cols(i) * channels;
        System.arraycopy(pixels, (int) offset(i), kept, at, d);
        r[n] = rows(i);
        c[n] = cols(i);
        at += d;
        n++;
      }
    }
    if (uniform()) {
      return new ImageSet(n, rows, cols, channels, Arrays.copyOf(kept, at));
    }
    return mixed(Arrays.copyOf(r, n), Arrays.copyOf(c, n), channels, Arrays.copyOf(kept, at));
  }

  /** Every pixel above {@code threshold} becomes 1, the rest 0. */
  public ImageSet binarize(int threshold) {
    byte[] bits = new byte[pixels.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = (byte) ((pixels[i] & 0xFF) > threshold ? 1 : 0);
    }
    return withPixels(bits);
  }

  /** The same sizes over other pixels. */
  public ImageSet withPixels(byte[] other) {
    return uniform() ? new ImageSet(count, rows, cols, channels, other)
        : new ImageSet(rowsOf, colsOf, channels, offsets, checked(other));
  }

  private byte[] checked(byte[] other) {
    if (other.length != pixels.length) {
      throw new IllegalArgumentException(other.length + " pixels for " + pixels.length);
    }
    return other;
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
