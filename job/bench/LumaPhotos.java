import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * The luma blocks of {@code LumaBlocks} put back together: each block folder of IN (blocks
 * named {@code RRR-CCC.png} by their row and column, as {@code ColourPhotos} cuts them) as one
 * grayscale photograph {@code OUT/<folder>.png}, so that a tile-context model (train
 * --tile-context) trains on every block with its neighbours. Deterministic.
 *   java job/bench/LumaPhotos.java /tmp/luma /tmp/luma-photos
 */
public class LumaPhotos {
  public static void main(String[] args) throws Exception {
    Path in = Path.of(args[0]);
    Path out = Files.createDirectories(Path.of(args[1]));
    File[] folders = in.toFile().listFiles(File::isDirectory);
    Arrays.sort(folders);
    long pixels = 0;
    for (File folder : folders) {
      File[] blocks = folder.listFiles((d, n) -> n.matches("\\d{3}-\\d{3}\\.png"));
      Arrays.sort(blocks);
      int rows = 0;
      int cols = 0;
      int side = 0;
      for (File b : blocks) {
        rows = Math.max(rows, Integer.parseInt(b.getName().substring(0, 3)) + 1);
        cols = Math.max(cols, Integer.parseInt(b.getName().substring(4, 7)) + 1);
      }
      if (blocks.length != rows * cols) {
        throw new IllegalStateException(folder + ": " + blocks.length + " blocks, not a grid of "
            + rows + "x" + cols);
      }
      BufferedImage photo = null;
      for (File b : blocks) {
        BufferedImage block = ImageIO.read(b);
        side = block.getWidth();
        if (photo == null) {
          photo = new BufferedImage(cols * side, rows * side, BufferedImage.TYPE_BYTE_GRAY);
        }
        int r = Integer.parseInt(b.getName().substring(0, 3));
        int c = Integer.parseInt(b.getName().substring(4, 7));
        photo.getRaster().setRect(c * side, r * side, block.getRaster());
      }
      ImageIO.write(photo, "png", out.resolve(folder.getName() + ".png").toFile());
      pixels += (long) photo.getWidth() * photo.getHeight();
    }
    System.out.printf("%d photographs, %d pixels, under %s%n", folders.length, pixels, out);
  }
}
