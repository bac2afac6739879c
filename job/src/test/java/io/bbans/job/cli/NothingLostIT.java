package io.bbans.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.bbans.job.cluster.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's cases that need a process of their own, run as a user runs them:
 * {@code ./submit.sh} on the embedded master, with the shipped logging configuration. SIGTERM
 * and SIGINT mid-run, {@code kill -9} of the driver, two runs into one output, and a task's
 * failure reported in one line. Each checks the exit status, the line, and that the previous
 * archive or output is byte for byte what it was. A test-only setting
 * ({@code spark.bbans.test.pauseMillis}) holds each task before it codes, so that the signal
 * lands while tasks run.
 */
class NothingLostIT {
  static final Path SUBMIT = StandaloneCluster.ROOT.resolve("submit.sh");
  static final String PAUSE = "spark.bbans.test.pauseMillis=";

  @TempDir
  static Path dir;
  static Path archive;

  @BeforeAll
  static void makeArchive() throws Exception {
    archive = dir.resolve("archive");
    Done d = finish(start(List.of(), "compress", "--output", archive.toString(),
        "--partitions", "2"));
    assertEquals(0, d.code, d.log);
  }

  record Running(Process process, Path log) {}

  record Done(int code, String log) {
    /** The lines a user reads, less the JVM's incubator notice and the job's INFO lines. */
    List<String> lines() {
      return log.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")
          && !l.matches("\\d\\d:\\d\\d:\\d\\d INFO .*")).toList();
    }
  }

  static Running start(List<String> spark, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(SUBMIT.toString()));
    cmd.addAll(spark);
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "run-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(StandaloneCluster.ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.remove("SPARK_HOME");
    env.remove("BBANS_DEBUG");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_OPTS", "-Xmx1g");
    return new Running(pb.start(), log);
  }

  static Done finish(Running r) throws Exception {
    if (!r.process.waitFor(5, TimeUnit.MINUTES)) {
      r.process.destroyForcibly();
      throw new IllegalStateException("ran over 5 minutes:\n" + Files.readString(r.log));
    }
    return new Done(r.process.exitValue(), Files.readString(r.log));
  }

  /** Waits until the run into {@code out} has tasks running: its staging folder exists. */
  static void awaitTasks(Running r, Path out) throws Exception {
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < end && r.process.isAlive()) {
      for (Path w : workFolders(out)) {
        Path staging = w.resolve("_temporary");
        if (Files.isDirectory(staging)) {
          // The tasks start (and pause) right after the staging folder appears.
          Thread.sleep(2000);
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no task started:\n" + Files.readString(r.log));
  }

  /** The work folders of runs into {@code out}, beside it. */
  static List<Path> workFolders(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out.getParent())) {
      return s.filter(p -> p.getFileName().toString().startsWith("." + out.getFileName()
          + ".bbans-")).toList();
    }
  }

  static void signal(Running r, String name) throws Exception {
    // A JVM honours a SIGINT that its parent ignores (as for a background job): nothing to test.
    String status = Files.readString(Path.of("/proc/" + r.process.pid() + "/status"));
    String ignored = status.lines().filter(l -> l.startsWith("SigIgn:")).findFirst()
        .orElse("SigIgn: 0").substring(7).strip();
    assumeFalse(name.equals("INT") && (Long.parseLong(ignored, 16) & 2) != 0,
        "SIGINT is ignored in this process tree");
    assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(r.process.pid()))
        .start().waitFor());
  }

  void stoppedLeavesItAsItWas(String signal, int code, String command, Path out,
      String... args) throws Exception {
    Map<String, String> before = NothingLostTest.snapshot(out);
    Running r = start(List.of("--conf", PAUSE + 60000), args);
    awaitTasks(r, out);
    signal(r, signal);
    Done d = finish(r);
    assertEquals(code, d.code, d.log);
    assertEquals(List.of("bbans " + command + ": stopped by SIG" + signal + "; " + out
        + " was left as it was"), d.lines(), d.log);
    assertEquals(before, NothingLostTest.snapshot(out), "byte for byte as before");
    assertEquals(List.of(), workFolders(out), "the run's work folder is deleted");
  }

  @Test
  void sigtermAndSigintDuringCompressOverwriteLeaveTheArchiveAsItWas() throws Exception {
    stoppedLeavesItAsItWas("TERM", 143, "compress", archive, "compress", "--output",
        archive.toString(), "--overwrite", "--partitions", "3");
    stoppedLeavesItAsItWas("INT", 130, "compress", archive, "compress", "--output",
        archive.toString(), "--overwrite", "--partitions", "3");
  }

  @Test
  void sigtermAndSigintDuringDecompressOverwriteLeaveTheOutputAsItWas() throws Exception {
    Path out = dir.resolve("decoded");
    Done d = finish(start(List.of(), "decompress", "--input", archive.toString(), "--output",
        out.toString(), "--merge"));
    assertEquals(0, d.code, d.log);
    for (String[] s : new String[][] {{"TERM", "143"}, {"INT", "130"}}) {
      stoppedLeavesItAsItWas(s[0], Integer.parseInt(s[1]), "decompress", out, "decompress",
          "--input", archive.toString(), "--output", out.toString(), "--overwrite",
          "--format", "png");
    }
  }

  @Test
  void aDriverKilledWithSigkillIsNamedByTheNextRun() throws Exception {
    Path out = dir.resolve("killed");
    Running r = start(List.of("--conf", PAUSE + 60000), "compress", "--output",
        out.toString());
    awaitTasks(r, out);
    r.process.destroyForcibly();
    r.process.waitFor();
    assertFalse(Files.exists(out));
    assertEquals(1, workFolders(out).size());

    Done again = finish(start(List.of(), "compress", "--output", out.toString()));
    assertEquals(1, again.code, again.log);
    assertEquals(1, again.lines().size(), again.log);
    assertTrue(again.lines().get(0).startsWith("bbans compress: " + out + " does not exist,"
        + " but an unfinished run's work folder lies beside it (.killed.bbans-unfinished-"),
        again.log);
    assertTrue(again.lines().get(0).endsWith("give --overwrite to replace it once the new"
        + " output is complete"), again.log);
    Done decode = finish(start(List.of(), "decompress", "--input", out.toString(), "--output",
        dir.resolve("killed-out").toString()));
    assertEquals(1, decode.code, decode.log);
    assertTrue(decode.lines().get(0).contains("no such archive folder (the work folder of a"
        + " run that was killed"), decode.log);

    Done overwrite = finish(start(List.of(), "compress", "--output", out.toString(),
        "--overwrite", "--partitions", "2"));
    assertEquals(0, overwrite.code, overwrite.log);
    assertEquals(List.of(), workFolders(out));
    assertEquals(NothingLostTest.snapshot(archive).keySet(),
        NothingLostTest.snapshot(out).keySet());
  }

  /**
   * Run A codes into a new folder; run B, started with --overwrite while A's tasks run, wins.
   * A's tasks then find their work folder gone and A fails, writing nothing: B's archive stays.
   */
  @Test
  void twoRunsIntoOneOutputTheOverwritingOneWinsAndTheOtherWritesNothing() throws Exception {
    Path out = dir.resolve("contested");
    Running a = start(List.of("--conf", PAUSE + 15000), "compress", "--output", out.toString(),
        "--partitions", "2");
    awaitTasks(a, out);
    Done b = finish(start(List.of(), "compress", "--output", out.toString(), "--overwrite",
        "--partitions", "3"));
    assertEquals(0, b.code, b.log);
    Map<String, String> written = NothingLostTest.snapshot(out);
    assertTrue(written.containsKey("part-00002.bbshard"), written.toString());
    Done first = finish(a);
    assertEquals(1, first.code, first.log);
    assertEquals(1, first.lines().size(), first.log);
    assertTrue(first.lines().get(0).startsWith("bbans compress: "), first.log);
    assertEquals(written, NothingLostTest.snapshot(out), "the winner's archive is untouched");
    assertEquals(List.of(), workFolders(out));
  }

  /** A corrupt shard, found inside a task: one line, none of Spark's task-failure logging. */
  @Test
  void aTaskFailureIsOneLineWithoutStackTraces() throws Exception {
    Path bad = dir.resolve("corrupt");
    Files.createDirectories(bad);
    try (Stream<Path> s = Files.list(archive)) {
      for (Path f : s.toList()) {
        Files.copy(f, bad.resolve(f.getFileName()));
      }
    }
    byte[] shard = Files.readAllBytes(bad.resolve("part-00000.bbshard"));
    shard[100] ^= 1;
    Files.write(bad.resolve("part-00000.bbshard"), shard);
    Done d = finish(start(List.of(), "decompress", "--input", bad.toString(), "--output",
        dir.resolve("corrupt-out").toString()));
    assertEquals(1, d.code, d.log);
    assertEquals(List.of("bbans decompress: part-00000.bbshard: SHA-256 differs from the"
        + " manifest's: the shard is corrupt"), d.lines(), d.log);
    assertFalse(Files.exists(dir.resolve("corrupt-out")));
    assertEquals(List.of(), workFolders(dir.resolve("corrupt-out")));
  }
}
