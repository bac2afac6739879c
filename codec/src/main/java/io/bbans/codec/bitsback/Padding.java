package io.bbans.codec.bitsback;

/**
 * The padding of a batch of tiles ({@link Tiles}): on lane {@code b} the pixels outside the
 * top-left {@code validRows[b] x validCols[b]}, each a copy of the nearest pixel of the tile's
 * own part, {@code (min(r, validRows - 1), min(c, validCols - 1))}. Both sides know them, so
 * they are never coded: skipped by the distributions, and filled in on pop.
 */
public final class Padding {
  private final int tileRows;
  private final int tileCols;
  private final int batch;
  private final int[] validRows;
  private final int[] validCols;

  public Padding(int tileRows, int tileCols, int[] validRows, int[] validCols) {
    this.tileRows = tileRows;
    this.tileCols = tileCols;
    this.batch = validRows.length;
    this.validRows = validRows;
    this.validCols = validCols;
  }

  /** Whether pixel {@code p} of lane {@code b} is padding. */
  public boolean isPadding(int p, int b) {
    return p / tileCols >= validRows[b] || p % tileCols >= validCols[b];
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
    int d = tileRows * tileCols;
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
    int r = Math.min(p / tileCols, validRows[b] - 1);
    int c = Math.min(p % tileCols, validCols[b] - 1);
    symbols[p * batch + b] = symbols[(r * tileCols + c) * batch + b];
  }

  /** Fills every padding pixel of a batch's symbols, in raster order. */
  public void fillAll(int[] symbols) {
    int d = tileRows * tileCols;
    for (int p = 0; p < d; p++) {
      for (int b = 0; b < batch; b++) {
        if (isPadding(p, b)) {
          fill(p, b, symbols);
        }
      }
    }
  }
}
