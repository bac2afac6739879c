package io.bbans.codec.bitsback;

import io.bbans.codec.ans.Message;
import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.QuantizedVae;
import io.bbans.codec.model.VaeModel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Prints the SHA-256 of every quantised distribution parameter a model computes for some images:
 * the posterior means and log-sds, the latent buckets drawn from a seeded message, and the
 * likelihood parameters for them. Two JVMs that print the same digest build the same
 * frequencies, so a stream written by one decodes in the other. Run in separate processes by
 * the bit-exactness test:
 *
 * <pre>java ... ParameterDigest MODEL IMAGES COUNT BATCH [binarize]</pre>
 */
public final class ParameterDigest {
  private ParameterDigest() {}

  public static void main(String[] args) throws Exception {
    VaeModel model = VaeModel.load(args[0]);
    ImageSet images = Datasets.read(Path.of(args[1]));
    int count = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    if (args.length > 4 && args[4].equals("binarize")) {
      images = images.binarize(127);
    }
    System.out.println("kernels: " + io.bbans.codec.model.Kernels.describe());
    System.out.println(digest(model.quantized(), images.range(0, count), batch));
  }

  /** The digest of every parameter {@code q} computes for {@code images} in batches. */
  public static String digest(QuantizedVae q, ImageSet images, int batch) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    boolean binary = q.architecture().likelihood() == Likelihood.BERNOULLI;
    int[][] row = new int[q.architecture().parametersPerPixel()][];
    for (int from = 0; from < images.count(); from += batch) {
      int n = Math.min(batch, images.count() - from);
      int[] x = Chain.symbols(images, from, n, binary);
      update(sha, q.encoderOutput(x, n));
      int[] buckets = VaeCodec.posterior(q, x, n).pop(Message.seeded(n, from));
      update(sha, buckets);
      update(sha, q.decoderOutput(buckets, n));
      QuantizedVae.PixelParameters params = q.likelihood(buckets, n);
      if (params.causal()) {
        for (int j = 0; j < row.length; j++) {
          row[j] = new int[n];
        }
        for (int p = 0; p < q.architecture().dims(); p++) {
          params.at(p, x, row);
          for (int[] r : row) {
            update(sha, r);
          }
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void update(MessageDigest sha, int[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4);
    b.asIntBuffer().put(values);
    sha.update(b.array());
  }
}
