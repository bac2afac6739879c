package io.bbans.codec.model;

import io.bbans.codec.image.ImageSet;

/**
 * The causal context of the context decoder (model format 2): each pixel's distribution is the
 * latent decoder's prediction for it, refined by a small network shared by all positions that
 * also reads ten already-coded neighbours (from model format 6, 24 or 40: {@link #offsets}).
 * The decoder codes pixels in raster order, one pixel of every lane at a time, so each pixel's
 * neighbours are known when its turn comes.
 *
 * <p>Head input per pixel, in real units (the integer network holds them in Q{@link #IN_FRAC}):
 * <ul>
 *   <li>8-bit pixels: the neighbours divided by 256 (0 outside the image); the latent
 *       decoder's means, clamped to [-1024, 1280] and divided by 256, at those ten places and
 *       at the pixels to the right and below (0 outside the image: the latent says what the
 *       neighbours should be, so the head sees how they deviate from it); then this pixel's mean
 *       likewise and its log-scale clamped to [-5, 7];
 *   <li>bits: the same with the neighbours' values (0 or 1) and the logits clamped to
 *       [-30, 30] and divided by 4, this pixel's logit last.
 * </ul>
 * Head output: {@code o = relu(v W1 + b1) W2 + b2 + v S}, added to the latent decoder's clamped
 * output (the mean gets {@code 256 o_0}, the log-scale {@code o_1}, the logit {@code o_0}).
 */
public final class Context {
  /** Neighbours as (row offset, column offset): W, N, NW, NE, WW, NN, NWW, NNW, NNE, NEE. */
  static final int[][] OFFSETS = {
      {0, -1}, {-1, 0}, {-1, -1}, {-1, 1}, {0, -2}, {-2, 0}, {-1, -2}, {-2, -1}, {-2, 1},
      {-1, 2}};
  /** The neighbours of each window ({@link Architecture#window}), from 0 to the widest. */
  private static final int[][][] WINDOWS = new int[Architecture.MAX_WINDOW + 1][][];

  static {
    for (int w = Architecture.MIN_WINDOW; w <= Architecture.MAX_WINDOW; w++) {
      WINDOWS[w] = window(w);
    }
  }

  /**
   * The neighbours of a window of {@code w} (model format 6 for {@code w > 2}): the ten of
   * {@link #OFFSETS} first, in their order, so that a head of a narrower window is a head of
   * this one whose weights on the others are zero; then every other pixel that comes before in
   * raster order within {@code w} rows above and {@code w} columns either side, row by row
   * (for {@code w = 3}, 24 in all; for 4, 40).
   */
  private static int[][] window(int w) {
    if (w == Architecture.MIN_WINDOW) {
      return OFFSETS;
    }
    java.util.List<int[]> all = new java.util.ArrayList<>(java.util.Arrays.asList(OFFSETS));
    for (int dr = -w; dr <= 0; dr++) {
      for (int dc = -w; dc <= (dr < 0 ? w : -1); dc++) {
        int r = dr;
        int c = dc;
        if (all.stream().noneMatch(o -> o[0] == r && o[1] == c)) {
          all.add(new int[] {r, c});
        }
      }
    }
    return all.toArray(new int[0][]);
  }

  /** The neighbours the head of {@code a} reads, as (row offset, column offset). */
  static int[][] offsets(Architecture a) {
    return WINDOWS[a.window()];
  }
  /** Where the head reads the latent decoder's means or logits: the neighbours, E and S. */
  static final int[][] LATENT_OFFSETS = {
      {0, -1}, {-1, 0}, {-1, -1}, {-1, 1}, {0, -2}, {-2, 0}, {-1, -2}, {-2, -1}, {-2, 1},
      {-1, 2}, {0, 1}, {1, 0}};
  static final int LATENT_PLACES = LATENT_OFFSETS.length;
  /** Fraction bits of the integer head's inputs. */
  static final int IN_FRAC = 12;
  static final double MEAN_MIN = -1024;
  static final double MEAN_MAX = 1280;
  static final double LOGIT_LIMIT = 30;
  static final double PIXEL_SCALE = 256;
  static final double LOGIT_SCALE = 4;
  /** Mixture weight logits are clamped to [-16, 16]. */
  static final double WEIGHT_LIMIT = 16;

