package io.bbans.codec.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The shape of a VAE and the precisions its codec runs at: an MLP encoder
 * {@code x -> hidden... -> (mean, log sd)} of a diagonal Gaussian posterior over {@code latent}
 * dimensions, the prior N(0, I) discretised to {@code 2^bucketBits} buckets of equal mass per
 * dimension, and an MLP decoder {@code z -> hidden reversed... -> p(x|z)}.
 */
public final class Architecture {
  public static final int MAX_DIMS = 1 << 16;
  public static final int MAX_WIDTH = 4096;
  public static final int MAX_CONTEXT_HIDDEN = 256;
  /** The most logistics a mixture output may have. */
  public static final int MAX_MIXTURE = 8;
  /** The context head's window: how far up and to either side its neighbours reach. */
  public static final int MIN_WINDOW = 2;
  public static final int MAX_WINDOW = 4;

  private final int rows;
  private final int cols;
  private final Likelihood likelihood;
  private final int[] hidden;
  private final int latent;
  private final int bucketBits;
  private final int latentPrecision;
  private final int pixelPrecision;
  private final int contextHidden;
  private final int mixture;
  private final int channels;
  private final PixelOutputs outputs;
  private final boolean tileContext;
  private final int window;

  /** An architecture without a context head (model format 1). */
  public Architecture(int rows, int cols, Likelihood likelihood, int[] hidden, int latent,
      int bucketBits, int latentPrecision, int pixelPrecision) {
    this(rows, cols, likelihood, hidden, latent, bucketBits, latentPrecision, pixelPrecision, 0);
  }

  /**
   * @param contextHidden hidden units of the causal-context head ({@link Context}), 0 for none
   */
  public Architecture(int rows, int cols, Likelihood likelihood, int[] hidden, int latent,
      int bucketBits, int latentPrecision, int pixelPrecision, int contextHidden) {
    this(rows, cols, likelihood, hidden, latent, bucketBits, latentPrecision, pixelPrecision,
        contextHidden, 1);
  }

  /**
   * @param contextHidden hidden units of the causal-context head ({@link Context}), 0 for none
   * @param mixture logistics in each 8-bit pixel's distribution: 1, or 2..{@link #MAX_MIXTURE}
   *     for a mixture whose parameters the context head gives (model format 3)
   */
  public Architecture(int rows, int cols, Likelihood likelihood, int[] hidden, int latent,
      int bucketBits, int latentPrecision, int pixelPrecision, int contextHidden, int mixture) {
    this(rows, cols, 1, likelihood, hidden, latent, bucketBits, latentPrecision, pixelPrecision,
        contextHidden, mixture);
  }

  /**
   * @param channels samples per pixel: 1 (grayscale or bits), or 3 for 8-bit RGB, whose
   *     subpixels are coded R, G, B pixel by pixel with a context head (model format 4)
   */
  public Architecture(int rows, int cols, int channels, Likelihood likelihood, int[] hidden,
      int latent, int bucketBits, int latentPrecision, int pixelPrecision, int contextHidden,
      int mixture) {
    this(rows, cols, channels, likelihood, hidden, latent, bucketBits, latentPrecision,
        pixelPrecision, contextHidden, mixture, false);
  }

  /**
   * @param tileContext whether the context head also reads the already-decoded pixels of the
   *     neighbouring tiles above and to the left ({@link Context#frame}), which needs 8-bit
   *     samples and a context head (model format 5)
   */
  public Architecture(int rows, int cols, int channels, Likelihood likelihood, int[] hidden,
      int latent, int bucketBits, int latentPrecision, int pixelPrecision, int contextHidden,
      int mixture, boolean tileContext) {
    this(rows, cols, channels, likelihood, hidden, latent, bucketBits, latentPrecision,
        pixelPrecision, contextHidden, mixture, tileContext, MIN_WINDOW);
  }

