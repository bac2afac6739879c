package io.bbans.codec.bitsback;

/**
 * The padding of a batch of tiles ({@link Tiles}): on lane {@code b} the pixels outside the
 * top-left {@code validRows[b] x validCols[b]}, each a copy of the nearest pixel of the tile's
 * own part, {@code (min(r, validRows - 1), min(c, validCols - 1))}. Both sides know them, so
 * they are never coded: skipped by the distributions, and filled in on pop. With
 * {@code channels} samples per pixel, symbol {@code p} is channel {@code p % channels} of pixel
 * {@code p / channels}, and a padding pixel copies each channel.
 */
public final class Padding {
  private final int tileRows;
  private final int tileCols;
  private final int channels;
  private final int batch;
  private final int[] validRows;
  private final int[] validCols;

  public Padding(int tileRows, int tileCols, int[] validRows, int[] validCols) {
    this(tileRows, tileCols, 1, validRows, validCols);
  }

  public Padding(int tileRows, int tileCols, int channels, int[] validRows, int[] validCols) {
    this.tileRows = tileRows;
    this.tileCols = tileCols;
    this.channels = channels;
    this.batch = validRows.length;
    this.validRows = validRows;
    this.validCols = validCols;
  }

  /** Whether symbol {@code p} of lane {@code b} is padding. */
  public boolean isPadding(int p, int b) {
    int pixel = p / channels;
    return pixel / tileCols >= validRows[b] || pixel % tileCols >= validCols[b];
  }

  /** Which lanes of pixel {@code p} are padding, into {@code into} ({@code batch} flags). */
  public boolean[] at(int p, boolean[] into) {
    for (int b = 0; b < batch; b++) {
      into[b] = isPadding(p, b);
    }
    return into;
  }

  /** Every padding pixel of the batch, {@code [pixel][lane]}. */
  public boolean[] all() {
    int d = tileRows * tileCols * channels;
    boolean[] skip = new boolean[d * batch];
    for (int p = 0; p < d; p++) {
      for (int b = 0; b < batch; b++) {
        skip[p * batch + b] = isPadding(p, b);
      }
    }
    return skip;
  }

  /** Pixel {@code p} of lane {@code b} (padding) from the pixel it copies, in {@code symbols}. */
  public void fill(int p, int b, int[] symbols) {
    int pixel = p / channels;
    int r = Math.min(pixel / tileCols, validRows[b] - 1);
    int c = Math.min(pixel % tileCols, validCols[b] - 1);
    symbols[p * batch + b] = symbols[((r * tileCols + c) * channels + p % channels) * batch + b];
  }

  /** Fills every padding pixel of a batch's symbols, in raster order. */
  public void fillAll(int[] symbols) {
    int d = tileRows * tileCols * channels;
    for (int p = 0; p < d; p++) {
      for (int b = 0; b < batch; b++) {
        if (isPadding(p, b)) {
          fill(p, b, symbols);
        }
      }
    }
  }
}
