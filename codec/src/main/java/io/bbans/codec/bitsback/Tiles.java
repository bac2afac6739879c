package io.bbans.codec.bitsback;

import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Architecture;
import io.bbans.codec.model.Context;

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

  /**
   * Whether a shard codes {@code images} with {@code a} as they are rather than as tiles: all
   * of the model's size, and grayscale (colour is always coded as tiles), written as shard
   * versions 1 and 2 as they always were.
   */
  public static boolean ownSize(Architecture a, ImageSet images) {
    return images.uniform() && images.rows() == a.rows() && images.cols() == a.cols()
        && a.channels() == 1;
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
    int[] ids = new int[batch];
    for (int b = 0; b < batch; b++) {
      ids[b] = Math.toIntExact(from + b);
    }
    return new Batch(ids, null);
  }

  /**
   * The order in which the chain codes the tiles, as batches of at most {@code lanes}: for a
   * model without tile context, tile after tile in the order of {@link #batch}; with it
   * ({@link #contextSchedule}), so that the decoder meets a tile's neighbours above and to the
   * left in earlier batches.
   */
  public Schedule schedule(int lanes, boolean tileContext) {
    return tileContext ? contextSchedule(lanes) : new Schedule(lanes);
  }

  /**
   * The schedule of a tile-context model. The decoder runs the batches last-in-first-out, so
   * they are built in decoding order and coded in reverse. Decoding order: every image's tiles
   * by wavefront, tile (row r, column c) in wave {@code c + 2r}, so that the tiles left,
   * above-left, above and above-right of it come in earlier waves; within a wave image after
   * image, and within an image down its rows. A batch ends when it holds {@code lanes} tiles or
   * when the next tile's neighbour is in it, so a tile's neighbours are always in batches the
   * decoder has finished ({@link Batch#frames}). Each image's tiles and sizes decide it.
   */
  private Schedule contextSchedule(int lanes) {
    int n = Math.toIntExact(count());
    long[] keys = new long[n];
    int k = 0;
    for (int i = 0; i < rows.length; i++) {
      int down = across(rows[i], tileRows);
      int along = across(cols[i], tileCols);
      for (int r = 0; r < down; r++) {
        for (int c = 0; c < along; c++) {
          long wave = c + 2L * r;
          keys[k++] = (wave << 46) | ((long) i << 15) | r;
        }
      }
    }
    java.util.Arrays.sort(keys);
    int[] decodeBatch = new int[n];
    java.util.Arrays.fill(decodeBatch, -1);
    int[] order = new int[n];
    int[] starts = new int[n + 1];
    int batches = 0;
    int inBatch = 0;
    for (int j = 0; j < n; j++) {
      int i = (int) ((keys[j] >>> 15) & 0x7FFFFFFFL);
      int r = (int) (keys[j] & 0x7FFF);
      int c = (int) ((keys[j] >>> 46) - 2L * r);
      int id = Math.toIntExact(firstTile[i] + (long) r * across(cols[i], tileCols) + c);
      boolean close = inBatch == lanes;
      for (int[] o : NEIGHBOUR_TILES) {
        int t = tileAt(i, r + o[0], c + o[1]);
        close |= t >= 0 && decodeBatch[t] == batches;
      }
      if (close && inBatch > 0) {
        starts[++batches] = j;
        inBatch = 0;
      }
      decodeBatch[id] = batches;
      order[j] = id;
      inBatch++;
    }
    if (n > 0) {
      starts[++batches] = n;
    }
    // coded in reverse: encode batch e is decode batch (batches - 1 - e)
    int[] sequence = new int[n];
    int[] encodeStarts = new int[batches + 1];
    int at = 0;
    for (int e = 0; e < batches; e++) {
      int d = batches - 1 - e;
      encodeStarts[e] = at;
      for (int j = starts[d]; j < starts[d + 1]; j++) {
        sequence[at++] = order[j];
      }
    }
    encodeStarts[batches] = n;
    return new Schedule(sequence, encodeStarts, decodeBatch);
  }

  /** The tiles whose pixels a tile's frame reads: left, above-left, above, above-right. */
  private static final int[][] NEIGHBOUR_TILES = {{0, -1}, {-1, -1}, {-1, 0}, {-1, 1}};

  /** The index of image {@code i}'s tile at tile row {@code r}, column {@code c}, or -1. */
  private int tileAt(int i, int r, int c) {
    int along = across(cols[i], tileCols);
    if (r < 0 || c < 0 || c >= along || r >= across(rows[i], tileRows)) {
      return -1;
    }
    return Math.toIntExact(firstTile[i] + (long) r * along + c);
  }

  /**
   * The chain's batches in coding order (the decoder takes them last first), and how many
   * images each finishes either way.
   */
  public final class Schedule {
    /** Tile ids in coding order; null: tile t is t-th. */
    private final int[] sequence;
    private final int[] starts;
    private final int lanes;
    /** For a tile-context schedule, each tile's batch in decoding order; else null. */
    private final int[] decodeBatch;
    /** Images finished when coding batch e ends, and when decoding it ends. */
    private final int[] encodeDone;
    private final int[] decodeDone;

    private Schedule(int lanes) {
      this.sequence = null;
      this.starts = null;
      this.lanes = lanes;
      this.decodeBatch = null;
      int b = batches();
      encodeDone = new int[b];
      decodeDone = new int[b];
      for (int e = 0; e < b; e++) {
        long from = (long) e * lanes;
        encodeDone[e] = imagesBefore(Math.min(count(), from + lanes));
        decodeDone[e] = imagesFrom(from);
      }
    }

    private Schedule(int[] sequence, int[] starts, int[] decodeBatch) {
      this.sequence = sequence;
      this.starts = starts;
      this.lanes = 0;
      this.decodeBatch = decodeBatch;
      int b = batches();
      // an image is coded once its last coded tile is, decoded once its first coded tile is
      int[] lastCoded = new int[rows.length];
      int[] firstCoded = new int[rows.length];
      java.util.Arrays.fill(firstCoded, Integer.MAX_VALUE);
      for (int e = 0; e < b; e++) {
        for (int j = starts[e]; j < starts[e + 1]; j++) {
          int i = imagesBefore(sequence[j]); // the images before the tile's: its own index
          lastCoded[i] = Math.max(lastCoded[i], e);
          firstCoded[i] = Math.min(firstCoded[i], e);
        }
      }
      int[] encodeAt = new int[b + 1];
      int[] decodeAt = new int[b + 1];
      for (int i = 0; i < rows.length; i++) {
        if (firstCoded[i] != Integer.MAX_VALUE) {
          encodeAt[lastCoded[i]]++;
          decodeAt[firstCoded[i]]++;
        }
      }
      encodeDone = new int[b];
      decodeDone = new int[b];
      int sum = imagesWithoutTiles();
      for (int e = 0; e < b; e++) {
        sum += encodeAt[e];
        encodeDone[e] = sum;
      }
      sum = imagesWithoutTiles();
      for (int e = b - 1; e >= 0; e--) {
        sum += decodeAt[e];
        decodeDone[e] = sum;
      }
    }

    /** The number of batches. */
    public int batches() {
      return sequence == null ? Math.toIntExact((count() + lanes - 1) / lanes)
          : starts.length - 1;
    }

    /** Batch {@code e} in coding order. */
    public Batch batch(int e) {
      if (sequence == null) {
        long from = (long) e * lanes;
        return Tiles.this.batch(from, (int) Math.min(lanes, count() - from));
      }
      return new Batch(java.util.Arrays.copyOfRange(sequence, starts[e], starts[e + 1]), this);
    }

    /** Images whose every tile is coded once batch {@code e} is (coding from batch 0 up). */
    public int imagesCoded(int e) {
      return encodeDone[e];
    }

    /** Images whose every tile is decoded once batch {@code e} is (decoding from the last). */
    public int imagesDecoded(int e) {
      return decodeDone[e];
    }
  }

  /** Images of no pixels (no tiles), finished from the start. */
  private int imagesWithoutTiles() {
    int none = 0;
    for (int i = 0; i < rows.length; i++) {
      none += firstTile[i + 1] == firstTile[i] ? 1 : 0;
    }
    return none;
  }

  /** A batch of tiles: where each lies in its image and which of its pixels are padding. */
  public final class Batch {
    private final int batch;
    private final int[] ids;
    private final Schedule schedule;
    private final int[] image;
    private final int[] top;
    private final int[] left;
    private final int[] validRows;
    private final int[] validCols;
    private final boolean full;

    private Batch(int[] ids, Schedule schedule) {
      this.batch = ids.length;
      this.ids = ids;
      this.schedule = schedule;
      image = new int[batch];
      top = new int[batch];
      left = new int[batch];
      validRows = new int[batch];
      validCols = new int[batch];
      boolean all = true;
      for (int b = 0; b < batch; b++) {
        int i = imagesBefore(ids[b]); // the images before the tile's: its own index
        int k = (int) (ids[b] - firstTile[i]);
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

    /** The number of tiles, one per lane. */
    public int size() {
      return batch;
    }

    /** The tiles, by index over all the images' tiles ({@link #batch}), lane by lane. */
    public int[] ids() {
      return ids.clone();
    }

    /**
     * The batch's frames for a tile-context model, lane-major ({@code [sample][lane]}): each
     * tile's {@code frameTop} rows above and {@code frameSide} columns to the left (and right)
     * as {@link #frame} takes them from {@code pixels} (all the images, one after another), a
     * neighbouring tile's pixels only where the decoder finished that tile in an earlier batch,
     * 0 elsewhere.
     */
    public int[] frames(byte[] pixels, int frameTop, int frameSide) {
      int fr = tileRows + frameTop;
      int fc = tileCols + 2 * frameSide;
      int[] frames = new int[fr * fc * channels * batch];
      int[] one = new int[fr * fc * channels];
      for (int b = 0; b < batch; b++) {
        int i = image[b];
        int r = top[b] / tileRows;
        int c = left[b] / tileCols;
        int own = schedule.decodeBatch[ids[b]];
        boolean[] known = new boolean[NEIGHBOUR_TILES.length];
        for (int k = 0; k < known.length; k++) {
          int t = tileAt(i, r + NEIGHBOUR_TILES[k][0], c + NEIGHBOUR_TILES[k][1]);
          known[k] = t >= 0 && schedule.decodeBatch[t] < own;
        }
        frame(pixels, offsets[i], rows[i], cols[i], channels, top[b], left[b], tileRows,
            tileCols, frameTop, frameSide, known, one);
        for (int s = 0; s < one.length; s++) {
          frames[s * batch + b] = one[s];
        }
      }
      return frames;
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

  /**
   * The frame of the tile at ({@code top}, {@code left}) of an image ({@code h x w},
   * {@code channels} samples a pixel, starting at {@code offset} of {@code pixels}) into
   * {@code out}: {@code (tileRows + frameTop) x (tileCols + 2 frameSide)} pixels, the tile's
   * own at rows {@code frameTop..}, columns {@code frameSide..}, the rows above it and the
   * columns left of it from the image where {@code known} says their tile is known (left,
   * above-left, above, above-right, as {@link #NEIGHBOUR_TILES}) and inside the image, 0
   * elsewhere, the columns right of the tile's rows 0.
   */
  static void frame(byte[] pixels, long offset, int h, int w, int channels, int top, int left,
      int tileRows, int tileCols, int frameTop, int frameSide, boolean[] known, int[] out) {
    int fc = tileCols + 2 * frameSide;
    java.util.Arrays.fill(out, 0);
    for (int fr = 0; fr < tileRows + frameTop; fr++) {
      int y = top + fr - frameTop;
      for (int f = 0; f < fc; f++) {
        int x = left + f - frameSide;
        boolean in = y >= 0 && y < h && x >= 0 && x < w;
        boolean ok;
        if (y < top) {
          ok = x < left ? known[1] : x < left + tileCols ? known[2] : known[3];
        } else {
          ok = x < left ? known[0] : x < left + tileCols; // the tile itself, for training
        }
        if (in && ok) {
          for (int ch = 0; ch < channels; ch++) {
            out[(fr * fc + f) * channels + ch] =
                pixels[(int) (offset + ((long) y * w + x) * channels + ch)] & 0xFF;
          }
        }
      }
    }
  }

  /** {@link #framedTiles(ImageSet, int, int, int, int)} with model {@code a}'s tiles and frame. */
  public static ImageSet framedTiles(ImageSet images, Architecture a) {
    return framedTiles(images, a.rows(), a.cols(), Context.frameTop(a), Context.frameSide(a));
  }

  /**
   * The frames of every whole tile of {@code images} that a tile-context model trains on: each
   * as {@link #frame} takes it with every neighbouring tile known (as the chain's schedule
   * nearly always has them), tile after tile in raster order.
   */
  public static ImageSet framedTiles(ImageSet images, int tileRows, int tileCols, int frameTop,
      int frameSide) {
    int channels = images.channels();
    int fr = tileRows + frameTop;
    int fc = tileCols + 2 * frameSide;
    int[] one = new int[fr * fc * channels];
    boolean[] known = {true, true, true, true};
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int n = 0;
    for (int i = 0; i < images.count(); i++) {
      int h = images.rows(i);
      int w = images.cols(i);
      for (int top = 0; top + tileRows <= h; top += tileRows) {
        for (int left = 0; left + tileCols <= w; left += tileCols) {
          frame(images.pixels(), images.offset(i), h, w, channels, top, left, tileRows,
              tileCols, frameTop, frameSide, known, one);
          for (int v : one) {
            out.write(v);
          }
          n++;
        }
      }
    }
    return new ImageSet(n, fr, fc, channels, out.toByteArray());
  }
}
