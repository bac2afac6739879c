package io.bbans.codec.bitsback;

import io.bbans.codec.ans.Codec;
import io.bbans.codec.ans.Distribution;
import io.bbans.codec.ans.FixedPoint;
import io.bbans.codec.ans.Message;
import io.bbans.codec.ans.Uniform;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Architecture;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.PixelOutputs;
import io.bbans.codec.model.QuantizedVae;

/**
 * Each tile's scale (shard version 5): p(x|z) of each tile recalibrated by a setting the
 * encoder picks for it and codes after it, so the decoder reads it before the tile's pixels.
 * A setting is three small integers, {@code i | j << 4 | k << 6}:
 * <ul>
 *   <li>{@code i} (0..15) moves every logistic's log-scale by {@code (i - 12) / 8}, -1.5 to
 *       +0.375: the tile's distributions widen or narrow;
 *   <li>{@code j} (0..3) scales how far each log-scale lies from 1 by {@code 1 - 3j / 16}:
 *       the spread between the tile's sure and unsure pixels shrinks;
 *   <li>{@code k} (0..3, mixtures only) multiplies the weight logits by 1, 1.5, 2 or 3: the
 *       mixture picks its components more sharply.
 * </ul>
 * {@link #bits} bits a tile: 8 for a mixture, 6 for one logistic.
 *
 * <p>Why: a model trained on many images is about right on average and wrong on any one of
 * them. Smooth photographs are coded with scales too wide (on issue 15's set the best single
 * offset for the bundled photograph model is about -0.7), busy ones too narrow; JPEG XL learns
 * its contexts per image. Eight bits a tile of 32x32 cost 0.008 bits a pixel, and the tiles'
 * settings take 8% off that set. The latent could carry this in principle, but a model
 * with a strong context head hardly uses its latent (0.006 bits a pixel of KL there).
 *
 * <p>The encoder's choice is search, not model: it costs a fifth of the tile's pixels
 * (padding skipped) under 15 settings with the exact integer frequencies the chain would use,
 * summing their information in fixed point ({@link #log2Q16}): the offset first, at -1, -0.5
 * and 0, then two steps and one step either side of the best; then each spread, then each
 * sharpness; then the offset one step either side again. It is integer arithmetic throughout,
 * so every JVM makes the same choice and writes the same shard; the decoder only reads it.
 *
 * <p>Shard version 6 ({@link Kind#FEEDBACK}, what compress writes) adds two fields to each
 * setting, {@code f | g << 2} in bits 8..11: the strengths of each pixel's error feedback
 * ({@link Feedback}), searched after the sharpness, 4 bits a tile more.
 */
public final class TileScale {
  /** What each tile carries besides its pixels, by shard version. */
  public enum Kind {
    /** Nothing (shard version 3). */
    NONE,
    /** Its setting of offset, spread and sharpness (shard version 5). */
    SCALE,
    /**
     * Its setting with two more fields, the strengths of each pixel's error feedback
     * ({@link Feedback}; shard version 6).
     */
    FEEDBACK;

    /** What compress writes where a model's tiles carry settings. */
    public static final Kind NEWEST = FEEDBACK;
  }

