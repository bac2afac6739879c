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
 *
 * <p>With {@code --mixed}, a set of mixed sizes instead: each shrunk photograph cut whole into
 * rectangles of random sizes (bands of 24 to 160 rows, each cut into pieces of 24 to 240
 * columns; seeded by the photo's name), written as {@code OUT/<split>/<photo>/<k>.png}; every
 * fourth photograph (by name) goes to {@code test}, the others to {@code train}, so that no
 * test image shares a photograph with a training one.
 *   java job/bench/PhotoCrops.java --mixed /usr/share/backgrounds/mate/nature OUT [factor]
 */
public class PhotoCrops {
  public static void main(String[] args) throws IOException {
    boolean mixed = args[0].equals("--mixed");
    if (mixed) {
      args = Arrays.copyOfRange(args, 1, args.length);
    }
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
      if (mixed) {
        String split = Arrays.asList(photos).indexOf(photo) % 4 == 3 ? "test" : "train";
        total += pieces(luma, w, h, name, Files.createDirectories(out.resolve(split)
            .resolve(name)));
        continue;
      }
      Path folder = Files.createDirectories(out.resolve(name));
      for (int r = 0; r + side <= h; r += side) {
        for (int c = 0; c + side <= w; c += side) {
          write(luma, w, r, c, side, side, folder.resolve(String.format("%03d-%03d.png",
              r / side, c / side)));
          total++;
        }
      }
    }
    System.out.println(total + (mixed ? " images of mixed sizes" : " tiles of " + side + "x"
        + side) + " from " + photos.length + " photographs under " + out);
  }

  /** Cuts a w x h luma image whole into rectangles of random sizes; returns their number. */
  static int pieces(int[] luma, int w, int h, String name, Path folder) throws IOException {
    java.util.Random random = new java.util.Random(name.hashCode());
    int k = 0;
    for (int top = 0; top < h; ) {
      int rows = Math.min(h - top, 24 + random.nextInt(137));
      for (int left = 0; left < w; ) {
        int cols = Math.min(w - left, 24 + random.nextInt(217));
        write(luma, w, top, left, rows, cols, folder.resolve(String.format("%03d.png", k++)));
        left += cols;
      }
      top += rows;
    }
    return k;
  }

  /** The rows x cols rectangle at (top, left) of a luma image w wide, as a grayscale PNG. */
  static void write(int[] luma, int w, int top, int left, int rows, int cols, Path file)
      throws IOException {
    BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
    byte[] px = new byte[rows * cols];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        px[y * cols + x] = (byte) luma[(top + y) * w + left + x];
      }
    }
    image.getRaster().setDataElements(0, 0, cols, rows, px);
    ImageIO.write(image, "png", file.toFile());
  }
}
