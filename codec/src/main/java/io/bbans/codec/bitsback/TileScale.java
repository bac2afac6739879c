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
 * Per-tile scale (shard version 5): p(x|z) of each tile with every logistic's log-scale moved
 * by one of {@link #COUNT} offsets, {@code (i - 12) / 8} for {@code i = 0..15} (-1.5 to
 * +0.375), which the encoder picks for the tile and codes in {@link #BITS} bits after it, so
 * the decoder reads it before the tile's pixels.
 *
 * <p>Why: a model trained on many images is about right on average and wrong on any one of
 * them. Smooth photographs are coded with scales too wide (on issue 15's set the best single
 * offset for the bundled photograph model is about -0.7), busy ones too narrow; JPEG XL learns
 * its contexts per image. Four bits a tile of 32x32 cost 0.004 bits a pixel, and the tile's
 * best offset takes 10% off that set. The latent could carry this in principle, but a model
 * with a strong context head hardly uses its latent (0.006 bits a pixel of KL there).
 *
 * <p>The encoder's choice is search, not model: it codes the tile's pixels (padding skipped)
 * under a few offsets with the exact integer frequencies the chain would use, summing their
 * information in fixed point ({@link #log2Q16}), first at -1, -0.5 and 0, then two
 * steps, then one step either side of the best so far. It is integer arithmetic throughout, so
 * every JVM makes the same choice and writes the same shard; the decoder only reads it.
 */
public final class TileScale {
  public static final int BITS = 4;
  public static final int COUNT = 1 << BITS;
  /** The offset of index {@code i} is {@code (i - ZERO) / 8}. */
  static final int ZERO = 12;
  private static final int STEP_Q16 = FixedPoint.Q16_ONE / 8;
  private static final int[] FIRST = {4, 8, ZERO};
  private static final int[] REFINE = {2, 1};
  private static final int LOG_TABLE_BITS = 10;
  /** log2(1 + k / 2^10) in Q16, from {@link StrictMath}. */
  private static final int[] LOG2 = log2Table();

  private TileScale() {}

  /**
   * The fewest samples a tile must have to carry a scale: its 4 bits then cost at most 1/64
   * bit a sample (a 32x32 tile, 1/256). On the 8x8 tiles of the test models they would cost
   * 1/16 bit a sample, more than the scale saves there.
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
    boolean ownSize = images.uniform() && images.rows() == a.rows() && images.cols() == a.cols()
        && a.channels() == 1;
    return applies(a) && !ownSize;
  }

  /** Offset {@code i}'s log-scale change in Q16. */
  static int offsetQ16(int i) {
    return (i - ZERO) * STEP_Q16;
  }

  /**
   * p(x|z) of a batch of tiles ({@link VaeCodec#likelihood}) with each tile's scale coded
   * after its pixels: push picks each lane's offset, pushes the pixels under it, then the
   * offsets; pop reads the offsets, then the pixels.
   */
  static Codec<int[]> likelihood(QuantizedVae.PixelParameters params, Padding padding) {
    Architecture a = params.architecture();
    if (!applies(a) || !params.causal()) {
      throw new IllegalArgumentException("a tile scale needs 8-bit pixels, a context head and"
          + " tiles of " + MIN_SAMPLES + " samples");
    }
    int d = a.dims();
    int batch = params.batch();
    int n = a.parametersPerPixel();
    int[] logScales = logScaleRows(a);
    Uniform offsets = new Uniform(BITS, batch, batch);
    return new Codec<>() {
      @Override
      public void push(Message m, int[] symbols) {
        int[][][] rows = new int[d][n][batch];
        for (int p = 0; p < d; p++) {
          params.at(p, symbols, rows[p]);
        }
        int[] chosen = choose(a, rows, symbols, padding, logScales, batch);
        int[][] moved = new int[n][batch];
        new AutoRegressive(d, batch, (s, known) -> VaeCodec.distribution(a,
            moved(rows[s], chosen, logScales, moved), batch), padding).push(m, symbols);
        offsets.push(m, chosen);
      }

      @Override
      public int[] pop(Message m) {
        int[] chosen = offsets.pop(m);
        int[][] row = new int[n][batch];
        return new AutoRegressive(d, batch, (s, known) -> {
          params.at(s, known, row);
          return VaeCodec.distribution(a, moved(row, chosen, logScales, row), batch);
        }, padding).pop(m);
      }
    };
  }

  /**
   * What each lane's tile costs, in bits, with the offset the encoder would pick for it and
   * its {@link #BITS}: {@code rows} are the tile's parameters {@code [pixel][parameter][lane]},
   * {@code x} its symbols, {@code padding} not counted ({@link CodeLength}).
   */
  static double[] informationBits(Architecture a, int[][][] rows, int[] x, Padding padding,
      int batch) {
    int[] logScales = logScaleRows(a);
    int[] chosen = choose(a, rows, x, padding, logScales, batch);
    double[] bits = new double[batch];
    java.util.Arrays.fill(bits, BITS);
    int[][] moved = new int[rows[0].length][batch];
    for (int p = 0; p < rows.length; p++) {
      Distribution dist = VaeCodec.distribution(a, moved(rows[p], chosen, logScales, moved),
          batch);
      for (int b = 0; b < batch; b++) {
        if (padding == null || !padding.isPadding(p, b)) {
          bits[b] += dist.informationBits(b, x[p * batch + b]);
        }
      }
    }
    return bits;
  }

  /** Which of a pixel's parameters are log-scales ({@link PixelOutputs#logScale}). */
  private static int[] logScaleRows(Architecture a) {
    PixelOutputs outs = a.outputs();
    int[] rows = new int[outs.components()];
    for (int c = 0; c < rows.length; c++) {
      rows[c] = outs.logScale(c);
    }
    return rows;
  }

  /** {@code row} with lane b's log-scales moved by offset {@code chosen[b]}, into {@code into}. */
  private static int[][] moved(int[][] row, int[] chosen, int[] logScales, int[][] into) {
    for (int j = 0; j < row.length; j++) {
      if (into[j] != row[j]) {
        System.arraycopy(row[j], 0, into[j], 0, row[j].length);
      }
    }
    for (int j : logScales) {
      for (int b = 0; b < chosen.length; b++) {
        // log-scales are clamped to [-5, 7] (Q16); the move stays far inside int
        into[j][b] = row[j][b] + offsetQ16(chosen[b]);
      }
    }
    return into;
  }

  /**
   * Each lane's offset: the one of those tried under which its pixels cost least (ties to the
   * one tried first), tried first at -1, -0.5 and 0, then 2 and then 1 step either side of the
   * best so far.
   */
  static int[] choose(Architecture a, int[][][] rows, int[] symbols, Padding padding,
      int[] logScales, int batch) {
    int[] best = new int[batch];
    long[] bestCost = new long[batch];
    for (int k = 0; k < FIRST.length; k++) {
      int[] at = new int[batch];
      java.util.Arrays.fill(at, FIRST[k]);
      keepCheaper(at, cost(a, rows, symbols, padding, logScales, at), best, bestCost, k == 0);
    }
    for (int step : REFINE) {
      int[] lower = new int[batch];
      int[] upper = new int[batch];
      for (int b = 0; b < batch; b++) {
        lower[b] = Math.max(0, best[b] - step);
        upper[b] = Math.min(COUNT - 1, best[b] + step);
      }
      keepCheaper(lower, cost(a, rows, symbols, padding, logScales, lower), best, bestCost,
          false);
      keepCheaper(upper, cost(a, rows, symbols, padding, logScales, upper), best, bestCost,
          false);
    }
    return best;
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

  /** Each lane's pixels' information (Q16 bits) under offset {@code at[lane]}, padding free. */
  static long[] cost(Architecture a, int[][][] rows, int[] symbols, Padding padding,
      int[] logScales, int[] at) {
    int batch = at.length;
    int n = rows[0].length;
    int[][] moved = new int[n][batch];
    long[] total = new long[batch];
    for (int p = 0; p < rows.length; p++) {
      Distribution dist = VaeCodec.distribution(a, moved(rows[p], at, logScales, moved), batch);
      int precisionQ16 = dist.precision() << FixedPoint.Q16_BITS;
      for (int b = 0; b < batch; b++) {
        if (padding == null || !padding.isPadding(p, b)) {
          total[b] += precisionQ16 - log2Q16(dist.frequency(b, symbols[p * batch + b]));
        }
      }
    }
    return total;
  }

  /** log2 of a positive int in Q16, rounded down to within 2^-9 (the same on every JVM). */
  static int log2Q16(int f) {
    int e = 31 - Integer.numberOfLeadingZeros(f);
    int frac = e >= LOG_TABLE_BITS ? (f >>> (e - LOG_TABLE_BITS)) & ((1 << LOG_TABLE_BITS) - 1)
        : (f << (LOG_TABLE_BITS - e)) & ((1 << LOG_TABLE_BITS) - 1);
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
