package io.bbans.codec.bench;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.QuantizedVae;
import io.bbans.codec.model.VaeModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * One shard of {@code count} images, coded and decoded on one thread for each lane count:
 * images/s each way, actual bits/dim, the quantised model's code length on the same images
 * (its negative ELBO under the quantised distributions, one posterior sample per image), and the
 * difference per shard. Every shard is decoded and compared with the input. Run by hand:
 *
 * <pre>OMP_NUM_THREADS=1 java ... ShardBench MODEL IMAGES COUNT LANES[,LANES...] [binarize|rgb]</pre>
 *
 * With {@code rgb}, each IDX image of {@code rows x 3 cols} bytes is an RGB image of
 * {@code rows x cols} pixels (as {@code job/bench/ColourBlocksIdx.java} writes them).
 */
public final class ShardBench {
  private ShardBench() {}

  public static void main(String[] args) throws Exception {
    VaeModel model = VaeModel.load(args[0]);
    ImageSet images = Datasets.read(Path.of(args[1]));
    int count = Math.min(Integer.parseInt(args[2]), images.count());
    images = images.range(0, count);
    if (args.length > 4 && args[4].equals("rgb")) {
      images = new ImageSet(count, images.rows(), images.cols() / 3, 3, images.pixels());
    }
    if (model.architecture().likelihood() == Likelihood.BERNOULLI && !images.isBinary()) {
      images = images.binarize(127);
    }
    int[] laneCounts = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
    QuantizedVae q = model.quantized();
    double dims = (double) count * images.dims();
    double elbo = CodeLength.bitsPerDim(q, images, 64, 1);
    System.out.printf(Locale.ROOT, "model %s (%s), %d images; quantised negative ELBO %.4f"
        + " bits/dim%n", model.architecture(), model.sha256().substring(0, 12), count, elbo);
    System.out.printf(Locale.ROOT, "%6s %12s %12s %12s %14s %16s%n", "lanes", "encode img/s",
        "decode img/s", "bits/dim", "vs -ELBO", "shard - ELBO (bits)");
    for (int lanes : laneCounts) {
      double[] enc = new double[3];
      double[] dec = new double[3];
      byte[] shard = null;
      for (int r = -1; r < enc.length; r++) {
        long t0 = System.nanoTime();
        shard = ShardCodec.encodeCoded(model, images, lanes, 1234);
        long t1 = System.nanoTime();
        ImageSet back = ShardCodec.decode(shard, model);
        long t2 = System.nanoTime();
        if (!Arrays.equals(back.pixels(), images.pixels())) {
          throw new AssertionError("round trip failed at lanes=" + lanes);
        }
        if (r >= 0) {
          enc[r] = count / ((t1 - t0) / 1e9);
          dec[r] = count / ((t2 - t1) / 1e9);
        }
      }
      Arrays.sort(enc);
      Arrays.sort(dec);
      double bpd = shard.length * 8.0 / dims;
      System.out.printf(Locale.ROOT, "%6d %12.0f %12.0f %12.4f %+13.2f%% %16.0f%n", lanes,
          enc[1], dec[1], bpd, 100 * (bpd / elbo - 1), shard.length * 8.0 - elbo * dims);
    }
  }
}
