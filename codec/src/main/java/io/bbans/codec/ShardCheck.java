package io.bbans.codec;

import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.VaeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes or decodes one shard in this JVM, for the tests that check that a shard written in one
 * process decodes exactly in another (another JDK, other SIMD settings, no ND4J on the class path).
 *
 * <pre>
 * ShardCheck encode MODEL IMAGES COUNT LANES SEED SHARD   prints SHA-256 of the pixels
 * ShardCheck decode MODEL SHARD                           prints SHA-256 of the pixels
 * </pre>
 */
public final class ShardCheck {
  private ShardCheck() {}

  public static void main(String[] args) throws Exception {
    VaeModel model = VaeModel.load(args[1]);
    ImageSet images;
    if (args[0].equals("encode")) {
      images = Datasets.read(Path.of(args[2])).range(0, Integer.parseInt(args[3]));
      byte[] shard = ShardCodec.encodeCoded(model, images, Integer.parseInt(args[4]),
          Long.parseLong(args[5]));
      Files.write(Path.of(args[6]), shard);
    } else {
      images = ShardCodec.decode(Files.readAllBytes(Path.of(args[2])), model);
    }
    System.out.println(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(images.pixels())));
  }
}
