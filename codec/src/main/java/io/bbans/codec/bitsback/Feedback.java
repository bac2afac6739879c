package io.bbans.codec.bitsback;

import io.bbans.codec.ans.FixedPoint;
import io.bbans.codec.model.Architecture;
import io.bbans.codec.model.PixelOutputs;

/**
 * Each pixel's error feedback (shard version 6): how far a tile's pixels already coded near a
 * pixel fell from what the network predicted for them moves that pixel's distribution, by
 * strengths the tile's setting carries ({@link TileScale}).
 *
 * <p>For every sample the network's prediction is taken as its most likely component (the
 * largest weight logit, the first of equals): its mean {@code m} and its mean absolute
 * deviation {@code 2 ln 2 s}. A sample's error is {@code x - m}. For a sample, over its
 * neighbours W and N (weight 2), NW, NE, WW and NN (weight 1) of the same channel, inside the
 * tile, not padding, and coded before it:
 * <ul>
 *   <li>the ratio {@code r = ln((sum w|e| + W/2) / (sum w dev + W/2))}, clamped to [-2, 2]:
 *       errors larger than predicted widen the pixel's logistics, smaller narrow them;
 *       every log-scale moves by {@code f r} with {@code f} of 0, 1/2, 3/4 or 1;
 *   <li>the bias {@code sum w e / W}: errors of one sign move every mean by {@code g} times
 *       it, {@code g} of 0, 5/16, 10/16 or 15/16.
 * </ul>
 * A sample with no such neighbour is not moved.
 *
 * <p>Why: the network reads the neighbours' values, not how well it predicted them, and it is
 * wrong in runs: a texture it under-rates or a gradient it lags. Fed back, the errors are
 * what JPEG XL's weighted predictor and CALIC's bias cancellation adapt on. On issue 15's set
 * the float network with the tile settings went 2.5050 -> 2.3542 bits/px with this (taps of
 * W and N alone 2.3811, ten taps 2.3600; the mixture's mean in place of its top component's
 * 2.3697). The errors are those of the network's own parameters, before the tile's setting
 * moves them, so they are the same under every setting the encoder tries.
 *
 * <p>Integer throughout (Q16, {@link TileScale#log2Q16}, a table of {@link StrictMath#exp}):
 * every JVM computes the same distributions.
 */
final class Feedback {
  /** Row offset, column offset and weight of each neighbour read. */
  private static final int[][] TAPS = {{0, -1, 2}, {-1, 0, 2}, {-1, -1, 1}, {-1, 1, 1},
      {0, -2, 1}, {-2, 0, 1}};
  /** The log-scale strengths {@code f}, in sixteenths. */
  static final int[] SCALE_STRENGTH = {0, 8, 12, 16};
  /** The mean strengths {@code g}, in sixteenths. */
  static final int[] MEAN_STRENGTH = {0, 5, 10, 15};
  private static final int LIMIT_Q16 = 2 << FixedPoint.Q16_BITS;
  /** ln 2 in Q16. */
  private static final long LN2_Q16 = 45426;
  private static final int LOG_MIN = -6;
  private static final int LOG_MAX = 8;
  private static final int STEP_BITS = 8;
  /** 2 ln 2 exp(logScale) in Q16, for log-scales in [-6, 8] in steps of 2^-8. */
  private static final long[] DEVIATION = deviations();

  private final PixelOutputs outs;
  private final int components;
  private final int cols;
  private final int channels;
  private final int batch;
  private final Padding padding;
  private final int[] mean;
  private final long[] deviation;
  private final int[] error;
  /** Each sample's log ratio, Q16, {@code [sample * batch + lane]}. */
  private final int[] logRatio;
  /** Each sample's bias, Q16. */
  private final int[] bias;

  /** A batch's feedback, filled sample by sample ({@link #predicted}, {@link #coded}). */
  Feedback(Architecture a, int batch, Padding padding) {
    this.outs = a.outputs();
    this.components = outs.components();
    this.cols = a.cols();
    this.channels = a.channels();
    this.batch = batch;
    this.padding = padding;
    int n = a.dims() * batch;
    mean = new int[n];
    deviation = new long[n];
    error = new int[n];
    logRatio = new int[n];
    bias = new int[n];
  }

  /**
   * The feedback of a batch whose samples are all known (the encoder's side, or a measure of
   * the code length): {@code rows} each sample's parameters {@code [sample][parameter][lane]}
   * before any setting, {@code x} the symbols {@code [sample][lane]}.
   */
  static Feedback of(Architecture a, int[][][] rows, int[] x, Padding padding) {
    Feedback fb = new Feedback(a, rows[0][0].length, padding);
    for (int p = 0; p < rows.length; p++) {
      fb.predicted(p, rows[p]);
      fb.coded(p, x);
    }
    return fb;
  }

