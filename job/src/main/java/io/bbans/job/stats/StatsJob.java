package io.bbans.job.stats;

import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.VaeModel;
import io.bbans.job.archive.Archive;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.ShardEntry;
import io.bbans.job.spark.Jobs;
import io.bbans.job.spark.ModelBroadcast;
import io.bbans.job.spark.Progress;
import io.bbans.job.spark.ShardReader;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

/**
 * Stats: one task per shard decodes it (so every figure is of images checked against the
 * manifest), computes the model's negative ELBO on them and, if asked, the sizes gzip, bzip2
 * and xz reach on the same pixels. The driver sums them up ({@link StatsReport}).
 */
public final class StatsJob {
  /** Batch (and posterior-sample seed offset) of the ELBO evaluation. */
  static final int ELBO_BATCH = 64;

  public static final class Options implements Serializable {
    private static final long serialVersionUID = 1L;
    public String input;
    public String model;
    public boolean baselines;
    /** Where progress lines go (the command line's stderr); null for none. */
    public transient java.io.PrintWriter progress;
  }

  private StatsJob() {}

  public static StatsReport run(JavaSparkContext sc, Options o) throws IOException {
    return run(sc, o, Archive.open(o.input, sc.hadoopConfiguration()));
  }

  /** As above, on an archive already opened (and so validated) from {@code o.input}. */
  public static StatsReport run(JavaSparkContext sc, Options o, Archive archive)
      throws IOException {
    Manifest manifest = archive.manifest();
    VaeModel model = archive.model(o.model);
    Broadcast<byte[]> modelBytes = ModelBroadcast.send(sc, model);
    try (Progress progress = new Progress(sc, "bbans stats", manifest.images(), 1,
        o.progress)) {
      Task task = new Task(o.baselines, new ShardReader(archive, modelBytes,
          sc.hadoopConfiguration()), progress.accumulator());
      List<ShardStats> rows = Jobs.collect(sc,
          sc.parallelize(manifest.shards, manifest.shards.size()).map(task::run), "bbans stats");
      return new StatsReport(archive.folder(), manifest, rows, o.baselines);
    } finally {
      ModelBroadcast.release(modelBytes);
    }
  }

  static final class Task implements Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean baselines;
    private final ShardReader reader;
    private final LongAccumulator done;

    Task(boolean baselines, ShardReader reader, LongAccumulator done) {
      this.baselines = baselines;
      this.reader = reader;
      this.done = done;
    }

    ShardStats run(ShardEntry s) throws IOException {
      long t0 = System.nanoTime();
      ImageSet images = reader.read(s, done::add);
      reader.checkKept(s);
      ShardStats st = new ShardStats();
      st.decodeSeconds = (System.nanoTime() - t0) / 1e9;
      st.index = s.index;
      st.file = s.file;
      st.images = s.images;
      st.lanes = s.lanes;
      st.originalBytes = s.originalBytes;
      st.compressedBytes = s.compressedBytes;
      if (images.count() > 0) {
        st.negativeElboBits = CodeLength.bitsPerDim(reader.model().quantized(), images,
            ELBO_BATCH, s.seed) * images.pixelCount();
      }
      if (baselines) {
        st.gzipBytes = Baselines.gzip(images.pixels());
        st.bzip2Bytes = Baselines.bzip2(images.pixels());
        st.xzBytes = Baselines.xz(images.pixels());
        st.jpegXlBytes = Baselines.jpegXl(images);
        st.pngBytes = Baselines.png(images, reader.bitDepth());
        st.webpBytes = Baselines.webp(images);
      }
      return st;
    }
  }
}
