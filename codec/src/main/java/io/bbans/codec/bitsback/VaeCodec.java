package io.bbans.codec.bitsback;

import io.bbans.codec.ans.Codec;
import io.bbans.codec.ans.Codecs;
import io.bbans.codec.model.ForwardPass;
import io.bbans.codec.model.QuantizedVae;

/**
 * The bits-back codec of a batch of images with a quantised VAE. A value is the batch's pixels
 * image-major ({@code pixels[b * dims + p]}, as the network reads them); image {@code b} is coded
 * on lane {@code b}. One encoder and one decoder pass per batch, each way.
 */
public final class VaeCodec {
  private VaeCodec() {}

  /** The codec for batches of exactly {@code batch} images. */
  public static Codec<int[]> forBatch(QuantizedVae vae, int batch, ForwardPass pass) {
    int dims = vae.architecture().dims();
    return new BitsBack<int[], int[]>(
        vae.prior(batch),
        buckets -> Codecs.map(vae.likelihood(buckets, batch, pass),
            (int[] imageMajor) -> transpose(imageMajor, batch, dims),
            pixelMajor -> transpose(pixelMajor, dims, batch)),
        imageMajor -> vae.posterior(imageMajor, batch, pass));
  }

  /** {@code rows x cols} row-major to {@code cols x rows} row-major. */
  static int[] transpose(int[] a, int rows, int cols) {
    int[] t = new int[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
    return t;
  }
}