  /** Offsets of the log-scale: {@code i} in a setting's low 4 bits. */
  static final int OFFSETS = 16;
  /** Spreads and sharpnesses: {@code j} and {@code k}, 2 bits each. */
  static final int SPREADS = 4;
  static final int SHARPNESSES = 4;
  /** Where a setting's 2-bit fields lie, above the offset's 4 bits. */
  private static final int SPREAD_AT = 4;
  private static final int SHARPNESS_AT = 6;
  private static final int SCALE_FEEDBACK_AT = 8;
  private static final int MEAN_FEEDBACK_AT = 10;
  /** The offset of index {@code i} is {@code (i - ZERO) / 8}. */
  static final int ZERO = 12;
  private static final int STEP_Q16 = FixedPoint.Q16_ONE / 8;
  /** The log-scale the spread is taken about: 1. */
  private static final int SPREAD_CENTRE_Q16 = FixedPoint.Q16_ONE;
  /** Weight logits times {@code SHARPNESS[k] / 2}. */
  private static final int[] SHARPNESS = {2, 3, 4, 6};
  private static final int[] FIRST = {4, 8, ZERO};
  /**
   * The search costs every fifth sample of a tile in raster order (a diagonal pattern that
   * meets every row, column and channel of a 32x32 tile): on issue 15's set it picks settings
   * within 0.2% of those every sample picks (2.4933 against 2.4887 bits/px), and encodes 35%
   * faster (0.42 against 0.31 MP/s; 0.48 with no settings).
   */
  static final int SEARCH_STRIDE = 5;
  private static final int[] REFINE = {2, 1};
  private static final int LOG_TABLE_BITS = 10;
  /** log2(1 + k / 2^10) in Q16, from {@link StrictMath}. */
  private static final int[] LOG2 = log2Table();

  private TileScale() {}

  /**
   * The fewest samples a tile must have to carry a setting: its 8 bits then cost at most 1/32
   * bit a sample (a 32x32 tile, 1/128). On the 8x8 tiles of the test models they would cost
   * 1/8 bit a sample, more than the setting saves there.
   */
  public static final int MIN_SAMPLES = 256;

  /**
   * Whether {@code a}'s tiles carry a scale: 8-bit logistics refined by a context head, on
   * tiles of at least {@link #MIN_SAMPLES} samples.
   */
  public static boolean applies(Architecture a) {
    return a.likelihood() == Likelihood.PIXEL8 && a.hasContext() && a.dims() >= MIN_SAMPLES;
  }

  /**
   * Whether a shard of {@code images} coded with {@code a} carries the tiles' scales: where the
   * model {@link #applies} and the images are coded as tiles (any size but the model's own, or
   * colour), as {@code ShardCodec} writes them.
   */
  public static boolean used(Architecture a, ImageSet images) {
    return applies(a) && !Tiles.ownSize(a, images);
  }

  /**
   * What each tile of a shard of {@code images} coded with {@code a} carries, as compress
   * writes it: {@link Kind#NEWEST} where {@link #used}, else nothing.
   */
  public static Kind kind(Architecture a, ImageSet images) {
    return used(a, images) ? Kind.NEWEST : Kind.NONE;
  }

  /**
   * Bits of a tile's setting: 4 + 2, 2 more for a mixture's sharpness, and 4 more for the
   * feedback's two strengths.
   */
  public static int bits(Architecture a, Kind kind) {
    return 6 + (a.outputs().components() > 1 ? 2 : 0) + (kind == Kind.FEEDBACK ? 4 : 0);
  }

  /** The setting of offset {@code i}, spread {@code j} and sharpness {@code k}. */
  static int setting(int i, int j, int k) {
    return i | j << SPREAD_AT | k << SHARPNESS_AT;
  }

  /**
   * The setting of offset {@code i}, spread {@code j}, sharpness {@code k}, and the feedback's
   * scale strength {@code f} and mean strength {@code g} ({@link Feedback}).
   */
  static int setting(int i, int j, int k, int f, int g) {
    return setting(i, j, k) | f << SCALE_FEEDBACK_AT | g << MEAN_FEEDBACK_AT;
  }

  /**
   * Setting {@code s} as coded in {@link #bits} bits: one logistic has no sharpness, so its
   * feedback strengths move down into bits 6..9.
   */
  static int packed(Architecture a, int s) {
    return a.outputs().components() > 1 ? s
        : (s & (1 << SHARPNESS_AT) - 1) | (s >> SCALE_FEEDBACK_AT) << SHARPNESS_AT;
  }

  /** The setting coded as {@code v} ({@link #packed}). */
  static int unpacked(Architecture a, int v) {
    return a.outputs().components() > 1 ? v
        : (v & (1 << SHARPNESS_AT) - 1) | (v >> SHARPNESS_AT) << SCALE_FEEDBACK_AT;
  }

