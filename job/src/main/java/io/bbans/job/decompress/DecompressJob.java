package io.bbans.job.decompress;

import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.image.Idx;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.VaeModel;
import io.bbans.job.archive.Archive;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.OutputCommitter;
import io.bbans.job.archive.Overlap;
import io.bbans.job.archive.ShardEntry;
import io.bbans.job.compress.CompressJob;
import io.bbans.job.compress.PngKind;
import io.bbans.job.spark.Jobs;
import io.bbans.job.spark.ModelBroadcast;
import io.bbans.job.spark.Progress;
import io.bbans.job.spark.ShardReader;
import io.bbans.job.spark.Stop;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

/**
 * Decompress: the driver validates the archive, then one task per shard decodes its chain,
 * checks the seed, the header and the pixels' SHA-256 against the manifest, and writes the
 * images under an attempt name; the driver commits them as for compress.
 */
public final class DecompressJob {
  /** The merged file {@code --merge} writes: every image, in the original order. */
  public static final String MERGED = "images.idx";

  public enum Format { IDX, PNG, PARQUET }

  public static final class Options implements Serializable {
    private static final long serialVersionUID = 1L;
    public String input;
    public String output;
    /** Model file or bundled name; null for the one the manifest names. */
    public String model;
    public Format format = Format.IDX;
    public boolean merge;
    public boolean overwrite;
    /** For tests that stop a run mid-task: each task waits this long before it decodes. */
    public long pauseMillis;
    /** Where progress lines go (the command line's stderr); null for none. */
    public transient java.io.PrintWriter progress;
  }

  public static final class Result {
    public Manifest manifest;
    public List<DecodedPart> parts;
    public double decodeSeconds;
    public double commitSeconds;
  }

  private DecompressJob() {}

  /** What {@link #check} found: the archive, opened and validated, and the output's committer. */
  public static final class Checked {
    public final Archive archive;
    public final OutputCommitter committer;

    Checked(Archive archive, OutputCommitter committer) {
      this.archive = archive;
      this.committer = committer;
    }
  }

  /**
   * What can be checked before a Spark session or any file is touched: the options, the
   * archive (its manifest and files), the output (where this run may write, not over or inside
   * the archive).
   */
  public static Checked check(Options o, Configuration conf) throws IOException {
    if (o.merge && o.format != Format.IDX) {
      throw new IllegalArgumentException("--merge writes one IDX file; it needs --format idx");
    }
    Overlap.refuse("--input", o.input, "--output", o.output, conf);
    Archive archive = Archive.open(o.input, conf);
    if (o.format == Format.IDX && archive.manifest().channels > 1) {
      throw new IllegalArgumentException(o.input + " holds colour images, which come back as"
          + " PNG files: use --format png");
    }
    if (o.format == Format.IDX && archive.manifest().hasAlpha()) {
      throw new IllegalArgumentException(o.input + " keeps alpha channels, which an IDX file"
          + " cannot hold: use --format png");
    }
    if (o.format == Format.IDX && archive.manifest().mixedSizes()) {
      throw new IllegalArgumentException(o.input + " holds images of mixed sizes, which an IDX"
          + " file cannot: use --format png");
    }
    if (o.format == Format.PARQUET && archive.manifest().table == null) {
      throw new IllegalArgumentException(o.input + " was not made from a table: there is no"
          + " table to give back; use --format png or idx");
    }
    Path output = new Path(o.output);
    return new Checked(archive, OutputCommitter.prepare(output.getFileSystem(conf), output,
        o.overwrite, "decompress-" + UUID.randomUUID()));
  }

  public static Result run(JavaSparkContext sc, Options o) throws IOException {
    return run(sc, o, check(o, sc.hadoopConfiguration()));
  }