  /**
   * Records sample {@code p}'s parameters {@code row} ({@code [parameter][lane]}, before any
   * setting) and works out its log ratio and bias from the samples before it, whose symbols
   * must be {@link #coded}.
   */
  void predicted(int p, int[][] row) {
    for (int b = 0; b < batch; b++) {
      int top = 0;
      for (int c = 1; c < components; c++) {
        if (row[outs.weight(c)][b] > row[outs.weight(top)][b]) {
          top = c;
        }
      }
      mean[p * batch + b] = row[outs.mean(top)][b];
      deviation[p * batch + b] = DEVIATION[index(row[outs.logScale(top)][b])];
    }
    int pixel = p / channels;
    int channel = p % channels;
    int r = pixel / cols;
    int c = pixel % cols;
    for (int b = 0; b < batch; b++) {
      long errors = 0;
      long deviations = 0;
      long signed = 0;
      int weights = 0;
      for (int[] t : TAPS) {
        int rr = r + t[0];
        int cc = c + t[1];
        if (rr < 0 || cc < 0 || cc >= cols) {
          continue;
        }
        int q = (rr * cols + cc) * channels + channel;
        if (padding != null && padding.isPadding(q, b)) {
          continue;
        }
        int e = error[q * batch + b];
        errors += (long) t[2] * Math.abs(e);
        deviations += t[2] * deviation[q * batch + b];
        signed += (long) t[2] * e;
        weights += t[2];
      }
      int at = p * batch + b;
      if (weights == 0) {
        logRatio[at] = 0;
        bias[at] = 0;
        continue;
      }
      long half = (long) weights << (FixedPoint.Q16_BITS - 1);
      long log2 = TileScale.log2Q16(errors + half) - TileScale.log2Q16(deviations + half);
      logRatio[at] = (int) Math.max(-LIMIT_Q16, Math.min(LIMIT_Q16, (log2 * LN2_Q16)
          >> FixedPoint.Q16_BITS));
      bias[at] = (int) (signed / weights);
    }
  }

  /** Sample {@code p}'s symbols are known ({@code x}, {@code [sample][lane]}): its errors. */
  void coded(int p, int[] x) {
    for (int b = 0; b < batch; b++) {
      int at = p * batch + b;
      error[at] = (x[at] << FixedPoint.Q16_BITS) - mean[at];
    }
  }

  /**
   * Moves sample {@code p}'s parameters {@code row} (already under each lane's setting) by
   * the feedback strengths of each lane's setting {@code chosen[lane]}.
   */
  void apply(int p, int[][] row, int[] chosen) {
    for (int b = 0; b < batch; b++) {
      int scaleMove = scaleMove(p, b, chosen[b]);
      int meanMove = meanMove(p, b, chosen[b]);
      for (int c = 0; c < components; c++) {
        row[outs.logScale(c)][b] += scaleMove;
        row[outs.mean(c)][b] += meanMove;
      }
    }
  }

  /** How far sample {@code p} of lane {@code b} moves its log-scales under {@code setting}, Q16. */
  int scaleMove(int p, int b, int setting) {
    int f = SCALE_STRENGTH[TileScale.scaleFeedbackIndex(setting)];
    return (int) (((long) logRatio[p * batch + b] * f) >> 4);
  }

  /** How far sample {@code p} of lane {@code b} moves its means under {@code setting}, Q16. */
  int meanMove(int p, int b, int setting) {
    int g = MEAN_STRENGTH[TileScale.meanFeedbackIndex(setting)];
    return (int) (((long) bias[p * batch + b] * g) >> 4);
  }

  private static int index(int logScaleQ16) {
    int shift = FixedPoint.Q16_BITS - STEP_BITS;
    int clamped = FixedPoint.clamp(logScaleQ16, LOG_MIN << FixedPoint.Q16_BITS,
        LOG_MAX << FixedPoint.Q16_BITS);
    return (clamped - (LOG_MIN << FixedPoint.Q16_BITS) + (1 << (shift - 1))) >> shift;
  }

  private static long[] deviations() {
    long[] t = new long[((LOG_MAX - LOG_MIN) << STEP_BITS) + 1];
    for (int k = 0; k < t.length; k++) {
      double logScale = LOG_MIN + (double) k / (1 << STEP_BITS);
      t[k] = Math.round(2 * StrictMath.log(2) * StrictMath.exp(logScale) * FixedPoint.Q16_ONE);
    }
    return t;
  }
}
