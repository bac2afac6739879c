import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The colour blocks of {@code ColourPhotos} as 8-bit luma (BT.601, rounded, as
 * {@code PhotoCrops} makes its grayscale photographs), to train a grayscale model on
 * photographs: every PNG under IN to the same path under OUT, leaving out the photographs named
 * (a block folder is named by its photograph, {@code <photo>} or {@code <photo>-x<factor>}).
 * Deterministic.
 *   java job/bench/LumaBlocks.java /tmp/colour/blocks/train /tmp/luma FreshFlower RainDrops \
 *       YellowFlower
 * (those three are the held-out photographs of {@code PhotoCrops --mixed}, issue 15's set).
 */
public class LumaBlocks {
  public static void main(String[] args) throws Exception {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Set<String> left = Set.of(java.util.Arrays.copyOfRange(args, 2, args.length));
    List<Path> files;
    try (Stream<Path> s = Files.walk(in)) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    int written = 0;
    int skipped = 0;
    for (Path f : files) {
      Path rel = in.relativize(f);
      String photo = rel.getNameCount() > 1 ? rel.getName(0).toString().replaceFirst("-x\\d+$",
          "") : "";
      if (left.contains(photo)) {
        skipped++;
        continue;
      }
      BufferedImage rgb = ImageIO.read(f.toFile());
      int w = rgb.getWidth();
      int h = rgb.getHeight();
      BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = rgb.getRGB(x, y);
          int sum = 299 * ((p >> 16) & 255) + 587 * ((p >> 8) & 255) + 114 * (p & 255);
          grey.getRaster().setSample(x, y, 0, (sum + 500) / 1000);
        }
      }
      Path target = out.resolve(rel.toString());
      Files.createDirectories(target.getParent());
      ImageIO.write(grey, "png", target.toFile());
      written++;
    }
    System.out.printf("%d luma blocks under %s (%d of the photographs left out skipped)%n",
        written, out, skipped);
  }
}
