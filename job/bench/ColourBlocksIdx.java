import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The first COUNT 32x32 RGB blocks of a folder (path order, taken evenly over it) as one IDX
 * file of COUNT x 32 x 96 bytes, each row R G B R G B ...: what {@code ShardBench MODEL FILE
 * COUNT LANES rgb} reads back as RGB images, for one-core throughput without Spark.
 *   java job/bench/ColourBlocksIdx.java /tmp/colour/blocks/test blocks.idx 2000
 */
public class ColourBlocksIdx {
  public static void main(String[] args) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    int count = Math.min(Integer.parseInt(args[2]), files.size());
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[1])))) {
      out.writeInt(0x00000803);
      out.writeInt(count);
      out.writeInt(32);
      out.writeInt(96);
      for (int i = 0; i < count; i++) {
        BufferedImage b = ImageIO.read(files.get((int) ((long) i * files.size() / count))
            .toFile());
        int[] px = b.getRaster().getPixels(0, 0, 32, 32, (int[]) null);
        if (px.length != 32 * 32 * 3) {
          throw new IllegalStateException("not a 32x32 RGB block");
        }
        for (int v : px) {
          out.write(v);
        }
      }
    }
    System.out.println(count);
  }
}