  /** Setting {@code s}'s feedback scale strength index {@code f}. */
  static int scaleFeedbackIndex(int s) {
    return field(s, SCALE_FEEDBACK_AT);
  }

  /** Setting {@code s}'s feedback mean strength index {@code g}. */
  static int meanFeedbackIndex(int s) {
    return field(s, MEAN_FEEDBACK_AT);
  }

  /** Setting {@code s}'s offset index {@code i}. */
  private static int offsetIndex(int s) {
    return s & OFFSETS - 1;
  }

  /** Setting {@code s}'s spread index {@code j}. */
  private static int spreadIndex(int s) {
    return field(s, SPREAD_AT);
  }

  /** Setting {@code s}'s sharpness index {@code k}. */
  private static int sharpnessIndex(int s) {
    return field(s, SHARPNESS_AT);
  }

  /** Setting {@code s}'s 2-bit field at bit {@code at}. */
  private static int field(int s, int at) {
    return (s >> at) & 3;
  }

  /** Setting {@code s} with its 2-bit field at bit {@code at} set to {@code v}. */
  private static int withField(int s, int at, int v) {
    return (s & ~(3 << at)) | v << at;
  }

  /** The setting that changes nothing. */
  static final int NONE = setting(ZERO, 0, 0);

  /**
   * p(x|z) of a batch of tiles ({@link VaeCodec#likelihood}) with each tile's setting coded
   * after its pixels: push picks each lane's setting, pushes the pixels under it, then the
   * settings; pop reads the settings, then the pixels.
   */
  static Codec<int[]> likelihood(QuantizedVae.PixelParameters params, Padding padding,
      Kind kind) {
    Architecture a = params.architecture();
    if (kind == Kind.NONE || !applies(a) || !params.causal()) {
      throw new IllegalArgumentException("a tile scale needs 8-bit pixels, a context head and"
          + " tiles of " + MIN_SAMPLES + " samples");
    }
    int d = a.dims();
    int batch = params.batch();
    int n = a.parametersPerPixel();
    Uniform settings = new Uniform(bits(a, kind), batch, batch);
    return new Codec<>() {
      @Override
      public void push(Message m, int[] symbols) {
        int[][][] rows = rows(params, symbols);
        Feedback fb = kind == Kind.FEEDBACK ? Feedback.of(a, rows, symbols, padding) : null;
        int[] chosen = choose(a, rows, symbols, padding, batch, fb);
        int[][] moved = new int[n][batch];
        new AutoRegressive(d, batch, (s, known) -> VaeCodec.distribution(a,
            moved(a, rows[s], chosen, moved, fb, s), batch), padding).push(m, symbols);
        int[] coded = new int[batch];
        for (int b = 0; b < batch; b++) {
          coded[b] = packed(a, chosen[b]);
        }
        settings.push(m, coded);
      }

      @Override
      public int[] pop(Message m) {
        int[] chosen = settings.pop(m);
        for (int b = 0; b < batch; b++) {
          chosen[b] = unpacked(a, chosen[b]);
        }
        int[][] row = new int[n][batch];
        Feedback fb = kind == Kind.FEEDBACK ? new Feedback(a, batch, padding) : null;
        return new AutoRegressive(d, batch, (s, known) -> {
          params.at(s, known, row);
          if (fb != null) {
            if (s > 0) {
              fb.coded(s - 1, known);
            }
            fb.predicted(s, row);
          }
          return VaeCodec.distribution(a, moved(a, row, chosen, row, fb, s), batch);
        }, padding).pop(m);
      }
    };
  }

  /**
   * The setting the encoder would pick for each of {@code images} (tiles of the model's size,
   * or a tile-context model's frames, whose tiles it codes with their borders), each latent
   * drawn from its posterior as the coder draws it (a message seeded with {@code seed}), in
   * batches of {@code batch}: what a trainer trains each tile under.
   */
  public static int[] settings(QuantizedVae vae, ImageSet images, int batch, long seed) {
    return settings(vae, images, batch, seed, null, null);
  }