  private Context() {}

  /**
   * Colour (model format 4): each pixel's channels are coded one after another (R, G, B), each
   * a <em>subpixel</em> of the raster order, so a channel's head also reads the channels before
   * it at the same pixel, as PixelCNN++ conditions G on R and B on R and G. Besides the ten
   * neighbours of its own channel it reads, for each channel c (absolute, 0..2), c at this pixel
   * where c comes before it (0 otherwise), at W and at N; then two inputs that say which
   * channel it codes (G, B: 1 or 0); the latent decoder's means of its own channel at the
   * twelve places, and of each channel c at this pixel, W and N.
   */
  static final int[][] COLOUR_OFFSETS = {{0, 0}, {0, -1}, {-1, 0}};

  /**
   * Neighbour values a head reads per subpixel: those of its window in its own channel (10 for
   * the window of formats 2 to 5), and for colour 9 more.
   */
  static int neighbours(Architecture a) {
    int channels = a.channels();
    return offsets(a).length + (channels > 1 ? channels * COLOUR_OFFSETS.length : 0);
  }

  /** Inputs saying which channel a subpixel is: none for grayscale, G and B flags for colour. */
  static int indicators(int channels) {
    return channels - 1;
  }

  /** Whether channel flag {@code i} (0: G, 1: B) is set for subpixel {@code p}. */
  static boolean flagged(int p, int channels, int i) {
    return p % channels == i + 1;
  }

  /** Latent decoder outputs a head reads besides the subpixel's own: 12, or 21 for colour. */
  static int latentPlaces(int channels) {
    return LATENT_PLACES + (channels > 1 ? channels * COLOUR_OFFSETS.length : 0);
  }

  /**
   * Inputs of the head per subpixel: the neighbours, the channel flags, the latent decoder's
   * outputs at their places, then the subpixel's own.
   */
  static int inputs(Architecture a) {
    int c = a.channels();
    return neighbours(a) + indicators(c) + latentPlaces(c) + a.likelihood().outputsPerPixel();
  }

  /** For each neighbour and subpixel, the subpixel whose value the head reads, or -1. */
  static int[][] neighbourPlaces(Architecture a) {
    return places(a, offsets(a), true);
  }

  /**
   * Where each head input of {@code narrow} lies among those of {@code wide}, a window as wide
   * or wider (the same channels): its neighbours are the first of the wider window's
   * ({@link #window}), the rest follow them in the same order.
   */
  static int[] inputRowsIn(Architecture narrow, Architecture wide) {
    int extra = offsets(wide).length - offsets(narrow).length;
    int[] at = new int[inputs(narrow)];
    for (int i = 0; i < at.length; i++) {
      at[i] = i < offsets(narrow).length ? i : i + extra;
    }
    return at;
  }

