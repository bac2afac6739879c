package io.bbans.codec.model;

import io.bbans.codec.ans.FixedPoint;
import io.bbans.codec.ans.GaussianBuckets;

/**
 * The integer network that codes: it computes the parameters of the quantised distributions
 * with exact integer arithmetic only, so the encoder and the decoder on any machine build the
 * same frequencies. It knows nothing of messages or codecs: {@code bitsback.VaeCodec} turns its
 * parameters into distributions and codes with them.
 *
 * <p>One layout in and out, <em>lane-major</em>: a batch of {@code B} images is a vector of
 * {@code [dim][lane]} values, value {@code i} belonging to image (lane) {@code i % B}, which is
 * the order the vectorised message codes them in. Pixels, latent buckets and the parameters
 * returned here all come that way; the network itself runs image-major inside.
 */
public final class QuantizedVae {
  static final int LOG_SCALE_MIN_Q16 = (int) FloatVae.LOG_SCALE_MIN << FixedPoint.Q16_BITS;
  static final int LOG_SCALE_MAX_Q16 = (int) FloatVae.LOG_SCALE_MAX << FixedPoint.Q16_BITS;
  static final int MEAN_MIN_Q16 = (int) Context.MEAN_MIN << FixedPoint.Q16_BITS;
  static final int MEAN_MAX_Q16 = (int) Context.MEAN_MAX << FixedPoint.Q16_BITS;
  static final int LOGIT_LIMIT_Q16 = (int) Context.LOGIT_LIMIT << FixedPoint.Q16_BITS;
  private static final long OUT_BOUND = 1 << 30;

  private final Architecture architecture;
  final IntLayer[] encoder;
  final IntLayer[] decoder;
  /** The context head ({@link Context}): hidden, output, skip; empty without context. */
  final IntLayer[] head;
  private final int[] centres;
  /** The head's neighbours and latent places as subpixel indices: {@code [k][p]}, -1 none. */
  private final int[][] neighbourAt;
  /** For a tile-context model, where each neighbour outside the tile lies in its frame. */
  private final int[][] frameAt;
  private final int[][] latentAt;
  /** The head's hidden layer and skip connection side by side ({@link IntLayer#sideBySide}). */
  private final double[] headInputWeights;
  /** Whether {@link VectorKernels} compute the head (every layer {@link IntLayer#vectorOk}). */
  private final boolean headVector;
  /** {@link #headInputWeights} padded to whole vectors, and their row stride, if so. */
  private final double[] headInputPadded;
  private final int headInputStride;
  /** Per pixel output ({@link PixelOutputs}), the range a refined value is clamped to, Q16. */
  private final int[] lowQ16;
  private final int[] highQ16;

  QuantizedVae(Architecture architecture, IntLayer[] encoder, IntLayer[] decoder) {
    this(architecture, encoder, decoder, new IntLayer[0]);
  }

  QuantizedVae(Architecture architecture, IntLayer[] encoder, IntLayer[] decoder,
      IntLayer[] head) {
    if (head.length != (architecture.hasContext() ? 3 : 0)) {
      throw new IllegalArgumentException("context head has " + head.length + " layers");
    }
    if (head.length == 3 && (head[0].inFrac != Context.IN_FRAC
        || head[2].inFrac != Context.IN_FRAC || head[1].inFrac != head[0].outFrac
        || head[1].outFrac > FixedPoint.Q16_BITS || head[2].outFrac > FixedPoint.Q16_BITS)) {
      throw new IllegalArgumentException("context head's fixed-point formats do not chain");
    }
    this.architecture = architecture;
    this.encoder = encoder;
    this.decoder = decoder;
    this.head = head;
    this.centres = GaussianBuckets.centresQ16(architecture.bucketBits());
    this.neighbourAt = Context.neighbourPlaces(architecture);
    this.frameAt = Context.framePlaces(architecture);
    this.latentAt = Context.latentPlaces(architecture);
    this.headInputWeights = head.length == 3 ? IntLayer.sideBySide(head[0], head[2]) : null;
    this.headVector = head.length == 3 && head[0].vectorOk && head[1].vectorOk
        && head[2].vectorOk;
    int both = head.length == 3 ? head[0].out + head[2].out : 0;
    this.headInputStride = headVector ? VectorKernels.stride(both) : both;
    this.headInputPadded = headVector
        ? VectorKernels.pad(headInputWeights, head[0].in, both) : null;
    PixelOutputs outs = architecture.outputs();
    lowQ16 = new int[outs.count()];
    highQ16 = new int[outs.count()];
    for (int j = 0; j < outs.count(); j++) {
      lowQ16[j] = toQ16(outs.lower(j), Integer.MIN_VALUE);
      highQ16[j] = toQ16(outs.upper(j), Integer.MAX_VALUE);
    }
  }