  /**
   * As {@link #settings(QuantizedVae, ImageSet, int, long)}; with {@code logScaleMoves} and
   * {@code meanMoves} not null, the settings of shard version 6 (error feedback), and into those
   * ({@code [image * dims + sample]}, real units) how far each sample's feedback moves its
   * log-scales and means under its image's setting, as the coder moves them.
   */
  public static int[] settings(QuantizedVae vae, ImageSet images, int batch, long seed,
      float[] logScaleMoves, float[] meanMoves) {
    Architecture a = vae.architecture();
    if (!applies(a)) {
      throw new IllegalArgumentException(a + " cannot code tiles with their settings");
    }
    ImageSet tiles = a.tileContext() ? io.bbans.codec.model.Context.tiles(a, images) : images;
    int[] out = new int[images.count()];
    for (int from = 0; from < images.count(); from += batch) {
      int lanes = Math.min(batch, images.count() - from);
      int[] x = Chain.symbols(tiles, from, lanes, false);
      int[] frames = a.tileContext() ? Chain.symbols(images, from, lanes, false) : null;
      int[] buckets = VaeCodec.posterior(vae, x, lanes).pop(Message.seeded(lanes, seed + from));
      int[][][] rows = rows(vae.likelihood(buckets, lanes, frames), x);
      Feedback fb = logScaleMoves != null ? Feedback.of(a, rows, x, null) : null;
      int[] chosen = choose(a, rows, x, null, lanes, fb);
      System.arraycopy(chosen, 0, out, from, lanes);
      if (fb != null) {
        int d = a.dims();
        for (int p = 0; p < d; p++) {
          for (int b = 0; b < lanes; b++) {
            int at = (from + b) * d + p;
            logScaleMoves[at] = (float) fb.scaleMove(p, b, chosen[b]) / FixedPoint.Q16_ONE;
            meanMoves[at] = (float) fb.meanMove(p, b, chosen[b]) / FixedPoint.Q16_ONE;
          }
        }
      }
    }
    return out;
  }

  /** Setting {@code s}'s log-scale offset, in real units ({@code i}: {@code (i - 12) / 8}). */
  public static double offset(int s) {
    return (offsetIndex(s) - ZERO) / 8.0;
  }

  /** Setting {@code s}'s spread {@code 3j / 16}: how much of (log-scale - 1) it takes off. */
  public static double spread(int s) {
    return 3 * spreadIndex(s) / 16.0;
  }

  /** Setting {@code s}'s sharpness: what it multiplies the mixture's weight logits by. */
  public static double sharpness(int s) {
    return SHARPNESS[sharpnessIndex(s)] / 2.0;
  }

  /**
   * Every pixel's parameters of a batch of tiles, {@code [pixel][parameter][lane]}, given its
   * symbols {@code x} (all known: the encoder's side, or a measure of the code length).
   */
  static int[][][] rows(QuantizedVae.PixelParameters params, int[] x) {
    Architecture a = params.architecture();
    int[][][] rows = new int[a.dims()][a.parametersPerPixel()][params.batch()];
    for (int p = 0; p < rows.length; p++) {
      params.at(p, x, rows[p]);
    }
    return rows;
  }

  /**
   * What each lane's tile costs, in bits, with the setting the encoder would pick for it and
   * its {@link #bits}: {@code rows} are the tile's parameters {@code [pixel][parameter][lane]},
   * {@code x} its symbols, {@code padding} not counted ({@link CodeLength}).
   */
  static double[] informationBits(Architecture a, int[][][] rows, int[] x, Padding padding,
      int batch, Kind kind) {
    Feedback fb = kind == Kind.FEEDBACK ? Feedback.of(a, rows, x, padding) : null;
    int[] chosen = choose(a, rows, x, padding, batch, fb);
    double[] bits = new double[batch];
    java.util.Arrays.fill(bits, bits(a, kind));
    int[][] moved = new int[rows[0].length][batch];
    for (int p = 0; p < rows.length; p++) {
      Distribution dist = VaeCodec.distribution(a, moved(a, rows[p], chosen, moved, fb, p),
          batch);
      for (int b = 0; b < batch; b++) {
        if (padding == null || !padding.isPadding(p, b)) {
          bits[b] += dist.informationBits(b, x[p * batch + b]);
        }
      }
    }
    return bits;
  }

