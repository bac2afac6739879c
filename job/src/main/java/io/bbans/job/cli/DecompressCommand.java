package io.bbans.job.cli;

import io.bbans.job.decompress.DecompressJob;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Decodes an archive back into images, one task per shard. */
@Command(name = "decompress", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Decode an archive folder: every shard in parallel, each checked against the"
        + " manifest (seed, header, SHA-256 of the pixels), written as IDX or PNG.")
public final class DecompressCommand extends SparkCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--input", required = true, description = "archive folder")
  String input;

  @Option(names = "--output", required = true, description = "folder to write the images to")
  String output;

  @Option(names = "--model", description = "model file (default: the one the manifest names)")
  String model;

  @Option(names = "--format", defaultValue = "idx", description = "idx (one file per shard),"
      + " png (one file per image: under its own name and sub-folder when it came from a folder"
      + " of PNG files, else part-NNNNN/INDEX.png), or parquet (an archive made from a table:"
      + " the table, same schema, rows and order, one file per shard)")
  String format;

  @Option(names = "--merge", description = "also write images.idx: all images in their order")
  boolean merge;

  @Option(names = "--overwrite", description = "replace an output folder that is not empty")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    DecompressJob.Options o = new DecompressJob.Options();
    o.input = input;
    o.output = output;
    o.model = model;
    o.merge = merge;
    o.overwrite = overwrite;
    try {
      o.format = DecompressJob.Format.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format is idx, png or parquet, not '" + format + "'");
    }
    DecompressJob.Result r = withSpark("bbans decompress",
        (settings, conf) -> DecompressJob.check(o, conf), (sc, settings, checked) -> {
      o.progress = spec.commandLine().getErr();
      o.pauseMillis = settings.getLong("test.pauseMillis", null, 0);
      return DecompressJob.run(sc, o, checked);
    });
    double total = startupSeconds + r.decodeSeconds + r.commitSeconds;
    spec.commandLine().getOut().printf(Locale.ROOT, "decompressed %d images from %d shards into"
        + " %s%s%n  wall %.2f s, %.0f images/s: spark start %.2f s, decoding stage %.2f s,"
        + " commit %.2f s%n", r.manifest.images(), r.manifest.shards.size(), output,
        merge ? " (and " + DecompressJob.MERGED + ")" : "", total, r.manifest.images() / total,
        startupSeconds, r.decodeSeconds, r.commitSeconds);
    return 0;
  }
}
