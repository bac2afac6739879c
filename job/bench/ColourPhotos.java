import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A colour image set from real photographs nobody here made (groundwork for the colour issue):
 * the photographs Debian ships in mate-backgrounds (nature), plasma-workspace-wallpapers (the
 * JPEG photographs, not its rendered PNGs), lomiri-wallpapers-16.04 and -20.04 (the
 * photographs among Ubuntu Touch's wallpapers) and palapeli-data (a jigsaw game's five
 * photographs), each shrunk by an integer factor with area
 * averaging (the mean of each factor x factor block per channel, rounded: JPEG artefacts wash
 * out), then
 * <ul>
 *   <li>cut into 32x32 RGB blocks on a grid from the top-left corner (edges that do not fill
 *       a block dropped): {@code OUT/blocks/<split>/<photo>/<row>-<col>.png};
 *   <li>shrunk whole further until its longer side is at most 480 pixels (a set of mixed
 *       sizes): {@code OUT/whole/<split>/<photo>.png}.
 * </ul>
 * Split by photograph: every fifth (by name) is a test photograph, so no test image shares a
 * photograph with a training one. Deterministic (the JDK's JPEG decoder, integer means), and
 * {@code OUT/SOURCES.tsv} records each source: package, file, SHA-256, size, split, blocks.
 * Photographs that are missing (package not installed) are skipped and listed as such.
 *   apt-get install -y mate-backgrounds plasma-workspace-wallpapers lomiri-wallpapers-16.04 \
 *       lomiri-wallpapers-20.04 palapeli-data
 *   java job/bench/ColourPhotos.java OUT [factor[,factor...]]
 * Further factors (2,3 for the bundled colour model) cut more training blocks from the
 * training photographs at coarser scales, {@code OUT/blocks/train/<photo>-x<factor>/}; the
 * test blocks and whole photos are at the first factor alone.
 */
public class ColourPhotos {
  static final int SIDE = 32;
  static final int WHOLE = 480;

  /** package, file: photographs only (looked at); the drawings and renders left out. */
  static final String[][] SOURCES = {
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/Aqua.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/Blinds.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/Dune.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/FreshFlower.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/Garden.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/GreenMeadow.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/LadyBird.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/RainDrops.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/Storm.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/TwoWings.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/Wood.jpg"},
      {"mate-backgrounds", "/usr/share/backgrounds/mate/nature/YellowFlower.jpg"},
      {"plasma-workspace-wallpapers", wallpaper("Autumn")},
      {"plasma-workspace-wallpapers", wallpaper("BytheWater")},
      {"plasma-workspace-wallpapers", wallpaper("ColdRipple")},
      {"plasma-workspace-wallpapers", wallpaper("ColorfulCups")},
      {"plasma-workspace-wallpapers", wallpaper("DarkestHour")},
      {"plasma-workspace-wallpapers", wallpaper("EveningGlow")},
      {"plasma-workspace-wallpapers", wallpaper("FallenLeaf")},
      {"plasma-workspace-wallpapers", wallpaper("Grey")},
      {"plasma-workspace-wallpapers", wallpaper("Kite")},
      {"plasma-workspace-wallpapers", wallpaper("OneStandsOut")},
      {"plasma-workspace-wallpapers", wallpaper("Path")},
      {"plasma-workspace-wallpapers", wallpaper("summer_1am")},
      // Ubuntu Touch's wallpapers: the photographs (Peter Nerlich's renders, Fossa,
      // Infinite-Sea, umang and Painting-Colors left out)
      {"lomiri-wallpapers-16.04", lomiri("Bridge_by_Sander_Klootwijk")},
      {"lomiri-wallpapers-16.04", lomiri("Dragonfly_by_Bolly")},
      {"lomiri-wallpapers-16.04", lomiri("Picture_0B_by_freespace")},
      {"lomiri-wallpapers-16.04", lomiri("Picture_1A_by_freespace")},
      {"lomiri-wallpapers-16.04", lomiri("Wine_by_Jakkub_Mede")},
      {"lomiri-wallpapers-16.04", lomiri("aitzgorri_by_Aitzol_Berasategi")},
      {"lomiri-wallpapers-16.04", lomiri("friends_by_Aitzol_Berasategi")},
      {"lomiri-wallpapers-16.04", lomiri("life_by_Aitzol_Berasategi")},
      {"lomiri-wallpapers-16.04", lomiri("picosdeeuropa_by_Aitzol_Berasategi")},
      {"lomiri-wallpapers-16.04", lomiri("seeding_by_Clements_Engelhardt")},
      {"lomiri-wallpapers-16.04", lomiri("sunset_by_Aitzol_Berasategi")},
      {"lomiri-wallpapers-20.04", lomiri("Kleiber_by_Lukas_Baubkus")},
      // KDE's jigsaw puzzle game ships five photographs as its puzzles
      {"palapeli-data", "/usr/share/palapeli/collection/castle-maintenon.jpg"},
      {"palapeli-data", "/usr/share/palapeli/collection/cincinnati-bridge.jpg"},
      {"palapeli-data", "/usr/share/palapeli/collection/citrus-fruits.jpg"},
      {"palapeli-data", "/usr/share/palapeli/collection/european-honey-bee.jpg"},
      {"palapeli-data", "/usr/share/palapeli/collection/panther-chameleon-female.jpg"},
  };

  static String lomiri(String name) {
    return "/usr/share/backgrounds/" + name + ".jpg";
  }

  static String wallpaper(String name) {
    return "/usr/share/wallpapers/" + name + "/contents/images/2560x1600.jpg";
  }

  /** Cuts a w x h image whole into SIDE x SIDE blocks under {@code folder}; their number. */
  static int blocks(int[][] rgb, int w, int h, Path folder) throws IOException {
    int n = 0;
    for (int r = 0; r + SIDE <= h; r += SIDE) {
      for (int c = 0; c + SIDE <= w; c += SIDE) {
        write(rgb, w, r, c, SIDE, SIDE, folder.resolve(String.format(Locale.ROOT,
            "%03d-%03d.png", r / SIDE, c / SIDE)));
        n++;
      }
    }
    return n;
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    String[] factors = (args.length > 1 ? args[1] : "2").split(",");
    int factor = Integer.parseInt(factors[0]);
    List<String[]> sources = new ArrayList<>(List.of(SOURCES));
    sources.sort((a, b) -> name(a[1]).compareToIgnoreCase(name(b[1])));
    Files.createDirectories(out);
    int[] blocks = new int[2];
    int[] wholes = new int[2];
    int used = 0;
    try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(out.resolve("SOURCES.tsv")))) {
      tsv.println("package\tfile\tsha256\tsize\tsplit\tfactor\tblocks\twhole");
      for (int i = 0; i < sources.size(); i++) {
        String[] s = sources.get(i);
        Path file = Path.of(s[1]);
        String split = used % 5 == 4 ? "test" : "train";
        if (!Files.isRegularFile(file)) {
          tsv.printf("%s\t%s\tmissing\t\t\t\t\t%n", s[0], s[1]);
          continue;
        }
        used++;
        byte[] bytes = Files.readAllBytes(file);
        BufferedImage photo = ImageIO.read(file.toFile());
        int[][] rgb = shrink(photo, factor);
        int w = photo.getWidth() / factor;
        int h = photo.getHeight() / factor;
        String name = name(s[1]);
        Path blockRoot = out.resolve("blocks").resolve(split);
        int n = blocks(rgb, w, h, Files.createDirectories(blockRoot.resolve(name)));
        // further factors: more training blocks from the training photographs at coarser scales
        // (blocks/train/<photo>-x<factor>/), the test split and whole photos at the first only
        for (int f = 1; f < factors.length && split.equals("train"); f++) {
          int g = Integer.parseInt(factors[f]);
          n += blocks(shrink(photo, g), photo.getWidth() / g, photo.getHeight() / g,
              Files.createDirectories(blockRoot.resolve(name + "-x" + g)));
        }
        int more = 1;
        while (Math.max(w, h) / more > WHOLE) {
          more++;
        }
        int[][] small = shrink(rgb, w, h, more);
        int sw = w / more;
        int sh = h / more;
        Path whole = Files.createDirectories(out.resolve("whole").resolve(split))
            .resolve(name + ".png");
        write(small, sw, 0, 0, sh, sw, whole);
        int k = split.equals("test") ? 1 : 0;
        blocks[k] += n;
        wholes[k]++;
        tsv.printf(Locale.ROOT, "%s\t%s\t%s\t%dx%d\t%s\t%s\t%d\t%dx%d%n", s[0], s[1],
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
            photo.getWidth(), photo.getHeight(), split, split.equals("train")
            ? String.join(",", factors) : factors[0], n, sw, sh);
      }
    }
    System.out.printf(Locale.ROOT, "%d photographs (factors %s): %d training and %d test blocks"
        + " of %dx%d, %d + %d whole photos under %s%n", used, String.join(",", factors), blocks[0],
        blocks[1], SIDE, SIDE, wholes[0], wholes[1], out);
  }

  static String name(String path) {
    Path p = Path.of(path);
    String file = p.getFileName().toString();
    // plasma's files are named by size; the folder two levels up names the photograph
    return file.matches("\\d+x\\d+\\.jpg") ? p.getParent().getParent().getParent()
        .getFileName().toString() : file.replaceFirst("\\.[^.]*$", "");
  }

  /** A photograph shrunk by {@code f}: per channel, the rounded mean of each f x f block. */
  static int[][] shrink(BufferedImage photo, int f) {
    int w = photo.getWidth();
    int h = photo.getHeight();
    int[][] rgb = new int[3][w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = photo.getRGB(x, y);
        rgb[0][y * w + x] = (p >> 16) & 255;
        rgb[1][y * w + x] = (p >> 8) & 255;
        rgb[2][y * w + x] = p & 255;
      }
    }
    return shrink(rgb, w, h, f);
  }

  static int[][] shrink(int[][] rgb, int w, int h, int f) {
    int sw = w / f;
    int sh = h / f;
    int[][] out = new int[3][sw * sh];
    int n = f * f;
    for (int ch = 0; ch < 3; ch++) {
      for (int y = 0; y < sh; y++) {
        for (int x = 0; x < sw; x++) {
          int sum = 0;
          for (int dy = 0; dy < f; dy++) {
            for (int dx = 0; dx < f; dx++) {
              sum += rgb[ch][(y * f + dy) * w + x * f + dx];
            }
          }
          out[ch][y * sw + x] = (sum + n / 2) / n;
        }
      }
    }
    return out;
  }

  /** The rows x cols rectangle at (top, left) of an RGB image w wide, as an 8-bit RGB PNG. */
  static void write(int[][] rgb, int w, int top, int left, int rows, int cols, Path file)
      throws IOException {
    BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        int at = (top + y) * w + left + x;
        image.setRGB(x, y, (rgb[0][at] << 16) | (rgb[1][at] << 8) | rgb[2][at]);
      }
    }
    ImageIO.write(image, "png", file.toFile());
  }
}
