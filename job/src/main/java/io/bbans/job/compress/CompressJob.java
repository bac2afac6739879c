package io.bbans.job.compress;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.container.Shard;
import io.bbans.codec.container.ShardHeader;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.VaeModel;
import io.bbans.codec.util.Sha256;
import io.bbans.job.archive.Alpha;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.Names;
import io.bbans.job.archive.OutputCommitter;
import io.bbans.job.archive.Overlap;
import io.bbans.job.archive.ShardEntry;
import io.bbans.job.spark.Jobs;
import io.bbans.job.spark.ModelBroadcast;
import io.bbans.job.spark.Progress;
import io.bbans.job.spark.Stop;
import io.bbans.job.table.ImageCell;
import io.bbans.job.table.ImageColumn;
import io.bbans.job.table.TableInput;
import io.bbans.job.table.Tables;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compress: one bits-back chain, one shard, per partition of contiguous images. The driver
 * checks the input, broadcasts the model once and commits the shards the tasks return;
 * each task reads its images, codes them, decodes them again (unless told not to), and writes
 * its shard under an attempt name.
 */
public final class CompressJob {
  private static final Logger LOG = LoggerFactory.getLogger(CompressJob.class);

  /** What to compress and how; resolved from the command line and settings. */
  public static final class Options implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Dataset path; null for the bundled sample. */
    public String input;
    /**
     * For a table: the format Spark reads it in (parquet, orc, json, ...); null when the input
     * is not a table (or is Parquet, found by its files: {@link #table}).
     */
    public String inputFormat;
    /** For a table: the column holding the images ({@code image} by default). */
    public String imageColumn;
    /** A table given in code ({@code df.write().format("bbans")}); null for a path. */
    public transient org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> dataFrame;
    public String output;
    /**
     * Model file or bundled name; {@link #AUTO}: the bundled model of the images' size and kind
     * that codes a sample of them best.
     */
    public String model = "fashion-mnist";
    /** Partitions (shards); 0 for Spark's default parallelism. */
    public int partitions;
    /** Lanes per shard; 0 to choose from the shard's size ({@link Lanes#auto}). */
    public int lanes;
    public long seed = 1;
    public boolean verify = true;
    public boolean overwrite;
    /** For a Bernoulli model: code pixel > binarize as 1. */
    public Integer binarize;
    /** Fault injection for tests: fail this partition's first attempt after it wrote. */
    public int failFirstAttemptOf = -1;
    /** Fault injection for tests: fail every attempt of this partition. */
    public int failEveryAttemptOf = -1;
    /** For tests that stop a run mid-task: each task waits this long before it codes. */
    public long pauseMillis;
    /** Where progress lines go (the command line's stderr); null for none. */
    public transient java.io.PrintWriter progress;

