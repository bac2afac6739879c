package io.bbans.codec.bitsback;

import io.bbans.codec.ans.Distribution;
import io.bbans.codec.ans.GaussianBuckets;
import io.bbans.codec.ans.Message;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Architecture;
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
    Architecture a = vae.architecture();
    int l = a.latent();
    int d = a.dims();
    int[] x = Chain.symbols(images, from, batch, a.likelihood() == Likelihood.BERNOULLI);
    GaussianBuckets q = VaeCodec.posterior(vae, x, batch);
    int[] buckets = q.pop(Message.seeded(batch, seed));
    QuantizedVae.PixelParameters params = vae.likelihood(buckets, batch);
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
        bits[i % batch] += p.informationBits(i, x[i]);
      }
      return bits;
    }
    int[][] row = new int[a.parametersPerPixel()][batch];
    for (int p = 0; p < d; p++) {
      params.at(p, x, row);
      Distribution dist = VaeCodec.distribution(a, row, batch);
      for (int b = 0; b < batch; b++) {
        bits[b] += dist.informationBits(b, x[p * batch + b]);
      }
    }
    return bits;
  }

  /** Mean code length in bits per dimension over a whole set, batches of {@code batch}. */
  public static double bitsPerDim(QuantizedVae vae, ImageSet images, int batch, long seed) {
    double total = 0;
    for (int from = 0; from < images.count(); from += batch) {
      int n = Math.min(batch, images.count() - from);
      for (double b : bits(vae, images, from, n, seed + from)) {
        total += b;
      }
    }
    return total / ((double) images.count() * vae.architecture().dims());
  }
}
