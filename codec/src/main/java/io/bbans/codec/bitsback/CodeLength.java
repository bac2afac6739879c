package io.bbans.codec.bitsback;

import io.bbans.codec.ans.Distribution;
import io.bbans.codec.ans.GaussianBuckets;
import io.bbans.codec.ans.Message;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Architecture;
import io.bbans.codec.model.Context;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.QuantizedVae;

/**
 * The bits-back code length of images under the quantised distributions that code them: the
 * rate the coder reaches, less the fixed per-shard overhead, without running a message.
 */
public final class CodeLength {
  private CodeLength() {}

  /**
   * The code length of each image of a batch, in bits: {@code -log p(x|z)} plus
   * {@code -log p(z)} minus {@code -log q(z|x)}, with z drawn from q(z|x) by popping a message
   * seeded with {@code seed}, as the coder does.
   */
  public static double[] bits(QuantizedVae vae, ImageSet images, int from, int batch,
      long seed) {
    int[] x = Chain.symbols(images, from, batch,
        vae.architecture().likelihood() == Likelihood.BERNOULLI);
    return bits(vae, x, null, batch, seed);
  }

  /**
   * The code length of each tile of a batch ({@code [pixel][lane]} symbols), its
   * {@code padding} (null: none) not counted, as the coder skips it.
   */
  static double[] bits(QuantizedVae vae, int[] x, Padding padding, int batch, long seed) {
    return bits(vae, x, padding, null, batch, seed, TileScale.Kind.NONE);
  }

  /**
   * As above for a tile-context model's tiles with their {@code frames} (null: none), each
   * with what {@code kind} says it carries ({@link TileScale}, its bits counted).
   */
  static double[] bits(QuantizedVae vae, int[] x, Padding padding, int[] frames, int batch,
      long seed, TileScale.Kind kind) {
    Architecture a = vae.architecture();
    int l = a.latent();
    int d = a.dims();
    GaussianBuckets q = VaeCodec.posterior(vae, x, batch);
    int[] buckets = q.pop(Message.seeded(batch, seed));
    QuantizedVae.PixelParameters params = vae.likelihood(buckets, batch, frames);
    double[] bits = new double[batch];
    for (int b = 0; b < batch; b++) {
      bits[b] = (double) l * a.bucketBits();
    }
    for (int i = 0; i < l * batch; i++) {
      bits[i % batch] -= q.informationBits(i, buckets[i]);
    }
    if (!params.causal()) {
      Distribution p = VaeCodec.distribution(a, params.all(), batch);
      for (int i = 0; i < d * batch; i++) {
        if (padding == null || !padding.isPadding(i / batch, i % batch)) {
          bits[i % batch] += p.informationBits(i, x[i]);
        }
      }
      return bits;
    }
    if (kind != TileScale.Kind.NONE) {
      if (!TileScale.applies(a)) {
        throw new IllegalArgumentException(a + " cannot code tiles with their scales");
      }
      double[] pixels = TileScale.informationBits(a, TileScale.rows(params, x), x, padding,
          batch, kind);
      for (int b = 0; b < batch; b++) {
        bits[b] += pixels[b];
      }
      return bits;
    }
    int[][] row = new int[a.parametersPerPixel()][batch];
    for (int p = 0; p < d; p++) {
      params.at(p, x, row);
      Distribution dist = VaeCodec.distribution(a, row, batch);
      for (int b = 0; b < batch; b++) {
        if (padding == null || !padding.isPadding(p, b)) {
          bits[b] += dist.informationBits(b, x[p * batch + b]);
        }
      }
    }
    return bits;
  }

  /**
   * Mean code length in bits per pixel over a whole set of images of any sizes, their tiles
   * in batches of {@code batch} as the chain takes them ({@link Tiles#schedule}), a
   * tile-context model's with the frames its decoder would see, each tile with its scale where
   * a shard of them would carry one ({@link TileScale#used}).
   */
  public static double bitsPerDim(QuantizedVae vae, ImageSet images, int batch, long seed) {
    return bitsPerDim(vae, images, batch, seed, TileScale.kind(vae.architecture(), images));
  }

  /**
   * As {@link #bitsPerDim(QuantizedVae, ImageSet, int, long)}, each tile with what
   * {@code kind} says it carries (other than NONE, the model must {@link TileScale#applies});
   * NONE: what the network alone gives, to set beside its float rate.
   */
  public static double bitsPerDim(QuantizedVae vae, ImageSet images, int batch, long seed,
      TileScale.Kind kind) {
    Architecture a = vae.architecture();
    boolean binary = a.likelihood() == Likelihood.BERNOULLI;
    Tiles.Schedule schedule = Tiles.of(images, a.rows(), a.cols())
        .schedule(batch, a.tileContext());
    double total = 0;
    for (int e = 0; e < schedule.batches(); e++) {
      Tiles.Batch tb = schedule.batch(e);
      for (double b : bits(vae, tb.symbols(images, binary), tb.padding(),
          Chain.frames(a, tb, images.pixels()), tb.size(), seed + (long) e * batch, kind)) {
        total += b;
      }
    }
    return total / images.pixelCount();
  }

  /**
   * Mean code length in bits per pixel of a tile-context model over {@code frames} (images of
   * its frame's size, {@link Context#frameRows}), each frame's tile coded with its border as
   * the frame has it, and with its scale where the model's tiles carry one, in batches of
   * {@code batch}.
   */
  public static double framedBitsPerDim(QuantizedVae vae, ImageSet frames, int batch,
      long seed) {
    return framedBitsPerDim(vae, frames, batch, seed, TileScale.applies(vae.architecture())
        ? TileScale.Kind.NEWEST : TileScale.Kind.NONE);
  }

  /** As the above, each tile with what {@code kind} says it carries. */
  public static double framedBitsPerDim(QuantizedVae vae, ImageSet frames, int batch,
      long seed, TileScale.Kind kind) {
    Architecture a = vae.architecture();
    if (!a.tileContext() || frames.rows() != Context.frameRows(a)
        || frames.cols() != Context.frameCols(a)) {
      throw new IllegalArgumentException("frames of a tile-context model's frame size needed");
    }
    ImageSet tiles = Context.tiles(a, frames);
    double total = 0;
    for (int from = 0; from < frames.count(); from += batch) {
      int n = Math.min(batch, frames.count() - from);
      for (double b : bits(vae, Chain.symbols(tiles, from, n, false), null,
          Chain.symbols(frames, from, n, false), n, seed + from, kind)) {
        total += b;
      }
    }
    return total / tiles.pixelCount();
  }
}