  /**
   * A pixel's parameters {@code row} ({@code [parameter][lane]}) under lane b's setting
   * {@code chosen[b]}, into {@code into} (which may be {@code row}).
   */
  static int[][] moved(Architecture a, int[][] row, int[] chosen, int[][] into) {
    return moved(a, row, chosen, into, null, 0);
  }

  /**
   * As the above, then moved by sample {@code p}'s {@link Feedback} {@code fb} at the
   * strengths of each lane's setting (null: none).
   */
  static int[][] moved(Architecture a, int[][] row, int[] chosen, int[][] into, Feedback fb,
      int p) {
    PixelOutputs outs = a.outputs();
    for (int j = 0; j < row.length; j++) {
      if (into[j] != row[j]) {
        System.arraycopy(row[j], 0, into[j], 0, row[j].length);
      }
    }
    int k = outs.components();
    for (int c = 0; c < k; c++) {
      int[] logScale = into[outs.logScale(c)];
      int[] weight = k > 1 ? into[outs.weight(c)] : null;
      for (int b = 0; b < chosen.length; b++) {
        int setting = chosen[b];
        int offset = (offsetIndex(setting) - ZERO) * STEP_Q16;
        int spread = spreadIndex(setting);
        // log-scales are clamped to [-5, 7] and weight logits to [-16, 16] (Q16): every
        // product stays far inside int; the shifts are arithmetic, the same on every JVM
        int from = logScale[b] - SPREAD_CENTRE_Q16;
        logScale[b] += offset - ((from * 3 * spread) >> 4);
        if (weight != null) {
          weight[b] = (weight[b] * SHARPNESS[sharpnessIndex(setting)]) >> 1;
        }
      }
    }
    if (fb != null) {
      fb.apply(p, into, chosen);
    }
    return into;
  }

  /**
   * Each lane's setting: the one of those tried under which its pixels' sample costs least
   * ({@link #cost}; ties to the one tried first). The offset first, at -1, -0.5 and 0, then 2
   * and 1 steps either side of the best; then each spread; then each sharpness (mixtures);
   * with feedback ({@code fb} not null: each setting starts at strengths 3/4 and 5/16, the
   * most common), each other scale strength, then each other mean strength; then the offset
   * one step either side again.
   */
  static int[] choose(Architecture a, int[][][] rows, int[] symbols, Padding padding,
      int batch, Feedback fb) {
    int[] best = new int[batch];
    long[] bestCost = new long[batch];
    int f0 = fb == null ? 0 : 2;
    int g0 = fb == null ? 0 : 1;
    for (int f = 0; f < FIRST.length; f++) {
      int[] at = new int[batch];
      java.util.Arrays.fill(at, setting(FIRST[f], 0, 0, f0, g0));
      keepCheaper(at, cost(a, rows, symbols, padding, at, fb), best, bestCost, f == 0);
    }
    for (int step : REFINE) {
      refineOffset(a, rows, symbols, padding, step, best, bestCost, fb);
    }
    tryEach(a, rows, symbols, padding, best, bestCost, fb, SPREAD_AT, SPREADS, 0);
    if (a.outputs().components() > 1) {
      tryEach(a, rows, symbols, padding, best, bestCost, fb, SHARPNESS_AT, SHARPNESSES, 0);
    }
    if (fb != null) {
      tryEach(a, rows, symbols, padding, best, bestCost, fb, SCALE_FEEDBACK_AT,
          Feedback.SCALE_STRENGTH.length, f0);
      tryEach(a, rows, symbols, padding, best, bestCost, fb, MEAN_FEEDBACK_AT,
          Feedback.MEAN_STRENGTH.length, g0);
    }
    refineOffset(a, rows, symbols, padding, 1, best, bestCost, fb);
    return best;
  }

