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
 * ShardCheck encode MODEL IMAGES COUNT LANES SEED SHARD [mixed|rgb]   prints the pixels' SHA-256
 * ShardCheck decode MODEL SHARD                                       prints the pixels' SHA-256
 * </pre>
 * With {@code mixed}, the images' pixels are recut into images of mixed sizes ({@link #mixed});
 * with {@code rgb}, into RGB images of mixed sizes ({@link #mixedColour}).
 */
public final class ShardCheck {
  private ShardCheck() {}

  public static void main(String[] args) throws Exception {
    VaeModel model = VaeModel.load(args[1]);
    ImageSet images;
    if (args[0].equals("encode")) {
      images = Datasets.read(Path.of(args[2])).range(0, Integer.parseInt(args[3]));
      if (args.length > 7 && args[7].equals("mixed")) {
        images = mixed(images);
      } else if (args.length > 7 && args[7].equals("rgb")) {
        images = mixedColour(images);
      }
      byte[] shard = ShardCodec.encodeCoded(model, images, Integer.parseInt(args[4]),
          Long.parseLong(args[5]));
      Files.write(Path.of(args[6]), shard);
    } else {
      images = ShardCodec.decode(Files.readAllBytes(Path.of(args[2])), model);
    }
    System.out.println("kernels: " + io.bbans.codec.model.Kernels.describe());
    System.out.println(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(images.pixels())));
  }

  /**
   * The same pixels, in order, recut into images of mixed sizes (image {@code i} is
   * {@code 1 + 5i mod 19} by {@code 1 + 3i mod 23}; the pixels left over are dropped).
   */
  public static ImageSet mixed(ImageSet images) {
    return recut(images, 1);
  }

  /** As {@link #mixed}, the samples read as RGB: three a pixel. */
  public static ImageSet mixedColour(ImageSet images) {
    return recut(images, 3);
  }

  private static ImageSet recut(ImageSet images, int channels) {
    java.util.List<int[]> sizes = new java.util.ArrayList<>();
    long used = 0;
    for (int i = 0; ; i++) {
      int r = 1 + 5 * i % 19;
      int c = 1 + 3 * i % 23;
      if (used + (long) r * c * channels > images.pixelCount()) {
        break;
      }
      sizes.add(new int[] {r, c});
      used += (long) r * c * channels;
    }
    int[] rows = sizes.stream().mapToInt(x -> x[0]).toArray();
    int[] cols = sizes.stream().mapToInt(x -> x[1]).toArray();
    return ImageSet.mixed(rows, cols, channels, java.util.Arrays.copyOf(images.pixels(),
        (int) used));
  }
}
