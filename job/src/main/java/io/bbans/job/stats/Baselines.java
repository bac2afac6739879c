package io.bbans.job.stats;

import io.bbans.codec.image.ImageSet;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Generic compressors on the same pixel bytes, for comparison: gzip -9, bzip2 -9 and xz -6
 * (xz's default preset; -9 needs 674 MB per task for a few MB of input and gains little here),
 * and JPEG XL lossless ({@code cjxl -d 0 -e 9}) on all the shard's images tiled into one strip
 * (on each image alone where their sizes differ), when {@code cjxl} is on the executor's PATH;
 * PNG of each image (ImageIO's writer, the files {@code decompress --format png} writes) and
 * WebP lossless ({@code cwebp -lossless -z 9}) of each image, when {@code cwebp} is there.
 */
public final class Baselines {
  private Baselines() {}

  static long gzip(byte[] data) {
    return size(data, out -> new GZIPOutputStream(out, 1 << 16) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    });
  }

  static long bzip2(byte[] data) {
    return size(data, out -> new BZip2CompressorOutputStream(out, 9));
  }

  /** Bytes of xz -6 on {@code data}. */
  public static long xz(byte[] data) {
    return size(data, out -> new XZOutputStream(out, new LZMA2Options(6)));
  }

  /** Seconds cjxl may take on one shard's strip before the baseline is given up. */
  static final long CJXL_SECONDS = 900;

  /** The cjxl executable on the PATH, or null. */
  static Path cjxl() {
    return onPath("cjxl");
  }

  /** The executable {@code name} on the PATH, or null. */
  static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Bytes of each image as a PNG file of its bit depth, as decompress writes them, summed. */
  static long png(ImageSet images, int bitDepth) throws IOException {
    long total = 0;
    for (int i = 0; i < images.count(); i++) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      javax.imageio.ImageIO.write(io.bbans.job.decompress.DecompressJob.toImage(images, i,
          bitDepth), "png", bytes);
      total += bytes.size();
    }
    return total;
  }

  /** The largest side WebP takes. */
  static final int WEBP_MAX_SIDE = 16383;

  /**
   * Bytes of WebP lossless ({@code cwebp -lossless -z 9}) on each image alone, summed; -1
   * without cwebp, if an image is larger than WebP takes, or if it fails.
   */
  static long webp(ImageSet images) {
    Path cwebp = onPath("cwebp");
    if (cwebp == null || images.count() == 0) {
      return -1;
    }
    return inTempDir("bbans-webp", dir -> {
      long total = 0;
      for (int i = 0; i < images.count(); i++) {
        if (images.rows(i) > WEBP_MAX_SIDE || images.cols(i) > WEBP_MAX_SIDE) {
          return -1;
        }
        Path in = writePnm(dir, images.cols(i), images.rows(i), images.channels(),
            java.util.Arrays.copyOfRange(images.pixels(), (int) images.offset(i),
            (int) images.offset(i + 1)));
        long n = run(dir.resolve("image.webp"), cwebp.toString(), "-quiet", "-lossless", "-z",
            "9", in.toString(), "-o", dir.resolve("image.webp").toString());
        if (n < 0) {
          return -1;
        }
        total += n;
      }
      return total;
    });
  }

  /**
   * Bytes of JPEG XL lossless on the images side by side in one strip (rows x count*cols), as
   * the reference figures in BENCHMARKS.md were measured, or for images of mixed sizes on each
   * image alone (the sum of the files); -1 without cjxl or if it fails.
   */
  static long jpegXl(ImageSet images) {
    Path cjxl = cjxl();
    if (cjxl == null || images.count() == 0) {
      return -1;
    }
    return inTempDir("bbans-jxl", dir -> {
      if (!images.uniform()) {
        long total = 0;
        for (int i = 0; i < images.count(); i++) {
          long n = cjxl(cjxl, dir, images.cols(i), images.rows(i), images.channels(),
              java.util.Arrays.copyOfRange(
              images.pixels(), (int) images.offset(i), (int) images.offset(i + 1)));
          if (n < 0) {
            return -1;
          }
          total += n;
        }
        return total;
      }
      int r = images.rows();
      int c = images.cols() * images.channels(); // bytes a row
      int n = images.count();
      byte[] strip = new byte[n * r * c];
      for (int row = 0; row < r; row++) {
        for (int k = 0; k < n; k++) {
          System.arraycopy(images.pixels(), k * r * c + row * c, strip, (row * n + k) * c, c);
        }
      }
      return cjxl(cjxl, dir, (long) images.cols() * n, r, images.channels(), strip);
    });
  }

  private interface InDir {
    long run(Path dir) throws IOException, InterruptedException;
  }

  /** {@code work} in a new temporary folder, deleted after; -1 where it fails. */
  private static long inTempDir(String prefix, InDir work) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory(prefix);
      return work.run(dir);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } finally {
      deleteAll(dir);
    }
  }

  /** Deletes a temporary folder of files, if there is one; what is left is not worth failing. */
  private static void deleteAll(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temporary file left behind is not worth failing the stats for
    }
  }

  /** Bytes of {@code cjxl -d 0 -e 9} on one grayscale or RGB image, or -1 if it fails. */
  private static long cjxl(Path cjxl, Path dir, long width, int height, int channels,
      byte[] pixels) throws IOException, InterruptedException {
    Path pgm = writePnm(dir, width, height, channels, pixels);
    Path jxl = dir.resolve("image.jxl");
    return run(jxl, cjxl.toString(), "-d", "0", "-e", "9", pgm.toString(), jxl.toString());
  }

  /** One grayscale (PGM) or RGB (PPM) image in {@code dir}; its path. */
  private static Path writePnm(Path dir, long width, int height, int channels, byte[] pixels)
      throws IOException {
    Path pnm = dir.resolve(channels == 3 ? "image.ppm" : "image.pgm");
    try (OutputStream out = Files.newOutputStream(pnm)) {
      out.write(String.format(Locale.ROOT, "%s\n%d %d\n255\n", channels == 3 ? "P6" : "P5",
          width, height).getBytes(StandardCharsets.US_ASCII));
      out.write(pixels);
    }
    return pnm;
  }

  /**
   * Runs {@code command}, which writes {@code result}: its size, or -1 if it fails or takes
   * longer than {@link #CJXL_SECONDS}.
   */
  private static long run(Path result, String... command) throws IOException,
      InterruptedException {
    Files.deleteIfExists(result);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
        ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(CJXL_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue() == 0 && Files.exists(result) ? Files.size(result) : -1;
  }

  private interface Wrap {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static long size(byte[] data, Wrap wrap) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(data.length / 2 + 64);
    try (OutputStream out = wrap.wrap(buffer)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.size();
  }
}
