package io.bbans.job.cli;

import io.bbans.job.archive.Archive;
import io.bbans.job.archive.Overlap;
import io.bbans.job.stats.StatsJob;
import io.bbans.job.stats.StatsReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Figures of an archive: rate per shard and in total, the model's -ELBO, baselines. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Per-shard and total figures of an archive: images, bytes, bits/dim, the"
        + " model's negative ELBO on the same images, overhead; with --baselines gzip, bzip2"
        + " and xz of the same pixels. Every shard is decoded and checked on the way.")
public final class StatsCommand extends SparkCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--input", required = true, description = "archive folder")
  String input;

  @Option(names = "--model", description = "model file (default: the one the manifest names)")
  String model;

  @Option(names = "--baselines", description = "also compress each shard's pixels with gzip,"
      + " bzip2 and xz, on the executors, and with JPEG XL lossless (cjxl -d 0 -e 9, all of a"
      + " shard's images tiled into one strip) where cjxl is on the PATH")
  boolean baselines;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Option(names = "--chart", paramLabel = "FILE", description = "write a PNG chart of bits/dim"
      + " per shard (beside the baselines with --baselines)")
  Path chart;

  @Option(names = "--overwrite", description = "replace an existing --chart file (never one"
      + " inside the archive)")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    StatsJob.Options o = new StatsJob.Options();
    o.input = input;
    o.model = model;
    o.baselines = baselines;
    StatsReport report = withSpark("bbans stats", (settings, hadoop) -> {
      Archive archive = Archive.open(input, hadoop);
      checkChart(hadoop);
      return archive;
    },
        (sc, settings, archive) -> {
      o.progress = spec.commandLine().getErr();
      return StatsJob.run(sc, o, archive);
    });
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(report.toJson());
    } else {
      report.printTable(out);
    }
    if (chart != null) {
      Path target = chart.toAbsolutePath();
      Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try {
        try (OutputStream c = Files.newOutputStream(tmp)) {
          report.writeChart(c);
        }
        if (overwrite) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } else {
          // Never over a file that appeared while the archive was decoded.
          Files.move(tmp, target);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      if (!json) {
        out.println("chart: " + chart);
      }
    }
    out.flush();
    return 0;
  }

  /**
   * Refuses, before any decoding, a chart that cannot or must not be written: in a folder that
   * does not exist, inside the archive, over a folder, or over an existing file without
   * {@code --overwrite}.
   */
  private void checkChart(Configuration hadoop) throws IOException {
    if (chart == null) {
      return;
    }
    Path target = chart.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IllegalArgumentException("--chart " + chart + ": the folder " + parent
          + " does not exist");
    }
    Overlap.refuse("--input", input, "--chart", target.toUri().toString(), chart.toString(),
        hadoop);
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException("--chart " + chart + " is a folder; name a PNG file");
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException("--chart " + chart + " exists and is not a regular"
            + " file; it is never replaced");
      }
      if (!overwrite) {
        throw new IllegalArgumentException("--chart " + chart + " exists; give --overwrite"
            + " to replace it");
      }
    }
  }
}