  /** As above, with what {@link #check} found for {@code o} (a command's preflight). */
  public static Result run(JavaSparkContext sc, Options o, Checked checked) throws IOException {
    OutputCommitter committer = checked.committer;
    Archive archive = checked.archive;
    Manifest manifest = archive.manifest();
    VaeModel model = archive.model(o.model);
    Broadcast<byte[]> modelBytes = ModelBroadcast.send(sc, model);

    FileSystem fs = committer.output().getFileSystem(sc.hadoopConfiguration());
    Result result = new Result();
    result.manifest = manifest;
    try (Stop.Registration onSignal = Jobs.abortOnSignal(sc, committer)) {
      committer.create();
      long t0 = System.nanoTime();
      if (o.format == Format.PARQUET) {
        result.parts = io.bbans.job.table.TableOutput.write(sc, archive, o.model, committer);
        result.decodeSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        committer.succeed();
        result.commitSeconds = (System.nanoTime() - t0) / 1e9;
        return result;
      }
      List<DecodedPart> parts;
      try (Progress progress = new Progress(sc, "bbans decompress", manifest.images(), 1,
          o.progress)) {
        Task task = new Task(o, new ShardReader(archive, modelBytes, sc.hadoopConfiguration()),
            committer.staging(), progress.accumulator());
        parts = Jobs.collect(sc,
            sc.parallelize(manifest.shards, manifest.shards.size()).map(task::run),
            "bbans decompress");
      }
      result.decodeSeconds = (System.nanoTime() - t0) / 1e9;

      t0 = System.nanoTime();
      StringBuilder written = new StringBuilder();
      for (DecodedPart p : parts) {
        if (p.names != null) {
          committer.commitFiles(p.attempt, p.names);
          for (String name : p.names) {
            written.append(name).append('\n');
          }
        } else {
          committer.commit(p.attempt, p.file);
        }
        p.attempt = null;
      }
      if (written.length() > 0) {
        byte[] list = written.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        committer.writeFile(OutputCommitter.FILES, out -> out.write(list));
      }
      if (o.merge) {
        committer.writeFile(MERGED, out -> merge(fs, committer, manifest, parts, out));
      }
      committer.succeed();
      result.commitSeconds = (System.nanoTime() - t0) / 1e9;
      result.parts = parts;
      return result;
    } catch (Throwable e) {
      // Spark's job failures are checked SparkExceptions, invisible to javac: catch all.
      committer.abort(e);
      throw e;
    } finally {
      ModelBroadcast.release(modelBytes);
    }
  }

  /** One IDX of all images: one header, then each part's pixels, in shard order. */
  private static void merge(FileSystem fs, OutputCommitter committer, Manifest m,
      List<DecodedPart> parts, OutputStream out) throws IOException {
    long total = m.images();
    if (total > 0xFFFFFFFFL) {
      throw new IllegalArgumentException(total + " images do not fit one IDX file; use the"
          + " per-shard files");
    }
    DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    Idx.writeHeader(d, total, m.rows, m.cols);
    for (DecodedPart p : parts) {
      try (InputStream in = fs.open(committer.committed(p.file))) {
        in.skipNBytes(16);
        in.transferTo(d);
      }
    }
    d.flush();
  }

  static String partName(int index, Format format) {
    String base = String.format(Locale.ROOT, "part-%05d", index);
    return format == Format.IDX ? base + ".idx" : base;
  }

  static final class Task implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Options o;
    private final ShardReader reader;
    private final String staging;
    private final LongAccumulator done;

    Task(Options o, ShardReader reader, String staging, LongAccumulator done) {
      this.o = o;
      this.reader = reader;
      this.staging = staging;
      this.done = done;
    }