    /** Whether the input is a table: a format or image column given, or Parquet files. */
    public boolean table(Configuration conf) throws IOException {
      return dataFrame != null || inputFormat != null || imageColumn != null || (input != null
          && TableInput.isParquet(input, conf));
    }
  }

  /** The model option that lets the job choose among the bundled models. */
  public static final String AUTO = "auto";

  /** What a finished job reports: its manifest and where the driver's time went. */
  public static final class Result {
    public Manifest manifest;
    public double modelSeconds;
    public double inputSeconds;
    public double codeSeconds;
    public double commitSeconds;
    /** Shards stored as their pixels: the model would have made them larger. */
    public int storedShards;
    /** What each task reported: where its shard was coded and what each step took. */
    public List<ShardCommit> commits;
    /** gzip's bits/dim on a sample of the input (spread over it), to compare the rate with. */
    public double gzipSampleBitsPerDim = Double.NaN;
    public int gzipSampleImages;
    /** With {@code --model auto}: which model was chosen and why, in one line; else null. */
    public String modelChoice;
  }

  private CompressJob() {}

  /**
   * What {@link #check} found: where the run may write, the model, or with {@link #AUTO} the
   * bundled models that could code the images (by name, in order), and the input's shape.
   */
  public static final class Checked {
    public final OutputCommitter committer;
    public final VaeModel model;
    public final java.util.Map<String, VaeModel> candidates;
    final ImageSource.Shape input;

    Checked(OutputCommitter committer, VaeModel model,
        java.util.Map<String, VaeModel> candidates, ImageSource.Shape input) {
      this.committer = committer;
      this.model = model;
      this.candidates = candidates;
      this.input = input;
    }
  }

  /**
   * Everything that can be checked before a Spark session starts or any file is touched: the
   * options' ranges, the model, the input (a regular file or a folder; its shape and count
   * from its header or first PNG, against the model), the output (where this run may write,
   * and not over or inside its input).
   */
  public static Checked check(Options o, Configuration conf) throws IOException {
    if (o.lanes < 0 || o.lanes > Lanes.MAX) {
      throw new IllegalArgumentException("--lanes must be 1.." + Lanes.MAX + " (or auto)");
    }
    if (o.partitions < 0) {
      throw new IllegalArgumentException("--partitions must be at least 1");
    }
    if (o.binarize != null && (o.binarize < 0 || o.binarize > 254)) {
      throw new IllegalArgumentException("--binarize must be in 0..254");
    }
    boolean auto = AUTO.equals(o.model);
    VaeModel model = auto ? null : VaeModel.load(o.model);
    if (o.binarize != null && !auto
        && model.architecture().likelihood() != Likelihood.BERNOULLI) {
      throw new IllegalArgumentException("--binarize needs a bernoulli model; " + o.model
          + " codes 8-bit pixels");
    }
    if (o.input != null) {
      Overlap.refuse("--input", o.input, "--output", o.output, conf);
    }
    boolean table = o.table(conf);
    if (table && o.input == null && o.dataFrame == null) {
      throw new IllegalArgumentException("--input-format and --image-column read a table:"
          + " give it with --input");
    }
    if (table && o.input != null) {
      ImageSource.checkPath(o.input, conf);
    }
    ImageSource.Shape shape = table ? null : ImageSource.shape(o.input, conf);
    String what = o.input == null ? "the bundled sample" : o.input;
    int channels = shape == null ? 1 : shape.channels;
    if (!auto && model.architecture().channels() != channels) {
      throw new IllegalArgumentException(what + " holds " + colours(channels) + " images; "
          + o.model + " codes " + colours(model.architecture().channels()) + " ones");
    }
    java.util.Map<String, VaeModel> candidates = new java.util.LinkedHashMap<>();
    if (auto) {
      // Every model codes images of any size, as tiles of its own size.
      for (String name : VaeModel.DEFAULTS) {
        VaeModel m = VaeModel.load(name);
        if ((o.binarize == null || m.architecture().likelihood() == Likelihood.BERNOULLI)
            && m.architecture().channels() == channels) {
          candidates.put(name, m);
        }
      }
      if (candidates.isEmpty()) {
        throw new IllegalArgumentException("no bundled model codes " + colours(channels)
            + (o.binarize != null ? " images as bits" : " images") + " yet: train one on"
            + " them (./submit.sh train --help) and give it with --model");
      }
    }
    if (!table) {
      checkCount(shape.count, what);
    }
    Path output = new Path(o.output);
    return new Checked(OutputCommitter.prepare(output.getFileSystem(conf), output, o.overwrite,
        "compress-" + UUID.randomUUID()), model, candidates, shape);
  }

  public static Result run(JavaSparkContext sc, Options o) throws IOException {
    return run(sc, o, check(o, sc.hadoopConfiguration()));
  }

  /** As above, with what {@link #check} found for {@code o} (a command's preflight). */
  public static Result run(JavaSparkContext sc, Options o, Checked checked) throws IOException {
    Result result = new Result();
    OutputCommitter committer = checked.committer;
    Broadcast<byte[]> modelBytes = null;
    TableInput table = null;
    try (Stop.Registration onSignal = Jobs.abortOnSignal(sc, committer)) {
      long t0 = System.nanoTime();
      if (checked.input == null) {
        // A table: its columns and rows are checked before the output is touched.
        String column = o.imageColumn == null ? "image" : o.imageColumn;
        table = o.dataFrame != null ? TableInput.of(o.dataFrame, column)
            : TableInput.read(Tables.session(sc), o.inputFormat == null ? "parquet"
            : o.inputFormat, o.input, column);
        checkCount(table.count(), table.description);
      }
      committer.create();
      ImageSource source = table != null ? null : ImageSource.open(o.input,
          committer.staging(), sc.hadoopConfiguration(), checked.input);
      ImageSet sample = table != null ? binarized(table.sample(SAMPLE_IMAGES), o)
          : sample(source, o, sc.hadoopConfiguration());
      gzipRate(sample, result);
      result.inputSeconds = seconds(t0);

      t0 = System.nanoTime();
      String modelName = o.model;
      VaeModel model = checked.model;
      if (model == null) {
        modelName = choose(checked.candidates, sample, (table != null ? table.sampleBitDepth()
            : source.bitDepth()) == 1 || o.binarize != null, result);
        model = checked.candidates.get(modelName);
        LOG.info(result.modelChoice);
      }
      long count = table != null ? table.count() : source.count();
      String description = table != null ? table.description : source.description();
      if (source != null) {
        checkCount(count, description);
      }
      modelBytes = ModelBroadcast.send(sc, model);
      result.modelSeconds = seconds(t0);

      int partitions = o.partitions > 0 ? o.partitions : sc.defaultParallelism();
      partitions = (int) Math.min(partitions, count);
      ShardSpec[] specs = ShardSpec.split(count, partitions);
      LOG.info("compressing {} images of {} from {} into {} shards with model {} ({})",
          count, source != null ? source.shapeText() : "a table", description, partitions,
          modelName, model.sha256().substring(0, 12));

      t0 = System.nanoTime();
      int passes = o.verify ? 2 : 1;
      List<ShardCommit> commits;
      try (Progress progress = new Progress(sc, "bbans compress", count * passes,
          passes, o.progress)) {
        Task task = new Task(o, modelName, source, modelBytes, committer.staging(),
            new SerializableConfiguration(sc.hadoopConfiguration()), progress.accumulator());
        task.column = table != null ? table.column : null;
        commits = Jobs.collect(sc, table != null
            ? table.images(specs).mapPartitionsWithIndex((i, cells) -> java.util.List.of(
                task.run(specs[i], cells)).iterator(), true)
            : sc.parallelize(Arrays.asList(specs), partitions).map(task::run), "bbans compress");
      }
      String[] kept = table == null ? null
          : table.writeKept(committer.staging() + "/kept-columns", specs);
      result.codeSeconds = seconds(t0);

      t0 = System.nanoTime();
      Manifest manifest = new Manifest();
      manifest.modelSha256 = model.sha256();
      manifest.modelName = modelName;
      manifest.likelihood = model.architecture().likelihood();
      if (table != null) {
        Tables.shape(manifest, commits);
        manifest.table = Tables.info(table);
      } else {
        manifest.rows = source.rows();
        manifest.cols = source.cols();
        manifest.bitDepth = source.bitDepth();
        manifest.channels = source.channels();
      }
      manifest.seed = o.seed;
      manifest.source = description;
      for (ShardCommit c : commits) {
        ShardEntry e = c.entry;
        committer.commit(c.attempt, e.file);
        if (e.namesFile != null) {
          committer.commit(c.namesAttempt, e.namesFile);
        }
        if (e.alphaFile != null) {
          committer.commit(c.alphaAttempt, e.alphaFile);
        }
        if (kept != null) {
          Tables.commitKept(committer, kept[e.index], e, sc.hadoopConfiguration());
        }
        LOG.info("committed {}", c.describe());
        manifest.shards.add(e);
        manifest.shardFormatVersion = Math.max(manifest.shardFormatVersion, c.shardVersion);
        if (c.stored) {
          result.storedShards++;
        }
      }
      byte[] json = manifest.toJson();
      Manifest.parse(json);
      committer.writeFile(Manifest.FILE, out -> out.write(json));
      committer.succeed();
      result.commitSeconds = seconds(t0);
      result.manifest = manifest;
      result.commits = commits;
      return result;
    } catch (Throwable e) {
      // Spark's job failures are checked SparkExceptions, invisible to javac: catch all.
      committer.abort(e);
      throw e;
    } finally {
      if (modelBytes != null) {
        ModelBroadcast.release(modelBytes);
      }
      if (table != null) {
        table.close();
      }
    }
  }

  /**
   * The candidate that codes the sample best ({@link ModelChoice}), with the line that says so
   * in {@code result}. A Bernoulli model is a candidate only where every image is known to be
   * binary: PNG files of 1 bit (or {@code --binarize}).
   */
  private static String choose(java.util.Map<String, VaeModel> candidates, ImageSet sample,
      boolean binary, Result result) {
    java.util.Map<String, VaeModel> fit = new java.util.LinkedHashMap<>(candidates);
    fit.values().removeIf(m -> !binary
        && m.architecture().likelihood() == Likelihood.BERNOULLI);
    if (fit.isEmpty()) {
      throw new IllegalArgumentException("no bundled model codes these images; train one on"
          + " them (./submit.sh train --help) and give it with --model");
    }
    ModelChoice choice = ModelChoice.of(fit, sample);
    result.modelChoice = "model " + choice.best + ", chosen for these images: of the bundled"
        + " models that code them, it does best on " + choice.images + " of them ("
        + choice.rates(true, ", ") + " bits/dim); --model chooses another";
    return choice.best;
  }

  /** "grayscale" or "colour (RGB)", for messages. */
  public static String colours(int channels) {
    return channels == 1 ? "grayscale" : "colour (RGB)";
  }

  private static void checkCount(long count, String what) {
    if (count == 0) {
      throw new IllegalArgumentException(what + " holds no images");
    }
  }

  /** Images of the input gzip codes, for the warning when the model codes worse. */
  static final int SAMPLE_IMAGES = 1000;

  /** Runs of images the gzip sample is read in, spread evenly over the input. */
  static final int SAMPLE_RUNS = 50;

  /**
   * A sample of the input, as the shards would hold its pixels: all of it up to
   * {@link #SAMPLE_IMAGES} images, else that many in {@link #SAMPLE_RUNS} runs spread over it
   * (a folder sorted by class would give one class in its first images).
   */
  private static ImageSet sample(ImageSource source, Options o, Configuration conf)
      throws IOException {
    if (source.count() <= SAMPLE_IMAGES) {
      return binarized(source.read(0, (int) source.count(), conf), o);
    }
    List<ImageSet> runs = new java.util.ArrayList<>();
    int run = SAMPLE_IMAGES / SAMPLE_RUNS;
    for (int k = 0; k < SAMPLE_RUNS; k++) {
      long first = (source.count() - run) * k / (SAMPLE_RUNS - 1);
      runs.add(binarized(source.read(first, run, conf), o));
    }
    return ImageSet.concat(runs);
  }

  /** gzip -9's rate on the sample, for the warning when the model codes worse. */
  private static void gzipRate(ImageSet sample, Result result) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes) {
      {
        def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write(sample.pixels());
    }
    result.gzipSampleImages = sample.count();
    result.gzipSampleBitsPerDim = 8.0 * bytes.size() / sample.pixels().length;
  }

  private static ImageSet binarized(ImageSet images, Options o) {
    return o.binarize != null ? images.binarize(o.binarize) : images;
  }

  /** The test-only pause of a task (setting {@code test.pauseMillis}); interruptible. */
  public static void pause(long millis, int partition) throws IOException {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IOException("task of partition " + partition + " cancelled");
    }
  }

  static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** The function every task runs on its one {@link ShardSpec}. */
  static final class Task implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Options o;
    private final String modelName;
    private final ImageSource source;
    private final Broadcast<byte[]> model;
    private final String staging;
    private final SerializableConfiguration conf;
    private final LongAccumulator done;
    /** A table's image column (how to decode its cells); null for other inputs. */
    ImageColumn column;

    Task(Options o, String modelName, ImageSource source, Broadcast<byte[]> model,
        String staging, SerializableConfiguration conf, LongAccumulator done) {
      this.o = o;
      this.modelName = modelName;
      this.source = source;
      this.model = model;
      this.staging = staging;
      this.conf = conf;
      this.done = done;
    }

    ShardCommit run(ShardSpec spec) throws IOException {
      long start = System.nanoTime();
      pause(o.pauseMillis, spec.index);
      long t = System.nanoTime();
      byte[][] alpha = source.hasAlpha() ? new byte[spec.count][] : null;
      ImageSet images = binarized(alpha != null
          ? source.read(spec.first, spec.count, conf.value(), alpha)
          : source.read(spec.first, spec.count, conf.value()), o);
      return code(spec, images, source.names(spec.first, spec.count), alpha, start, seconds(t));
    }

    /** Codes the rows of a table's shard: its partition's cells, in order. */
    ShardCommit run(ShardSpec spec, java.util.Iterator<scala.Tuple2<Long, ImageCell>> cells)
        throws IOException {
      long start = System.nanoTime();
      pause(o.pauseMillis, spec.index);
      long t = System.nanoTime();
      Tables.Decoded d = Tables.decode(spec, column, cells);
      ShardCommit c = code(spec, binarized(d.images, o), null, null, start, seconds(t));
      c.bitDepth = d.bitDepth;
      return c;
    }

    /**
     * Codes one shard's images and writes its attempt files: the shard, and beside it the
     * images' names and alpha planes where given (null for none).
     */
    private ShardCommit code(ShardSpec spec, ImageSet images, String[] names, byte[][] alpha,
        long start, double readSeconds) throws IOException {
      ShardCommit c = new ShardCommit();
      ShardEntry e = new ShardEntry();
      c.entry = e;
      e.index = spec.index;
      e.file = ShardEntry.fileName(spec.index);
      e.firstImage = spec.first;
      e.images = spec.count;
      e.seed = o.seed + spec.index;

      c.readSeconds = readSeconds;
      c.rows = images.uniform() ? images.rows() : 0;
      c.cols = images.uniform() ? images.cols() : 0;

      long t = System.nanoTime();
      VaeModel vae = ModelBroadcast.get(model, modelName);
      c.modelSeconds = seconds(t);

      t = System.nanoTime();
      e.lanes = o.lanes > 0 ? o.lanes : Lanes.auto(images, vae);
      byte[] shard = ShardCodec.encode(vae, images, e.lanes, e.seed, done::add);
      c.codeSeconds = seconds(t);
      ShardHeader header = Shard.read(shard);

      byte[] alphaFile = alpha == null ? null : Alpha.encode(images, alpha);
      if (o.verify) {
        t = System.nanoTime();
        ImageSet back = ShardCodec.decode(header, shard, vae, done::add);
        if (!Arrays.equals(back.pixels(), images.pixels())) {
          throw new IllegalStateException("verify: shard " + spec.index
              + " does not decode to its images; nothing was committed");
        }
        if (alphaFile != null && !Arrays.deepEquals(Alpha.decode(alphaFile, back,
            Alpha.fileName(spec.index)), alpha)) {
          throw new IllegalStateException("verify: shard " + spec.index + "'s alpha file"
              + " does not give back its images' alpha; nothing was committed");
        }
        c.verifySeconds = seconds(t);
      }

      t = System.nanoTime();
      e.originalBytes = images.pixels().length;
      e.compressedBytes = shard.length;
      c.stored = Shard.isStored(header);
      c.shardVersion = header.version();
      e.pixelsSha256 = Sha256.hex(images.pixels(), images.pixels().length);
      e.shardSha256 = header.fileSha256();
      TaskContext ctx = TaskContext.get();
      c.attempt = writeAttempt(e.file, shard, ctx);
      if (names != null) {
        byte[] file = Names.encode(names);
        e.namesFile = Names.fileName(spec.index);
        e.namesBytes = file.length;
        e.namesSha256 = Sha256.hex(file, file.length);
        c.namesAttempt = writeAttempt(e.namesFile, file, ctx);
      }
      if (alphaFile != null) {
        e.alphaFile = Alpha.fileName(spec.index);
        e.alphaBytes = alphaFile.length;
        e.alphaSha256 = Sha256.hex(alphaFile, alphaFile.length);
        c.alphaAttempt = writeAttempt(e.alphaFile, alphaFile, ctx);
      }
      SparkEnv env = SparkEnv.get();
      c.codedBy = "executor " + env.executorId() + " on " + env.blockManager().blockManagerId()
          .host() + ", pid " + ProcessHandle.current().pid() + ", "
          + io.bbans.codec.model.Kernels.describe();
      c.writeSeconds = seconds(t);
      c.seconds = seconds(start);

      if (spec.index == o.failEveryAttemptOf
          || (spec.index == o.failFirstAttemptOf && ctx.attemptNumber() == 0)) {
        throw new IllegalStateException("injected failure of partition " + spec.index
            + ", attempt " + ctx.attemptNumber());
      }
      return c;
    }

    /** Writes {@code bytes} as this attempt's copy of archive file {@code name}; its path. */
    private String writeAttempt(String name, byte[] bytes, TaskContext ctx) throws IOException {
      Path attempt = OutputCommitter.attemptPath(staging, name, ctx.attemptNumber(),
          ctx.taskAttemptId());
      try (OutputStream out = OutputCommitter.createAttempt(attempt, conf.value())) {
        out.write(bytes);
      }
      return attempt.toString();
    }
  }
}
