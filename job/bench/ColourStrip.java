import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The RGB PNG images under a folder (recursively, sorted by path), all the same size, side by
 * side in one strip written as a binary PPM: the JPEG XL "strip" baseline of the colour set
 * (job/bench/colour-baselines.sh). Prints the number of images.
 *   java job/bench/ColourStrip.java FOLDER OUT.ppm
 */
public class ColourStrip {
  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    BufferedImage first = ImageIO.read(files.get(0).toFile());
    int h = first.getHeight();
    int w = first.getWidth();
    int n = files.size();
    byte[] strip = new byte[3 * h * w * n];
    for (int k = 0; k < n; k++) {
      BufferedImage im = ImageIO.read(files.get(k).toFile());
      if (im.getWidth() != w || im.getHeight() != h) {
        throw new IllegalArgumentException(files.get(k) + " is not " + w + "x" + h);
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = im.getRGB(x, y);
          int at = 3 * (y * w * n + k * w + x);
          strip[at] = (byte) (p >> 16);
          strip[at + 1] = (byte) (p >> 8);
          strip[at + 2] = (byte) p;
        }
      }
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[1])))) {
      out.write(("P6\n" + (w * n) + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
      out.write(strip);
    }
    System.out.println(n);
  }
}