    DecodedPart run(ShardEntry s) throws IOException {
      CompressJob.pause(o.pauseMillis, s.index);
      long start = System.nanoTime();
      String[] names = o.format == Format.PNG ? reader.names(s) : null;
      ImageSet images = reader.read(s, done::add);
      byte[][] alpha = o.format == Format.PNG ? reader.alpha(s, images) : null;
      DecodedPart p = new DecodedPart();
      p.names = names;
      p.index = s.index;
      p.images = s.images;
      p.file = partName(s.index, o.format);
      p.decodeSeconds = (System.nanoTime() - start) / 1e9;

      TaskContext ctx = TaskContext.get();
      Path attempt = OutputCommitter.attemptPath(staging, p.file, ctx.attemptNumber(),
          ctx.taskAttemptId());
      if (o.format == Format.IDX) {
        try (OutputStream out = new BufferedOutputStream(
            OutputCommitter.createAttempt(attempt, reader.conf()), 1 << 16)) {
          Idx.write(images, out);
        }
      } else {
        OutputCommitter.mkdirAttempt(attempt, reader.conf());
        for (int i = 0; i < images.count(); i++) {
          String name = names != null ? names[i]
              : String.format(Locale.ROOT, "%09d.png", s.firstImage + i);
          OutputCommitter.mkdirsUnder(attempt, name, reader.conf());
          Path png = new Path(attempt, name);
          try (OutputStream out = new BufferedOutputStream(
              OutputCommitter.createAttempt(png, reader.conf()))) {
            ImageIO.write(toImage(images, i, reader.bitDepth(), alpha == null ? null
                : alpha[i]), "png", out);
          }
        }
      }
      p.attempt = attempt.toString();
      p.seconds = (System.nanoTime() - start) / 1e9;
      return p;
    }
  }

  /**
   * Image {@code i} as a grayscale image of {@code bitDepth} bits: 8-bit as it is; 1, 2 or 4
   * bits, each value divided back by {@link PngKind#scale} (a gray-ramp palette, which the PNG
   * writer writes as grayscale of that depth). Colour images as 8-bit RGB.
   */
  public static BufferedImage toImage(ImageSet images, int i, int bitDepth) {
    return toImage(images, i, bitDepth, null);
  }

  /**
   * As above, with {@code alpha} (rows x cols samples, or null for none) as the image's alpha
   * channel: 8-bit RGBA, or 8-bit grey with alpha, which the PNG writer writes as such.
   */
  /**
   * 8-bit samples interleaved a pixel at a time (grey or R, G, B, then alpha where
   * {@code alpha}) as an image the PNG writer writes as 8-bit grey with alpha, RGB or RGBA.
   */
  private static BufferedImage interleaved(byte[] samples, int rows, int cols, boolean colour,
      boolean alpha) {
    int n = (colour ? 3 : 1) + (alpha ? 1 : 0);
    int[] bands = new int[n];
    for (int b = 0; b < n; b++) {
      bands[b] = b;
    }
    java.awt.image.ComponentColorModel model = new java.awt.image.ComponentColorModel(
        java.awt.color.ColorSpace.getInstance(colour ? java.awt.color.ColorSpace.CS_sRGB
            : java.awt.color.ColorSpace.CS_GRAY), alpha, false,
        alpha ? java.awt.Transparency.TRANSLUCENT : java.awt.Transparency.OPAQUE,
        java.awt.image.DataBuffer.TYPE_BYTE);
    java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
        new java.awt.image.DataBufferByte(samples, samples.length), cols, rows, cols * n, n,
        bands, null);
    return new BufferedImage(model, raster, false, null);
  }

  public static BufferedImage toImage(ImageSet images, int i, int bitDepth, byte[] alpha) {
    int rows = images.rows(i);
    int cols = images.cols(i);
    byte[] pixels = java.util.Arrays.copyOfRange(images.pixels(), (int) images.offset(i),
        (int) images.offset(i + 1));
    if (alpha != null) {
      int channels = images.channels();
      if (bitDepth != 8 || alpha.length * channels != pixels.length) {
        throw new CorruptStreamException("an alpha plane of " + alpha.length + " samples for"
            + " a " + rows + "x" + cols + " image of " + bitDepth + "-bit samples");
      }
      byte[] samples = new byte[alpha.length * (channels + 1)];
      for (int p = 0; p < alpha.length; p++) {
        System.arraycopy(pixels, p * channels, samples, p * (channels + 1), channels);
        samples[p * (channels + 1) + channels] = alpha[p];
      }
      return interleaved(samples, rows, cols, channels == 3, true);
    }
    if (images.channels() == 3) {
      return interleaved(pixels, rows, cols, true, false);
    }
    if (bitDepth == 8) {
      BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
      image.getRaster().setDataElements(0, 0, cols, rows, pixels);
      return image;
    }
    int levels = 1 << bitDepth;
    int scale = PngKind.scale(bitDepth);
    byte[] ramp = new byte[levels];
    for (int v = 0; v < levels; v++) {
      ramp[v] = (byte) (v * scale);
    }
    BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_BINARY,
        new IndexColorModel(bitDepth, levels, ramp, ramp, ramp));
    java.awt.image.WritableRaster r = image.getRaster();
    for (int p = 0; p < pixels.length; p++) {
      int v = pixels[p] & 0xFF;
      if (v % scale != 0) {
        throw new CorruptStreamException("pixel value " + v + " is not one of a "
            + bitDepth + "-bit image's");
      }
      r.setSample(p % cols, p / cols, 0, v / scale);
    }
    return image;
  }
}
