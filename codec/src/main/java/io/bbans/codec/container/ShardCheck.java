package io.bbans.codec.container;

import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.ForwardPass;
import io.bbans.codec.model.VaeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes or decodes one shard in this JVM, for the tests that check that a shard written in one
 * process decodes exactly in another (another JDK, other SIMD settings, the other forward pass).
 *
 * <pre>
 * ShardCheck encode MODEL IMAGES COUNT LANES SEED PASS SHARD   prints SHA-256 of the pixels
 * ShardCheck decode MODEL SHARD PASS                           prints SHA-256 of the pixels
 * </pre>
 */
public final class ShardCheck {
  private ShardCheck() {}

  public static void main(String[] args) throws Exception {
    VaeModel model = VaeModel.load(args[1]);
    ImageSet images;
    if (args[0].equals("encode")) {
      images = Datasets.read(Path.of(args[2])).range(0, Integer.parseInt(args[3]));
      byte[] shard = Shard.encodeCoded(model, images, Integer.parseInt(args[4]),
          Long.parseLong(args[5]), ForwardPass.valueOf(args[6]));
      Files.write(Path.of(args[7]), shard);
    } else {
      images = Shard.decode(Files.readAllBytes(Path.of(args[2])), model,
          ForwardPass.valueOf(args[3]));
    }
    System.out.println(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(images.pixels())));
  }
}
