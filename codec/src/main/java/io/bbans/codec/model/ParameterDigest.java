package io.bbans.codec.model;

import io.bbans.codec.ans.Message;
import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
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
 * <pre>java ... ParameterDigest MODEL IMAGES COUNT BATCH JAVA|AUTO [binarize]</pre>
 */
public final class ParameterDigest {
  private ParameterDigest() {}

  public static void main(String[] args) throws Exception {
    VaeModel model = VaeModel.load(args[0]);
    ImageSet images = Datasets.read(Path.of(args[1]));
    int count = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    ForwardPass pass = ForwardPass.valueOf(args[4]);
    if (args.length > 5 && args[5].equals("binarize")) {
      images = images.binarize(127);
    }
    System.out.println(digest(model.quantized(), images.range(0, count), batch, pass));
  }

  static String digest(QuantizedVae q, ImageSet images, int batch, ForwardPass pass)
      throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (int from = 0; from < images.count(); from += batch) {
      int n = Math.min(batch, images.count() - from);
      int[] x = q.input(images, from, n);
      update(sha, q.posteriorParameters(x, n, pass));
      int[] buckets = q.posterior(x, n, pass).pop(Message.seeded(n, from));
      update(sha, buckets);
      update(sha, q.likelihoodParameters(buckets, n, pass));
      if (q.architecture().hasContext()) {
        update(sha, q.pixelParameters(buckets, x, n, pass));
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