  /**
   * @param window how far the context head's neighbours reach ({@link Context#offsets}): 2,
   *     the ten neighbours of formats 2 to 5, or 3 or 4, every pixel of that many rows above
   *     and columns either side that comes before (model format 6)
   */
  public Architecture(int rows, int cols, int channels, Likelihood likelihood, int[] hidden,
      int latent, int bucketBits, int latentPrecision, int pixelPrecision, int contextHidden,
      int mixture, boolean tileContext, int window) {
    if (window < MIN_WINDOW || window > MAX_WINDOW) {
      throw new IllegalArgumentException("the context window must be " + MIN_WINDOW + ".."
          + MAX_WINDOW + ", got " + window);
    }
    if (window > MIN_WINDOW && contextHidden == 0) {
      throw new IllegalArgumentException("a context window needs a context head");
    }
    if (tileContext && (likelihood != Likelihood.PIXEL8 || contextHidden == 0 || rows < window
        || cols < window)) {
      throw new IllegalArgumentException("tile context needs 8-bit pixels, a context head and"
          + " tiles of at least " + window + "x" + window);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if (channels > 1 && (likelihood != Likelihood.PIXEL8 || contextHidden == 0)) {
      throw new IllegalArgumentException("colour needs 8-bit pixels and a context head");
    }
    if (rows < 1 || cols < 1 || (long) rows * cols * channels > MAX_DIMS) {
      throw new IllegalArgumentException("image shape " + rows + "x" + cols
          + (channels > 1 ? "x" + channels : "") + " unsupported");
    }
    if (hidden.length < 1 || Arrays.stream(hidden).anyMatch(h -> h < 1 || h > MAX_WIDTH)) {
      throw new IllegalArgumentException("hidden sizes must be 1.." + MAX_WIDTH + ": "
          + Arrays.toString(hidden));
    }
    if (latent < 1 || latent > MAX_WIDTH) {
      throw new IllegalArgumentException("latent size must be 1.." + MAX_WIDTH);
    }
    if (bucketBits < 1 || bucketBits > 16 || latentPrecision <= bucketBits
        || latentPrecision > 24) {
      throw new IllegalArgumentException("need 1 <= bucket bits (" + bucketBits
          + ") < latent precision (" + latentPrecision + ") <= 24");
    }
    int minPixel = likelihood == Likelihood.PIXEL8 ? 9 : 1;
    if (pixelPrecision < minPixel || pixelPrecision > 24) {
      throw new IllegalArgumentException("pixel precision must be " + minPixel + "..24");
    }
    if (contextHidden < 0 || contextHidden > MAX_CONTEXT_HIDDEN) {
      throw new IllegalArgumentException("context hidden units must be 0.." + MAX_CONTEXT_HIDDEN
          + ", got " + contextHidden);
    }
    if (mixture < 1 || mixture > MAX_MIXTURE) {
      throw new IllegalArgumentException("mixture components must be 1.." + MAX_MIXTURE
          + ", got " + mixture);
    }
    if (mixture > 1 && (likelihood != Likelihood.PIXEL8 || contextHidden == 0)) {
      throw new IllegalArgumentException("a mixture needs 8-bit pixels and a context head");
    }
    this.rows = rows;
    this.cols = cols;
    this.likelihood = likelihood;
    this.hidden = hidden.clone();
    this.latent = latent;
    this.bucketBits = bucketBits;
    this.latentPrecision = latentPrecision;
    this.pixelPrecision = pixelPrecision;
    this.contextHidden = contextHidden;
    this.mixture = mixture;
    this.channels = channels;
    this.outputs = new PixelOutputs(likelihood, mixture);
    this.tileContext = tileContext;
    this.window = window;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Samples per pixel: 1, or 3 for RGB. */
  public int channels() {
    return channels;
  }

  /** Samples per image, the symbols a model codes: {@code rows * cols * channels}. */
  public int dims() {
    return rows * cols * channels;
  }

  public Likelihood likelihood() {
    return likelihood;
  }

  public int[] hidden() {
    return hidden.clone();
  }

  public int latent() {
    return latent;
  }

  public int bucketBits() {
    return bucketBits;
  }

  public int latentPrecision() {
    return latentPrecision;
  }

  public int pixelPrecision() {
    return pixelPrecision;
  }

  /** Hidden units of the causal-context head; 0 when the decoder reads only the latent. */
  public int contextHidden() {
    return contextHidden;
  }

  public boolean hasContext() {
    return contextHidden > 0;
  }

  /**
   * Whether the head reads the pixels of neighbouring tiles above and to the left of a tile
   * (model format 5): a tile is then coded with its {@link Context#frame}, and the chain orders
   * an image's tiles so that the decoder meets those neighbours first.
   */
  public boolean tileContext() {
    return tileContext;
  }

  /** A copy of this architecture with or without {@link #tileContext}. */
  public Architecture withTileContext(boolean on) {
    return new Architecture(rows, cols, channels, likelihood, hidden, latent, bucketBits,
        latentPrecision, pixelPrecision, contextHidden, mixture, on, window);
  }

  /** A copy of this architecture with a context window of {@code w} ({@link #window}). */
  public Architecture withWindow(int w) {
    return new Architecture(rows, cols, channels, likelihood, hidden, latent, bucketBits,
        latentPrecision, pixelPrecision, contextHidden, mixture, tileContext, w);
  }

  /**
   * How far the context head's neighbours reach, up and to either side ({@link
   * Context#offsets}): 2 (formats 2 to 5), 3 or 4 (format 6). A tile-context model's frame is
   * as wide.
   */
  public int window() {
    return window;
  }

  /** Logistics in each 8-bit pixel's distribution: 1 for a single discretised logistic. */
  public int mixture() {
    return mixture;
  }

  /**
   * Parameters of each pixel's distribution, which are also the context head's outputs per
   * pixel (their refinements): mean and log-scale, or a logit, or with a mixture per component a
   * mean, a log-scale and a weight logit, as blocks {@code means..., log-scales..., weights...}.
   */
  public int parametersPerPixel() {
    return outputs.count();
  }

  /** The layout of a pixel's distribution parameters ({@link PixelOutputs}). */
  public PixelOutputs outputs() {
    return outputs;
  }

  /** Widths of the encoder's layers from input to output: dims, hidden..., 2 * latent. */
  int[] encoderWidths() {
    int[] w = new int[hidden.length + 2];
    w[0] = dims();
    System.arraycopy(hidden, 0, w, 1, hidden.length);
    w[w.length - 1] = 2 * latent;
    return w;
  }

  /** Widths of the decoder's layers: latent, hidden reversed..., outputs per pixel * dims. */
  int[] decoderWidths() {
    int[] w = new int[hidden.length + 2];
    w[0] = latent;
    for (int i = 0; i < hidden.length; i++) {
      w[1 + i] = hidden[hidden.length - 1 - i];
    }
    w[w.length - 1] = likelihood.outputsPerPixel() * dims();
    return w;
  }

  @Override
  public String toString() {
    return rows + "x" + cols + (channels > 1 ? " rgb" : "") + " " + likelihood.id() + " hidden="
        + Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining(","))
        + " latent=" + latent + " buckets=2^" + bucketBits + " precision=" + latentPrecision
        + "/" + pixelPrecision + (contextHidden > 0 ? " context=" + contextHidden : "")
        + (mixture > 1 ? " mixture=" + mixture : "") + (tileContext ? " tile-context" : "")
        + (window > MIN_WINDOW ? " window=" + window : "");
  }
}
