package io.bbans.codec.bitsback;

import io.bbans.codec.ans.Bernoulli;
import io.bbans.codec.ans.Codec;
import io.bbans.codec.ans.DiscretizedLogistic;
import io.bbans.codec.ans.Distribution;
import io.bbans.codec.ans.GaussianBuckets;
import io.bbans.codec.ans.LogisticMixture;
import io.bbans.codec.ans.Message;
import io.bbans.codec.ans.Uniform;
import io.bbans.codec.model.Architecture;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.PixelOutputs;
import io.bbans.codec.model.QuantizedVae;
import java.util.Arrays;

/**
 * The codecs of a quantised VAE for a batch of images: the model computes parameters, this
 * turns them into the codec core's distributions. A value is the batch's pixels lane-major
 * ({@code [pixel][lane]}: image {@code b} on lane {@code b}), the one layout of a batch from
 * the chain down to the message.
 */
public final class VaeCodec {
  private VaeCodec() {}

  /** The bits-back codec for batches of exactly {@code batch} images. */
  public static Codec<int[]> forBatch(QuantizedVae vae, int batch) {
    return forBatch(vae, batch, null);
  }

  /**
   * The bits-back codec for a batch of {@code batch} tiles whose {@code padding} (null: none)
   * is not coded: the posterior sees the whole padded tile, the likelihood codes the rest.
   */
  public static Codec<int[]> forBatch(QuantizedVae vae, int batch, Padding padding) {
    return forBatch(vae, batch, padding, null);
  }

  /**
   * As {@link #forBatch(QuantizedVae, int, Padding)} for a tile-context model, whose
   * likelihood also reads the tiles' {@code frames} ({@link QuantizedVae#likelihood(int[], int,
   * int[])}; null for any other model).
   */
  public static Codec<int[]> forBatch(QuantizedVae vae, int batch, Padding padding,
      int[] frames) {
    return forBatch(vae, batch, padding, frames, TileScale.Kind.NONE);
  }

  /**
   * As {@link #forBatch(QuantizedVae, int, Padding, int[])}, with each tile's setting of
   * {@code kind} picked and coded after it ({@link TileScale}: shard versions 5 and 6).
   */
  public static Codec<int[]> forBatch(QuantizedVae vae, int batch, Padding padding,
      int[] frames, TileScale.Kind kind) {
    return new BitsBack<int[], int[]>(prior(vae.architecture(), batch),
        buckets -> kind != TileScale.Kind.NONE
            ? TileScale.likelihood(vae.likelihood(buckets, batch, frames), padding, kind)
            : likelihood(vae.likelihood(buckets, batch, frames), padding),
        pixels -> posterior(vae, pixels, batch));
  }

  /** q(z|x): the bucketed Gaussian over {@code [latent][lane]}. */
  public static GaussianBuckets posterior(QuantizedVae vae, int[] pixels, int batch) {
    Architecture a = vae.architecture();
    int[][] p = vae.posterior(pixels, batch);
    return new GaussianBuckets(a.bucketBits(), p[0], p[1], a.latentPrecision(), batch);
  }

  /** p(z): uniform over the buckets, which have equal prior mass. */
  public static Uniform prior(Architecture a, int batch) {
    return new Uniform(a.bucketBits(), a.latent() * batch, batch);
  }

  /**
   * p(x|z) over {@code [pixel][lane]}: one distribution over every pixel where they do not
   * depend on each other, else the pixel loop ({@link AutoRegressive}), one pixel of every lane
   * a step.
   */
  public static Codec<int[]> likelihood(QuantizedVae.PixelParameters params) {
    return likelihood(params, null);
  }

  /** As {@link #likelihood(QuantizedVae.PixelParameters)}, not coding {@code padding}. */
  public static Codec<int[]> likelihood(QuantizedVae.PixelParameters params, Padding padding) {
    Architecture a = params.architecture();
    int batch = params.batch();
    if (!params.causal()) {
      Distribution all = distribution(a, params.all(), batch);
      return padding == null ? all : skipping(all, padding);
    }
    int[][] row = new int[a.parametersPerPixel()][batch];
    return new AutoRegressive(a.dims(), batch, (p, known) -> {
      params.at(p, known, row);
      return distribution(a, row, batch);
    }, padding);
  }

  /** {@code d} over a batch's pixels with its padding skipped, and filled in on pop. */
  private static Codec<int[]> skipping(Distribution d, Padding padding) {
    boolean[] skip = padding.all();
    return new Codec<>() {
      @Override
      public void push(Message m, int[] symbols) {
        d.push(m, symbols, skip);
      }

      @Override
      public int[] pop(Message m) {
        int[] symbols = new int[d.slots()];
        d.pop(m, symbols, skip);
        padding.fillAll(symbols);
        return symbols;
      }
    };
  }

  /**
   * The distribution a model's {@link PixelOutputs} name, from parameters
   * {@code [value][slot]}: Bernoulli from a logit; a discretised logistic from one component's
   * mean and log-scale; a mixture of {@code k} from their means, log-scales and weight logits.
   * One logistic is the mixture of one, coded by its own family, whose frequencies (and so
   * every shard coded with one) predate the mixture.
   */
  static Distribution distribution(Architecture a, int[][] params, int batch) {
    PixelOutputs outs = a.outputs();
    int precision = a.pixelPrecision();
    if (outs.likelihood() == Likelihood.BERNOULLI) {
      return Bernoulli.fromLogitsQ16(params[0], precision, batch);
    }
    int k = outs.components();
    if (k == 1) {
      return new DiscretizedLogistic(params[outs.mean(0)], params[outs.logScale(0)], precision,
          batch);
    }
    return new LogisticMixture(Arrays.copyOfRange(params, outs.mean(0), outs.mean(0) + k),
        Arrays.copyOfRange(params, outs.logScale(0), outs.logScale(0) + k),
        Arrays.copyOfRange(params, outs.weight(0), outs.weight(0) + k), precision, batch);
  }
}
