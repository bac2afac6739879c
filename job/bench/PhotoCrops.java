import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * A grayscale image set from real photographs: each JPEG of a folder (the nature photographs of
 * Debian's mate-backgrounds) turned to 8-bit luma (BT.601, rounded), shrunk by an integer
 * factor (mean of each block, rounded), and cut into SIDE x SIDE tiles, written as PNG files
 * {@code OUT/<photo>/<row>-<col>.png}. Deterministic: the same files give the same set.
 *   java job/bench/PhotoCrops.java /usr/share/backgrounds/mate/nature OUT [factor] [side]
 */
public class PhotoCrops {
  public static void main(String[] args) throws IOException {
    File[] photos = new File(args[0]).listFiles((d, n) -> n.toLowerCase().endsWith(".jpg"));
    Arrays.sort(photos);
    Path out = Path.of(args[1]);
    int factor = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int side = args.length > 3 ? Integer.parseInt(args[3]) : 28;
    int total = 0;
    for (File photo : photos) {
      BufferedImage rgb = ImageIO.read(photo);
      int w = rgb.getWidth() / factor;
      int h = rgb.getHeight() / factor;
      int[] luma = new int[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          long sum = 0;
          for (int dy = 0; dy < factor; dy++) {
            for (int dx = 0; dx < factor; dx++) {
              int p = rgb.getRGB(x * factor + dx, y * factor + dy);
              sum += 299 * ((p >> 16) & 255) + 587 * ((p >> 8) & 255) + 114 * (p & 255);
            }
          }
          long n = 1000L * factor * factor;
          luma[y * w + x] = (int) ((sum + n / 2) / n);
        }
      }
      String name = photo.getName().replaceFirst("\\.[^.]*$", "");
      Path folder = Files.createDirectories(out.resolve(name));
      for (int r = 0; r + side <= h; r += side) {
        for (int c = 0; c + side <= w; c += side) {
          BufferedImage tile = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
          byte[] px = new byte[side * side];
          for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
              px[y * side + x] = (byte) luma[(r + y) * w + c + x];
            }
          }
          tile.getRaster().setDataElements(0, 0, side, side, px);
          ImageIO.write(tile, "png", folder.resolve(String.format("%03d-%03d.png", r / side,
              c / side)).toFile());
          total++;
        }
      }
    }
    System.out.println(total + " tiles of " + side + "x" + side + " from " + photos.length
        + " photographs under " + out);
  }
}
