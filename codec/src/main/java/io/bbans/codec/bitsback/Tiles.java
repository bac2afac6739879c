package io.bbans.codec.bitsback;

import io.bbans.codec.image.ImageSet;

/**
 * Images of any size as a sequence of tiles of a model's size ({@code tileRows x tileCols}), as
 * Bit-Swap codes full-size photographs: image after image, each cut into a grid of tiles taken
 * in raster order. An image of the model's size is one tile, so a set of them is coded exactly
 * as it always was.
 *
 * <p>A tile at the right or bottom edge of an image holds fewer pixels than the model's size.
 * The rest of it is padding, filled by repeating the image's edge: a padding pixel at (r, c),
 * outside the {@code validRows x validCols} part, takes the value of the pixel at
 * {@code (min(r, validRows - 1), min(c, validCols - 1))}. Padding is never coded (a symbol both
 * sides know costs nothing, {@link Padding}), and every pixel it copies comes before it in
 * raster order, so a decoder knows each padding pixel by the time its turn comes.
 *
 * <p>Colour images ({@code channels} samples per pixel, interleaved) are tiled the same way;
 * a tile's symbols are its pixels' samples in order, a padding pixel copying each channel.
 */
public final class Tiles {
  private final int tileRows;
  private final int tileCols;
  private final int channels;
  private final int[] rows;
  private final int[] cols;
  /** {@code firstTile[i]}: index of image {@code i}'s first tile; the last entry, the count. */
  private final long[] firstTile;
  /** {@code offsets[i]}: where image {@code i}'s pixels start; the last entry, all pixels. */
  private final long[] offsets;

  private Tiles(int tileRows, int tileCols, int channels, int[] rows, int[] cols) {
    this.tileRows = tileRows;
    this.tileCols = tileCols;
    this.channels = channels;
    this.rows = rows;
    this.cols = cols;
    this.firstTile = new long[rows.length + 1];
    this.offsets = new long[rows.length + 1];
    for (int i = 0; i < rows.length; i++) {
      firstTile[i + 1] = firstTile[i] + (long) across(rows[i], tileRows) * across(cols[i], tileCols);
      offsets[i + 1] = offsets[i] + (long) rows[i] * cols[i] * channels;
    }
  }

  /** The tiles of images of these sizes. */
  public static Tiles of(int[] rows, int[] cols, int tileRows, int tileCols) {
    return of(rows, cols, 1, tileRows, tileCols);
  }

  /** The tiles of images of these sizes with {@code channels} samples per pixel. */
  public static Tiles of(int[] rows, int[] cols, int channels, int tileRows, int tileCols) {
    if (rows.length != cols.length || tileRows < 1 || tileCols < 1 || channels < 1) {
      throw new IllegalArgumentException("bad sizes");
    }
    return new Tiles(tileRows, tileCols, channels, rows, cols);
  }

  /** The tiles of a set of images. */
  public static Tiles of(ImageSet images, int tileRows, int tileCols) {
    int[][] sizes = images.sizes();
    return of(sizes[0], sizes[1], images.channels(), tileRows, tileCols);
  }

  /** How many tiles of {@code tile} pixels it takes to cover {@code side}. */
  public static int across(int side, int tile) {
    return (side + tile - 1) / tile;
  }

  /** The number of tiles of images of these sizes. */
  public static long count(int[] rows, int[] cols, int tileRows, int tileCols) {
    return of(rows, cols, tileRows, tileCols).count();
  }

  public long count() {
    return firstTile[rows.length];
  }

  /** The samples of all the images (pixels times channels, not counting padding). */
  public long pixels() {
    return offsets[rows.length];
  }

  /** The images whose every tile lies before tile {@code t}. */
  public int imagesBefore(long t) {
    int lo = 0;
    int hi = rows.length; // largest i with firstTile[i + 1] <= t, plus one
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (firstTile[mid + 1] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The images whose every tile lies at or after tile {@code t}. */
  public int imagesFrom(long t) {
    int lo = 0;
    int hi = rows.length; // smallest i with firstTile[i] >= t
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (firstTile[mid] >= t) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return rows.length - lo;
  }

  /** Tiles {@code from..from+batch} as one batch of the chain, tile {@code from + b} on lane b. */
  public Batch batch(long from, int batch) {
    return new Batch(from, batch);
  }

  /** A batch of tiles: where each lies in its image and which of its pixels are padding. */
  public final class Batch {
    private final int batch;
    private final int[] image;
    private final int[] top;
    private final int[] left;
    private final int[] validRows;
    private final int[] validCols;
    private final boolean full;

    private Batch(long from, int batch) {
      this.batch = batch;
      image = new int[batch];
      top = new int[batch];
      left = new int[batch];
      validRows = new int[batch];
      validCols = new int[batch];
      boolean all = true;
      int i = imagesBefore(from); // the image tile `from` lies in
      for (int b = 0; b < batch; b++) {
        long t = from + b;
        while (firstTile[i + 1] <= t) {
          i++;
        }
        int k = (int) (t - firstTile[i]);
        int across = across(cols[i], tileCols);
        image[b] = i;
        top[b] = k / across * tileRows;
        left[b] = k % across * tileCols;
        validRows[b] = Math.min(tileRows, rows[i] - top[b]);
        validCols[b] = Math.min(tileCols, cols[i] - left[b]);
        all &= validRows[b] == tileRows && validCols[b] == tileCols;
      }
      full = all;
    }

    /** The batch's padding, or null where every tile is whole. */
    public Padding padding() {
      return full ? null : new Padding(tileRows, tileCols, channels, validRows, validCols);
    }

    /**
     * The batch's symbols, lane-major ({@code [pixel][lane]}): each tile's pixels with its
     * padding filled, or for a binary model 0 for a 0 and 1 for anything else.
     */
    public int[] symbols(ImageSet images, boolean binary) {
      int d = tileRows * tileCols * channels;
      byte[] pixels = images.pixels();
      int[] symbols = new int[d * batch];
      for (int b = 0; b < batch; b++) {
        int i = image[b];
        int w = cols[i];
        long at = images.offset(i);
        for (int r = 0; r < tileRows; r++) {
          int y = top[b] + Math.min(r, validRows[b] - 1);
          for (int c = 0; c < tileCols; c++) {
            int x = left[b] + Math.min(c, validCols[b] - 1);
            for (int ch = 0; ch < channels; ch++) {
              int v = pixels[(int) (at + ((long) y * w + x) * channels + ch)] & 0xFF;
              symbols[((r * tileCols + c) * channels + ch) * batch + b] =
                  binary ? (v == 0 ? 0 : 1) : v;
            }
          }
        }
      }
      return symbols;
    }

    /**
     * Writes a decoded batch's pixels (not its padding) into their images in {@code pixels}
     * ({@link #pixels} of them, one image after another), a symbol {@code s} as
     * {@code s * one}.
     */
    public void place(int[] symbols, byte[] pixels, int one) {
      for (int b = 0; b < batch; b++) {
        int i = image[b];
        int w = cols[i];
        for (int r = 0; r < validRows[b]; r++) {
          long at = offsets[i] + ((long) (top[b] + r) * w + left[b]) * channels;
          int from = r * tileCols * channels;
          for (int c = 0; c < validCols[b] * channels; c++) {
            pixels[(int) (at + c)] = (byte) (symbols[(from + c) * batch + b] * one);
          }
        }
      }
    }
  }
}