  /** A whole-number bound in Q16, or {@code none} for an infinite one. */
  private static int toQ16(double bound, int none) {
    return Double.isInfinite(bound) ? none : (int) bound << FixedPoint.Q16_BITS;
  }

  public Architecture architecture() {
    return architecture;
  }

  private static int[] run(IntLayer[] layers, int[] x, int batch) {
    for (IntLayer layer : layers) {
      x = layer.forward(x, batch);
    }
    return x;
  }

  /**
   * The encoder's raw output for a batch of pixels (lane-major symbols: 0..255, or 0/1 for a
   * Bernoulli model), image-major as the network gives it: per image {@code latent} means then
   * log-sds, Q16.
   */
  public int[] encoderOutput(int[] pixels, int batch) {
    int d = architecture.dims();
    int[] x = new int[d * batch];
    for (int i = 0; i < x.length; i++) {
      x[(i % batch) * d + i / batch] = pixels[i];
    }
    return run(encoder, x, batch);
  }

  /**
   * The parameters of q(z|x) for a batch of pixels (lane-major): {@code {mean, logSd}}, each
   * {@code [latent][lane]}, Q16, for the bucketed Gaussian.
   */
  public int[][] posterior(int[] pixels, int batch) {
    int l = architecture.latent();
    int[] out = encoderOutput(pixels, batch);
    int[] mean = new int[l * batch];
    int[] logSd = new int[l * batch];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < l; j++) {
        mean[j * batch + b] = out[b * 2 * l + j];
        logSd[j * batch + b] = out[b * 2 * l + l + j];
      }
    }
    return new int[][] {mean, logSd};
  }

  /** The latent decoder's raw output for latent buckets ({@code [latent][lane]}): image-major. */
  public int[] decoderOutput(int[] buckets, int batch) {
    int l = architecture.latent();
    int[] z = new int[batch * l];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < l; j++) {
        z[b * l + j] = centres[buckets[j * batch + b]];
      }
    }
    return run(decoder, z, batch);
  }

  /** The parameters of p(x|z) for a batch given its latent buckets ({@code [latent][lane]}). */
  public PixelParameters likelihood(int[] buckets, int batch) {
    return likelihood(buckets, batch, null);
  }

  /**
   * As {@link #likelihood(int[], int)} for a tile-context model ({@link
   * Architecture#tileContext}), given the batch's frames ({@link Context#frame}): samples
   * lane-major, {@code [sample][lane]}, of which only the known border is read; null reads the
   * border as 0.
   */
  public PixelParameters likelihood(int[] buckets, int batch, int[] frames) {
    if (frames != null && (!architecture.tileContext()
        || frames.length != Context.frameSamples(architecture) * batch)) {
      throw new IllegalArgumentException("frames for a model without tile context, or of the"
          + " wrong size");
    }
    return new PixelParameters(baseParameters(decoderOutput(buckets, batch), batch), batch,
        frames);
  }

  /**
   * The latent decoder's outputs in the units the codec uses, image-major: 8-bit pixels, per
   * image the means then the log-scales clamped to the logistic's range; bits, the logits. With
   * a context head the means and logits are clamped to the head's input range ({@link Context}).
   */
  int[] baseParameters(int[] decoderOutput, int batch) {
    int d = architecture.dims();
    boolean context = architecture.hasContext();
    int[] base = decoderOutput.clone();
    if (architecture.likelihood() == Likelihood.PIXEL8) {
      for (int b = 0; b < batch; b++) {
        for (int p = 0; p < d; p++) {
          if (context) {
            base[b * 2 * d + p] = FixedPoint.clamp(base[b * 2 * d + p], MEAN_MIN_Q16,
                MEAN_MAX_Q16);
          }
          base[b * 2 * d + d + p] = FixedPoint.clamp(base[b * 2 * d + d + p],
              LOG_SCALE_MIN_Q16, LOG_SCALE_MAX_Q16);
        }
      }
    } else if (context) {
      for (int i = 0; i < base.length; i++) {
        base[i] = FixedPoint.clamp(base[i], -LOGIT_LIMIT_Q16, LOGIT_LIMIT_Q16);
      }
    }
    return base;
  }

  /**
   * The parameters of p(x|z) for every pixel of a batch, given its latents: per pixel
   * {@link Architecture#parametersPerPixel} values for each lane. Without a context head they
   * do not depend on the pixels ({@link #causal} is false) and {@link #all} gives them at once;
   * with one, pixel {@code p}'s depend on the pixels before it in raster order, and {@link #at}
   * computes them from those, whether the pixels are all known (push) or decoded one by one
   * (pop): the same integers either way.
   */
  public final class PixelParameters {
    private final int[] base;
    private final int batch;
    private final int[] frames;
    private HeadScratch scratch;

    private PixelParameters(int[] base, int batch, int[] frames) {
      this.base = base;
      this.batch = batch;
      this.frames = frames;
    }

    public Architecture architecture() {
      return architecture;
    }

    public int batch() {
      return batch;
    }

    /** Whether a pixel's parameters depend on the pixels decoded before it. */
    public boolean causal() {
      return architecture.hasContext();
    }

    /**
     * Every pixel's parameters at once, {@code [parameter][pixel][lane]}; only without a
     * context head (the parameters depend on no pixel).
     */
    public int[][] all() {
      if (causal()) {
        throw new IllegalStateException("a context model's parameters depend on the pixels");
      }
      int d = architecture.dims();
      PixelOutputs outs = architecture.outputs();
      int[][] out = new int[outs.count()][d * batch];
      for (int j = 0; j < out.length; j++) {
        int[] to = out[j];
        for (int b = 0; b < batch; b++) {
          int from = outs.at(b, j, 0, d);
          for (int p = 0; p < d; p++) {
            to[p * batch + b] = base[from + p];
          }
        }
      }
      return out;
    }

    /**
     * Pixel {@code p}'s parameters into {@code into[parameter][lane]}, given the batch's pixels
     * ({@code [pixel][lane]}) of which only those before {@code p} in raster order are read.
     */
    public void at(int p, int[] pixels, int[][] into) {
      int d = architecture.dims();
      PixelOutputs outs = architecture.outputs();
      if (causal()) {
        if (scratch == null) {
          scratch = new HeadScratch(batch);
        }
        refine(base, pixels, frames, batch, p, into, scratch);
        return;
      }
      for (int j = 0; j < outs.count(); j++) {
        int[] to = into[j];
        for (int b = 0; b < batch; b++) {
          to[b] = base[outs.at(b, j, p, d)];
        }
      }
    }
  }

  /** Working arrays of the context head for one pixel of every lane, reused pixel to pixel. */
  private final class HeadScratch {
    final int[] v;
    /** The hidden layer's and the skip connection's accumulators, side by side per row. */
    final double[] both;
    final double[] activations;
    final double[] out;
    final double[] skipOut;
    /** The nonzero inputs of one row: weight row offsets and values ({@link IntLayer}). */
    final int[] at;
    final double[] values;
    /** The inputs as doubles and the output layer's accumulators, for the vector kernels. */
    final double[] x;
    final double[] outAcc;

    HeadScratch(int batch) {
      int n = Context.inputs(architecture);
      v = new int[batch * n];
      both = new double[batch * headInputStride];
      activations = new double[batch * head[0].out];
      out = new double[batch * head[1].out];
      skipOut = new double[batch * head[2].out];
      x = headVector ? new double[batch * n] : null;
      outAcc = headVector ? new double[batch * head[1].stride] : null;
      at = new int[Math.max(n, head[1].in)];
      values = new double[at.length];
    }
  }

  /**
   * Refines the base parameters of pixel {@code p} of images {@code 0..batch-1} with the context
   * head, given their pixels so far ({@code pixels[q * batch + b]}, lane-major; only the causal
   * neighbours of {@code p} are read), into {@code into[parameter][lane]}. One pixel of every
   * lane at a time, with working arrays that stay in cache. A tile-context model reads a
   * neighbour outside the tile from {@code frames} (null: 0).
   */
  private void refine(int[] base, int[] pixels, int[] frames, int batch, int p, int[][] into,
      HeadScratch w) {
    int d = architecture.dims();
    boolean pixel8 = architecture.likelihood() == Likelihood.PIXEL8;
    int n = Context.inputs(architecture);
    int shift = Context.IN_FRAC - (pixel8 ? 8 : 0); // neighbour / 256 or bit, in Q12
    int outShift = pixel8 ? 12 : 6; // mean / 256 or logit / 4, Q16 -> Q12
    int perImage = (pixel8 ? 2 : 1) * d; // each image's means or logits start b * perImage
    int[] v = w.v;
    int col = 0;
    for (int k = 0; k < neighbourAt.length; k++) {
      int at = neighbourAt[k][p];
      int framed = at < 0 && frames != null ? frameAt[k][p] : -1;
      for (int b = 0, row = col; b < batch; b++, row += n) {
        v[row] = at >= 0 ? pixels[at * batch + b] << shift
            : framed >= 0 ? frames[framed * batch + b] << shift : 0;
      }
      col++;
    }
    int channels = architecture.channels();
    for (int i = 0; i < Context.indicators(channels); i++) {
      int flag = Context.flagged(p, channels, i) ? 1 << Context.IN_FRAC : 0;
      for (int b = 0, row = col; b < batch; b++, row += n) {
        v[row] = flag;
      }
      col++;
    }
    for (int[] places : latentAt) {
      int at = places[p];
      for (int b = 0, row = col; b < batch; b++, row += n) {
        v[row] = at < 0 ? 0 : base[b * perImage + at] >> outShift;
      }
      col++;
    }
    for (int b = 0, row = col; b < batch; b++, row += n) {
      v[row] = base[b * perImage + p] >> outShift;
      if (pixel8) {
        v[row + 1] = base[b * perImage + d + p] >> 4; // log-scale, Q16 -> Q12
      }
    }
    boolean vector = headVector && batch >= VectorKernels.MIN_ROWS; // as IntLayer#forward
    int both = vector ? headInputStride : head[0].out + head[2].out;
    double[] o;
    if (vector) {
      double[] x = w.x;
      for (int i = 0; i < batch * n; i++) {
        x[i] = v[i];
      }
      VectorKernels.product(headInputPadded, n, both, x, n, batch, w.both);
      double[] hidden = head[0].finishAsDouble(w.both, both, 0, batch, w.activations);
      o = head[1].finishAsDouble(head[1].productVector(hidden, batch, w.outAcc),
          head[1].stride, 0, batch, w.out);
    } else {
      IntLayer.product(headInputWeights, n, both, v, batch, w.both, w.at, w.values);
      o = head[1].finishAsDouble(head[1].productOfDoubles(
          head[0].finishAsDouble(w.both, both, 0, batch, w.activations), batch, w.out, w.at,
          w.values), batch, w.out);
    }
    double[] s = head[2].finishAsDouble(w.both, both, head[0].out, batch, w.skipOut);
    int oShift = FixedPoint.Q16_BITS - head[1].outFrac; // to Q16 (0 unless weights were large)
    int sShift = FixedPoint.Q16_BITS - head[2].outFrac;
    PixelOutputs outs = architecture.outputs();
    int count = outs.count();
    int baseCount = outs.baseCount();
    for (int j = 0; j < count; j++) {
      int from = outs.base(j);
      int[] to = into[j];
      int low = lowQ16[j];
      int high = highQ16[j];
      for (int b = 0; b < batch; b++) {
        int start = from < 0 ? 0 : base[(b * baseCount + from) * d + p];
        to[b] = FixedPoint.clamp(refined(start, o, s, b * count + j, oShift, sShift), low, high);
      }
    }
  }

  /** {@code base} plus the head's output {@code j} (hidden path and skip), within +-2^30. */
  private static int refined(int base, double[] o, double[] s, int j, int oShift, int sShift) {
    return (int) Math.max(-OUT_BOUND, Math.min(OUT_BOUND,
        (long) base + ((long) o[j] << oShift) + ((long) s[j] << sShift)));
  }

}
