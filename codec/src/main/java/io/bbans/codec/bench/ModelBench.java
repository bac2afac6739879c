package io.bbans.codec.bench;

import io.bbans.codec.ans.Message;
import io.bbans.codec.bitsback.Chain;
import io.bbans.codec.bitsback.VaeCodec;
import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.QuantizedVae;
import io.bbans.codec.model.VaeModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Inference throughput of the integer network (its plain-Java pass, the only one), batch 1, 16
 * and 64: images per second through the encoder and the latent decoder (what coding one image
 * costs in network time, before the pixel loop). Run by hand, one thread:
 *
 * <pre>OMP_NUM_THREADS=1 java -cp ... io.bbans.codec.bench.ModelBench MODEL IMAGES [count]</pre>
 */
public final class ModelBench {
  private ModelBench() {}

  public static void main(String[] args) throws Exception {
    VaeModel model = VaeModel.load(args[0]);
    ImageSet images = Datasets.read(Path.of(args[1]));
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
    images = images.range(0, Math.min(count, images.count()));
    if (model.architecture().likelihood() == Likelihood.BERNOULLI && !images.isBinary()) {
      images = images.binarize(127);
    }
    QuantizedVae q = model.quantized();
    System.out.printf(Locale.ROOT, "model %s, %d images%n", model.architecture(), images.count());
    System.out.printf(Locale.ROOT, "%-6s %6s %14s%n", "pass", "batch", "images/s");
    boolean binary = model.architecture().likelihood() == Likelihood.BERNOULLI;
    String pass = "JAVA";
    {
      for (int batch : new int[] {1, 16, 64}) {
        double[] rates = new double[5];
        for (int r = -2; r < rates.length; r++) {
          long t0 = System.nanoTime();
          for (int from = 0; from + batch <= images.count(); from += batch) {
            int[] x = Chain.symbols(images, from, batch, binary);
            int[] buckets = VaeCodec.posterior(q, x, batch).pop(Message.seeded(batch, from));
            q.likelihood(buckets, batch);
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          if (r >= 0) {
            rates[r] = (images.count() / batch * batch) / seconds;
          }
        }
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "%-6s %6d %14.0f%n", pass, batch, rates[rates.length / 2]);
      }
    }
  }
}
