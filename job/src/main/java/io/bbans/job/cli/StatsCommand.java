package io.bbans.job.cli;

import io.bbans.codec.model.ForwardPass;
import io.bbans.job.stats.StatsJob;
import io.bbans.job.stats.StatsReport;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Figures of an archive: rate per shard and in total, the model's -ELBO, baselines. */
@Command(name = "stats", mixinStandardHelpOptions = true,
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
      + " bzip2 and xz, on the executors")
  boolean baselines;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Option(names = "--chart", paramLabel = "FILE", description = "write a PNG chart of bits/dim"
      + " per shard (beside the baselines with --baselines)")
  Path chart;

  @Option(names = "--pass", description = "integer forward pass: JAVA, ND4J or AUTO")
  ForwardPass pass;

  @Override
  public Integer call() throws Exception {
    StatsJob.Options o = new StatsJob.Options();
    o.input = input;
    o.model = model;
    o.baselines = baselines;
    StatsReport report = withSpark("bbans stats", (sc, settings) -> {
      o.pass = pass(settings, pass);
      return StatsJob.run(sc, o);
    });
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(report.toJson());
    } else {
      report.printTable(out);
    }
    if (chart != null) {
      try (OutputStream c = Files.newOutputStream(chart)) {
        report.writeChart(c);
      }
      if (!json) {
        out.println("chart: " + chart);
      }
    }
    out.flush();
    return 0;
  }
}
