import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/**
 * The colour sample the codec's golden-shard test pins the colour model with (committed as
 * {@code codec/src/test/resources/colour-sample.rgb.gz}): from the test split of
 * {@code ColourPhotos} (photographs no training block comes from), every 600th test block
 * (32x32) in path order, then six crops of mixed sizes from the test photographs shrunk whole.
 * Format: gzip of u32 count, then per image u16 rows and u16 cols, then every image's R, G, B
 * samples, row by row. Deterministic given ColourPhotos' output.
 *   java job/bench/ColourPhotos.java /tmp/colour 2
 *   java job/bench/ColourSample.java /tmp/colour codec/src/test/resources/colour-sample.rgb.gz
 */
public class ColourSample {
  static final int[][] CROPS = {{29, 57}, {1, 1}, {32, 32}, {3, 40}, {60, 29}, {13, 13}};

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    List<Path> blocks;
    try (Stream<Path> s = Files.walk(root.resolve("blocks/test"))) {
      blocks = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    List<Path> wholes;
    try (Stream<Path> s = Files.list(root.resolve("whole/test"))) {
      wholes = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    List<int[]> sizes = new ArrayList<>();
    List<byte[]> samples = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i += 600) {
      BufferedImage b = ImageIO.read(blocks.get(i).toFile());
      sizes.add(new int[] {b.getHeight(), b.getWidth()});
      samples.add(rgb(b, 0, 0, b.getHeight(), b.getWidth()));
    }
    for (int k = 0; k < CROPS.length; k++) {
      BufferedImage w = ImageIO.read(wholes.get(k % wholes.size()).toFile());
      int h = CROPS[k][0];
      int c = CROPS[k][1];
      int top = (w.getHeight() - h) * (k + 1) / (CROPS.length + 1);
      int left = (w.getWidth() - c) * (CROPS.length - k) / (CROPS.length + 1);
      sizes.add(new int[] {h, c});
      samples.add(rgb(w, top, left, h, c));
    }
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
        Files.newOutputStream(Path.of(args[1]))))) {
      out.writeInt(sizes.size());
      for (int[] s : sizes) {
        out.writeShort(s[0]);
        out.writeShort(s[1]);
      }
      for (byte[] s : samples) {
        out.write(s);
      }
    }
    System.out.println(sizes.size() + " images written to " + args[1]);
  }

  static byte[] rgb(BufferedImage img, int top, int left, int h, int w) {
    int[] px = img.getRaster().getPixels(left, top, w, h, (int[]) null);
    if (img.getRaster().getNumBands() != 3) {
      throw new IllegalStateException("not RGB");
    }
    byte[] out = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      out[i] = (byte) px[i];
    }
    return out;
  }
}