  /**
   * Frames of a wider window's tile-context model cut down to those of {@code a} (the same
   * tiles; {@code frames} must be at least as wide).
   */
  public static ImageSet narrowed(Architecture a, ImageSet frames) {
    int cut = frames.rows() - frameRows(a);
    int rows = frameRows(a);
    int cols = frameCols(a);
    int channels = a.channels();
    if (cut < 0 || frames.cols() - cols != 2 * cut || frames.channels() != channels) {
      throw new IllegalArgumentException("frames of " + frames.rows() + "x" + frames.cols()
          + " are not a wider window's of " + rows + "x" + cols);
    }
    if (cut == 0) {
      return frames;
    }
    byte[] from = frames.pixels();
    byte[] to = new byte[frames.count() * rows * cols * channels];
    int rowFrom = frames.cols() * channels;
    int rowTo = cols * channels;
    for (int i = 0; i < frames.count(); i++) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(from, (i * frames.rows() + r + cut) * rowFrom + cut * channels, to,
            (i * rows + r) * rowTo, rowTo);
      }
    }
    return new ImageSet(frames.count(), rows, cols, channels, to);
  }

  /** Rows of a tile's frame above the tile: as many as the head's window reaches. */
  public static int frameTop(Architecture a) {
    return a.window();
  }

  /** Columns of a tile's frame on either side of the tile: as many as the window reaches. */
  public static int frameSide(Architecture a) {
    return a.window();
  }

  /**
   * A tile's frame (model format 5, {@link Architecture#tileContext}): the tile with the
   * {@code w} rows above it and {@code w} columns either side, where {@code w} is the head's
   * window ({@link Architecture#window}: 2, or 3 or 4 in format 6), {@code (rows + w) x (cols +
   * 2w)} pixels, row-major with channels interleaved, the tile's pixel (r, c) at frame pixel
   * (r + w, c + w). The head reads the frame where a neighbour falls outside the tile: the
   * {@code w} rows above (the tiles above-left, above and above-right) and the {@code w}
   * columns to the left. Those pixels are the
   * image's where the decoder already has them and 0 elsewhere (outside the image, or in a tile
   * it decodes later); the columns to the right of the tile, beside its own rows, are never
   * known and always 0. Frames are what a tile-context model trains on, one per tile.
   */
  public static int frameRows(Architecture a) {
    return a.rows() + frameTop(a);
  }

  /** The columns of a tile's frame ({@link #frameRows}). */
  public static int frameCols(Architecture a) {
    return a.cols() + 2 * frameSide(a);
  }

  /** Rows of the images the networks train on and the float network reads: tiles or frames. */
  static int inputRows(Architecture a) {
    return a.tileContext() ? frameRows(a) : a.rows();
  }

  /** Columns of those images ({@link #inputRows}). */
  static int inputCols(Architecture a) {
    return a.tileContext() ? frameCols(a) : a.cols();
  }

  /** Samples in a tile's frame. */
  public static int frameSamples(Architecture a) {
    return frameRows(a) * frameCols(a) * a.channels();
  }

  /**
   * For each neighbour and subpixel (as {@link #neighbourPlaces}), the frame sample the head
   * reads where the neighbour is outside the tile but inside the frame's known part (above the
   * tile, or left of it), else -1; null for a model without tile context.
   */
  static int[][] framePlaces(Architecture a) {
    if (!a.tileContext()) {
      return null;
    }
    int top = frameTop(a);
    int side = frameSide(a);
    return places(a, offsets(a), false,
        (rows, cols, p, offset) -> framePixel(rows, cols, p, offset, top, side));
  }

  /**
   * The frame pixel at {@code offset} from tile pixel {@code p} where that lies above the tile
   * (within the frame's width) or left of it (beside its rows), else -1, for a frame of
   * {@code top} rows above and {@code side} columns either side.
   */
  private static int framePixel(int rows, int cols, int p, int[] offset, int top, int side) {
    int r = p / cols + offset[0];
    int c = p % cols + offset[1];
    boolean above = r < 0 && r >= -top && c >= -side && c < cols + side;
    boolean left = r >= 0 && r < rows && c < 0 && c >= -side;
    return above || left ? (r + top) * (cols + 2 * side) + c + side : -1;
  }

  /**
   * The tiles' samples of images {@code from..from+batch} as ints, image-major: the images
   * themselves, or for a tile-context model, which reads frames ({@link Context#frameRows}),
   * each frame's tile.
   */
  static int[] tileValues(Architecture architecture, ImageSet images, int from, int batch) {
    if (!architecture.tileContext()) {
      return images.values(from, batch);
    }
    int rows = architecture.rows();
    int rowSamples = architecture.cols() * architecture.channels();
    int frameRow = Context.frameCols(architecture) * architecture.channels();
    int skip = frameTop(architecture) * frameRow + frameSide(architecture)
        * architecture.channels();
    int[] x = new int[batch * rows * rowSamples];
    for (int b = 0; b < batch; b++) {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < rowSamples; c++) {
          x[(b * rows + r) * rowSamples + c] = images.pixel(from + b, skip + r * frameRow + c);
        }
      }
    }
    return x;
  }

  /** A tile-context model's frames ({@link #frameRows}) as the images of their tiles. */
  public static ImageSet tiles(Architecture a, ImageSet frames) {
    int[] x = tileValues(a, frames, 0, frames.count());
    byte[] pixels = new byte[x.length];
    for (int i = 0; i < x.length; i++) {
      pixels[i] = (byte) x[i];
    }
    return new ImageSet(frames.count(), a.rows(), a.cols(), a.channels(), pixels);
  }

  /** The frames of images {@code from..from+batch} (image-major), or null without tile context. */
  static int[] frameValues(Architecture architecture, ImageSet images, int from, int batch) {
    return architecture.tileContext() ? images.values(from, batch) : null;
  }

  /** For each latent place and subpixel, the subpixel whose latent output it reads, or -1. */
  static int[][] latentPlaces(Architecture a) {
    return places(a, LATENT_OFFSETS, false);
  }

  /** Where a pixel's neighbour at an offset lies in some layout, or -1: {@link #place}. */
  private interface Locator {
    int at(int rows, int cols, int pixel, int[] offset);
  }

  /** {@link #places(Architecture, int[][], boolean, Locator)} within the tile. */
  private static int[][] places(Architecture a, int[][] offsets, boolean causal) {
    return places(a, offsets, causal, Context::place);
  }

  /**
   * The subpixels at {@code offsets} in the subpixel's own channel, then (colour) at
   * {@link #COLOUR_OFFSETS} in each channel, as {@code where} places them (in the tile, or in
   * its frame); -1 where it places none or, if {@code causal}, where not yet coded (this
   * pixel's own or later channels).
   */
  private static int[][] places(Architecture a, int[][] offsets, boolean causal,
      Locator where) {
    int rows = a.rows();
    int cols = a.cols();
    int channels = a.channels();
    int d = rows * cols * channels;
    int colour = channels > 1 ? channels : 0;
    int[][] table = new int[offsets.length + colour * COLOUR_OFFSETS.length][d];
    for (int p = 0; p < d; p++) {
      int pixel = p / channels;
      int ch = p % channels;
      for (int k = 0; k < offsets.length; k++) {
        int at = where.at(rows, cols, pixel, offsets[k]);
        table[k][p] = at < 0 ? -1 : at * channels + ch;
      }
      for (int c = 0; c < colour; c++) {
        for (int k = 0; k < COLOUR_OFFSETS.length; k++) {
          int[] o = COLOUR_OFFSETS[k];
          int at = where.at(rows, cols, pixel, o);
          boolean later = o[0] == 0 && o[1] == 0 && c >= ch;
          table[offsets.length + c * COLOUR_OFFSETS.length + k][p] =
              at < 0 || (causal && later) ? -1 : at * channels + c;
        }
      }
    }
    return table;
  }

  /** The pixel at {@code offset} from pixel {@code p}, or -1 outside the image. */
  private static int place(int rows, int cols, int p, int[] offset) {
    int r = p / cols + offset[0];
    int c = p % cols + offset[1];
    return r < 0 || r >= rows || c < 0 || c >= cols ? -1 : r * cols + c;
  }

  /** The scale from a neighbour's value to the head's real input. */
  static double neighbourScale(Likelihood likelihood) {
    return likelihood == Likelihood.PIXEL8 ? 1 / PIXEL_SCALE : 1;
  }

  static double clip(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
