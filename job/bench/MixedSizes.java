import io.bbans.codec.ShardCodec;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.VaeModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Grayscale PNG files of mixed sizes (a folder and its sub-folders, by path), side by side in
 * one run, bits per pixel counting every byte: one bbans shard per model given (as one
 * partition writes it: header, sizes, chain), coded and decoded on this thread (MP/s each
 * way, the pixels compared); JPEG XL lossless (cjxl -d 0 -e 9) and WebP lossless (cwebp
 * -lossless -z 9) of each image alone, and the PNG files themselves. Run with the job's class
 * path under taskset for one core:
 *   taskset -c 1 java -cp "job/target/bbans-job-*.jar:job/target/lib/*" \
 *     job/bench/MixedSizes.java FOLDER LANES MODEL...
 */
public class MixedSizes {
  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int lanes = Integer.parseInt(args[1]);
    List<Path> files;
    try (Stream<Path> s = Files.walk(folder)) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    int n = files.size();
    int[] rows = new int[n];
    int[] cols = new int[n];
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    long pngBytes = 0;
    for (int i = 0; i < n; i++) {
      BufferedImage img = ImageIO.read(files.get(i).toFile());
      rows[i] = img.getHeight();
      cols[i] = img.getWidth();
      pixels.write((byte[]) img.getRaster().getDataElements(0, 0, cols[i], rows[i], null));
      pngBytes += Files.size(files.get(i));
    }
    ImageSet images = ImageSet.mixed(rows, cols, pixels.toByteArray());
    double px = images.pixelCount();
    System.out.printf(Locale.ROOT, "%s: %d images of %s, %.0f pixels%n", folder, n,
        images.shapeText(), px);
    System.out.printf(Locale.ROOT, "%-34s %12s %10s %10s %10s%n", "", "bytes", "bits/px",
        "enc MP/s", "dec MP/s");
    for (int m = 2; m < args.length; m++) {
      VaeModel model = VaeModel.load(args[m]);
      ShardCodec.decode(ShardCodec.encode(model, images, lanes, 1), model); // warm up the JIT
      long t0 = System.nanoTime();
      byte[] shard = ShardCodec.encode(model, images, lanes, 1);
      long t1 = System.nanoTime();
      ImageSet back = ShardCodec.decode(shard, model);
      long t2 = System.nanoTime();
      if (!java.util.Arrays.equals(back.pixels(), images.pixels())) {
        throw new AssertionError("decoded pixels differ");
      }
      System.out.printf(Locale.ROOT, "%-34s %12d %10.4f %10.3f %10.3f%n",
          "bbans " + new File(args[m]).getName() + ", " + lanes + " lanes", shard.length,
          8.0 * shard.length / px, px / 1e6 / ((t1 - t0) / 1e9), px / 1e6 / ((t2 - t1) / 1e9));
    }
    Path tmp = Files.createTempDirectory("mixed-bench");
    long jxl = 0;
    long webp = 0;
    for (int i = 0; i < n; i++) {
      Path pgm = tmp.resolve("i.pgm");
      try (var out = Files.newOutputStream(pgm)) {
        out.write(String.format(Locale.ROOT, "P5\n%d %d\n255\n", cols[i], rows[i]).getBytes());
        out.write(images.pixels(), (int) images.offset(i), rows[i] * cols[i]);
      }
      jxl += run(tmp.resolve("i.jxl"), "cjxl", "-d", "0", "-e", "9", "--num_threads=0",
          pgm.toString(), tmp.resolve("i.jxl").toString());
      webp += run(tmp.resolve("i.webp"), "cwebp", "-quiet", "-lossless", "-z", "9",
          files.get(i).toString(), "-o", tmp.resolve("i.webp").toString());
    }
    System.out.printf(Locale.ROOT, "%-34s %12d %10.4f%n", "JPEG XL -e 9, each image", jxl,
        8.0 * jxl / px);
    System.out.printf(Locale.ROOT, "%-34s %12d %10.4f%n", "WebP lossless -z 9, each image",
        webp, 8.0 * webp / px);
    System.out.printf(Locale.ROOT, "%-34s %12d %10.4f%n", "PNG files as given", pngBytes,
        8.0 * pngBytes / px);
  }

  /** Runs a command that writes {@code out}; its size in bytes. */
  static long run(Path out, String... command) throws Exception {
    Files.deleteIfExists(out);
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
    return Files.size(out);
  }
}