  /**
   * Tries each value but {@code skip} of the 2-bit field at {@code shift} of every lane's best
   * setting, keeping what is cheaper.
   */
  private static void tryEach(Architecture a, int[][][] rows, int[] symbols, Padding padding,
      int[] best, long[] bestCost, Feedback fb, int shift, int values, int skip) {
    int batch = best.length;
    for (int v = 0; v < values; v++) {
      if (v == skip) {
        continue;
      }
      int[] at = new int[batch];
      for (int b = 0; b < batch; b++) {
        at[b] = withField(best[b], shift, v);
      }
      keepCheaper(at, cost(a, rows, symbols, padding, at, fb), best, bestCost, false);
    }
  }

  /** Tries each lane's offset {@code step} either side of its best, keeping what is cheaper. */
  private static void refineOffset(Architecture a, int[][][] rows, int[] symbols,
      Padding padding, int step, int[] best, long[] bestCost, Feedback fb) {
    int batch = best.length;
    int[] lower = new int[batch];
    int[] upper = new int[batch];
    for (int b = 0; b < batch; b++) {
      int i = offsetIndex(best[b]);
      lower[b] = (best[b] & ~(OFFSETS - 1)) | Math.max(0, i - step);
      upper[b] = (best[b] & ~(OFFSETS - 1)) | Math.min(OFFSETS - 1, i + step);
    }
    keepCheaper(lower, cost(a, rows, symbols, padding, lower, fb), best, bestCost, false);
    keepCheaper(upper, cost(a, rows, symbols, padding, upper, fb), best, bestCost, false);
  }

  private static void keepCheaper(int[] at, long[] cost, int[] best, long[] bestCost,
      boolean first) {
    for (int b = 0; b < at.length; b++) {
      if (first || cost[b] < bestCost[b]) {
        best[b] = at[b];
        bestCost[b] = cost[b];
      }
    }
  }

  /**
   * Each lane's pixels' information (Q16 bits) under setting {@code at[lane]}: every
   * {@link #SEARCH_STRIDE}th sample of the tile, padding skipped.
   */
  static long[] cost(Architecture a, int[][][] rows, int[] symbols, Padding padding, int[] at,
      Feedback fb) {
    int batch = at.length;
    int[][] moved = new int[rows[0].length][batch];
    long[] total = new long[batch];
    for (int p = 0; p < rows.length; p += SEARCH_STRIDE) {
      Distribution dist = VaeCodec.distribution(a, moved(a, rows[p], at, moved, fb, p), batch);
      int precisionQ16 = dist.precision() << FixedPoint.Q16_BITS;
      for (int b = 0; b < batch; b++) {
        if (padding == null || !padding.isPadding(p, b)) {
          total[b] += precisionQ16 - log2Q16(dist.frequency(b, symbols[p * batch + b]));
        }
      }
    }
    return total;
  }

  /** log2 of a positive number in Q16, rounded down to within 2^-9 (the same on every JVM). */
  static int log2Q16(long f) {
    int e = 63 - Long.numberOfLeadingZeros(f);
    int frac = (int) (e >= LOG_TABLE_BITS ? (f >>> (e - LOG_TABLE_BITS))
        & ((1 << LOG_TABLE_BITS) - 1) : (f << (LOG_TABLE_BITS - e)) & ((1 << LOG_TABLE_BITS) - 1));
    return (e << FixedPoint.Q16_BITS) + LOG2[frac];
  }

  private static int[] log2Table() {
    int[] t = new int[1 << LOG_TABLE_BITS];
    for (int k = 0; k < t.length; k++) {
      t[k] = (int) Math.round(StrictMath.log(1 + (double) k / t.length) / StrictMath.log(2)
          * FixedPoint.Q16_ONE);
    }
    return t;
  }
}
