package io.bbans.job.cluster;

import io.bbans.codec.image.Idx;
import io.bbans.codec.image.ImageSet;
import io.bbans.job.compress.ImageSource;
import io.bbans.job.spark.Sessions;
import io.bbans.job.table.TableJobTest;
import io.bbans.job.table.Tables;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.job.TestData;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.ShardEntry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone cluster on 127.0.0.1: a Master and two Workers, each its own
 * JVM, started from the Maven jars; submit.sh submits through spark-submit (SparkSubmit), so
 * the shards are coded, and decoded, in executor JVMs that the Workers launch, not in the
 * driver. The whole Fashion-MNIST test set goes through and comes back byte for byte; then
 * the same with an executor killed (kill -9) mid-job, and with the driver killed; and the
 * shards are the same bytes as those of the embedded master, on Java 17 and Temurin 25.
 */
class StandaloneClusterIT {
  static final Path FASHION = TestData.FASHION_TEST;
  static final Path TEMURIN = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
  static final List<String> SPARK = List.of("--conf", "spark.executor.memory=1500m",
      "--conf", "spark.executor.cores=1", "--driver-memory", "1g");
  static final int PARTITIONS = 2;

  @TempDir
  static Path dir;
  static StandaloneCluster cluster;
  static Path clean;
  static byte[] original;

  @BeforeAll
  static void startClusterAndCompress() throws Exception {
    TestData.fashionTest();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(FASHION))) {
      original = in.readAllBytes();
    }
    cluster = StandaloneCluster.start(dir, 2, 1, "2g");
    clean = dir.resolve("clean");
    StandaloneCluster.Run c = cluster.submit(SPARK, "compress", "--input", FASHION.toString(),
        "--output", clean.toString(), "--partitions", Integer.toString(PARTITIONS));
    assertEquals(0, c.code, c.out);
    assertTrue(c.out.contains("compressed 10000 images"), c.out);
    Manifest m = manifest(clean);
    for (ShardEntry s : m.shards) {
      // Where each shard was coded is in the driver's log (not in the archive's format).
      String line = c.out.lines().filter(l -> l.contains("committed " + s.file + ":"))
          .findFirst().orElse("");
      assertTrue(line.contains(", executor ") && !line.contains("executor driver")
          && !line.contains("pid " + c.pid + ","), "coded in the driver: " + line + "\n" + c.out);
      // conf/spark-defaults.conf gives the executors the Vector API module
      assertTrue(line.contains(", vector kernels"), "the executor ran the scalar loops: " + line);
    }
    System.out.println("clean run: " + c.out.lines().filter(l -> l.contains("wall")).toList());
  }

  /**
   * Coding needs no native code: the jars the executors received for the compress above (in
   * the workers' application folders) hold no ND4J, JavaCPP or OpenBLAS, nor does SPARK_HOME.
   */
  @Test
  void executorsReceiveNoNd4j() throws Exception {
    java.util.regex.Pattern nd4j = java.util.regex.Pattern.compile(
        "(?i).*(nd4j|javacpp|openblas|-1\\.0\\.0-M2\\.1).*\\.jar");
    List<String> received = new java.util.ArrayList<>();
    for (int w = 0; w < 2; w++) {
      try (var s = Files.walk(dir.resolve("work-" + w))) {
        s.filter(p -> p.getFileName().toString().endsWith(".jar"))
            .forEach(p -> received.add(p.getFileName().toString()));
      }
    }
    assertTrue(received.stream().anyMatch(n -> n.startsWith("bbans-codec")),
        "the executors received the application's jars: " + received);
    assertEquals(List.of(), received.stream().filter(n -> nd4j.matcher(n).matches()).toList());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Manifest manifest(Path archive) throws Exception {
    return Manifest.parse(Files.readAllBytes(archive.resolve(Manifest.FILE)));
  }

  static void assertSameShards(Path expected, Path actual) throws Exception {
    for (int i = 0; i < PARTITIONS; i++) {
      String f = ShardEntry.fileName(i);
      assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)),
          f + " of " + actual + " differs from " + expected);
    }
    Set<String> names = new TreeSet<>();
    try (var s = Files.list(actual)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    assertEquals(Set.of("_SUCCESS", Manifest.FILE, ShardEntry.fileName(0), ShardEntry.fileName(1)),
        names, "no duplicate or leftover files");
  }

  @Test
  void decompressAndStatsOnExecutors() throws Exception {
    Path out = dir.resolve("decoded");
    StandaloneCluster.Run d = cluster.submit(SPARK, "decompress", "--input", clean.toString(),
        "--output", out.toString(), "--merge");
    assertEquals(0, d.code, d.out);
    assertArrayEquals(original, Files.readAllBytes(out.resolve("images.idx")));
    StandaloneCluster.Run s = cluster.submit(SPARK, "stats", "--input", clean.toString());
    assertEquals(0, s.code, s.out);
    assertTrue(s.out.contains("total"), s.out);
  }

  /**
   * A Parquet table (the Hugging Face layout, labels beside the images) compressed and given
   * back on the cluster: the kept columns are written and read by executors, and decompress
   * --format parquet reads through the bbans data source, found from the job's jar alone.
   */
  @Test
  void parquetTableOnTheCluster() throws Exception {
    Path table = dir.resolve("table");
    ImageSet images;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(FASHION))) {
      images = Idx.read(in, "fashion").range(0, 300);
    }
    StructType schema = new StructType()
        .add("image", new StructType().add("bytes", DataTypes.BinaryType)
            .add("path", DataTypes.StringType))
        .add("label", DataTypes.IntegerType);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < images.count(); i++) {
      rows.add(RowFactory.create(RowFactory.create(TableJobTest.png(images, i), "f" + i),
          i % 10));
    }
    JavaSparkContext sc = Sessions.start(Sessions.conf("it").setMaster("local[1]"));
    try {
      Tables.session(sc).createDataFrame(rows, schema).coalesce(2).write()
          .parquet(table.toString());
    } finally {
      sc.stop();
    }
    Path archive = dir.resolve("table-archive");
    StandaloneCluster.Run c = cluster.submit(SPARK, "compress", "--input", table.toString(),
        "--output", archive.toString(), "--partitions", "2", "--model", "fashion-mnist");
    assertEquals(0, c.code, c.out);
    assertTrue(c.out.contains("compressed 300 images") && c.out.contains("other columns"),
        c.out);
    Path back = dir.resolve("table-back");
    StandaloneCluster.Run d = cluster.submit(SPARK, "decompress", "--input", archive.toString(),
        "--output", back.toString(), "--format", "parquet");
    assertEquals(0, d.code, d.out);
    sc = Sessions.start(Sessions.conf("it").setMaster("local[1]"));
    try {
      SparkSession spark = Tables.session(sc);
      List<Row> got = new java.util.ArrayList<>();
      for (int p = 0; p < 2; p++) {
        got.addAll(spark.read().parquet(back.resolve(String.format("part-%05d.parquet", p))
            .toString()).collectAsList());
      }
      assertEquals(rows.size(), got.size());
      for (int i = 0; i < rows.size(); i++) {
        Row image = got.get(i).getStruct(0);
        assertArrayEquals(Arrays.copyOfRange(images.pixels(), i * 784, (i + 1) * 784),
            ImageSource.decodePng((byte[]) image.get(0), "row " + i, new int[4]));
        assertEquals("f" + i, image.getString(1));
        assertEquals(i % 10, got.get(i).getInt(1));
      }
    } finally {
      sc.stop();
    }
  }

  /**
   * Relative paths, as the README's examples give them: the driver qualifies them against its
   * own working directory (submit.sh runs from the repository root), so executors, which run
   * in the workers' folders, read and write the same places.
   */
  @Test
  void relativePathsMeanTheDriversFolderOnTheCluster() throws Exception {
    Path out = dir.resolve("relative");
    Path back = dir.resolve("relative-back");
    String relativeInput = StandaloneCluster.ROOT.relativize(FASHION).toString();
    String relativeOutput = StandaloneCluster.ROOT.relativize(out).toString();
    assertFalse(relativeInput.startsWith("/") || relativeOutput.startsWith("/"));
    StandaloneCluster.Run c = cluster.submit(SPARK, "compress", "--input", relativeInput,
        "--output", relativeOutput, "--partitions", Integer.toString(PARTITIONS));
    assertEquals(0, c.code, c.out);
    assertSameShards(clean, out);
    StandaloneCluster.Run d = cluster.submit(SPARK, "decompress", "--input", relativeOutput,
        "--output", StandaloneCluster.ROOT.relativize(back).toString(), "--merge");
    assertEquals(0, d.code, d.out);
    assertArrayEquals(original, Files.readAllBytes(back.resolve("images.idx")));
    for (int w = 0; w < 2; w++) {
      try (var s = Files.walk(dir.resolve("work-" + w))) {
        assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("relative")
            || p.getFileName().toString().contains(".bbans-")).toList(),
            "nothing written into the workers' folders");
      }
    }
  }

  @Test
  void sameShardsFromTheEmbeddedMasterOnJava17AndTemurin25() throws Exception {
    Path local = dir.resolve("embedded");
    StandaloneCluster.Run e = cluster.embedded(null, "compress", "--input", FASHION.toString(),
        "--output", local.toString(), "--partitions", Integer.toString(PARTITIONS));
    assertEquals(0, e.code, e.out);
    assertSameShards(clean, local);
    if (Files.isExecutable(TEMURIN.resolve("bin/java"))) {
      Path t = dir.resolve("temurin");
      StandaloneCluster.Run r = cluster.embedded(TEMURIN, "compress", "--input",
          FASHION.toString(), "--output", t.toString(), "--partitions",
          Integer.toString(PARTITIONS));
      assertEquals(0, r.code, r.out);
      assertSameShards(clean, t);
    }
  }

  /**
   * Submits {@code args} to the cluster, kills -9 the first executor seen running one of its
   * tasks, and checks the job still exits 0 and logged the lost task and its retry.
   */
  private void runKillingAnExecutor(String... args) throws Exception {
    Map<Path, Long> before = cluster.runningTaskLines();
    StandaloneCluster.Submission s = cluster.submitAsync(SPARK, args);
    kill(cluster.awaitExecutorRunningTask(before, Duration.ofMinutes(2)));
    StandaloneCluster.Run r = StandaloneCluster.finish(s);
    assertEquals(0, r.code, r.out);
    assertLostAndRetried(r);
  }

  @Test
  void anExecutorKilledMidCompressChangesNothing() throws Exception {
    Path out = dir.resolve("killed-compress");
    runKillingAnExecutor("compress", "--input", FASHION.toString(), "--output", out.toString(),
        "--partitions", Integer.toString(PARTITIONS));
    assertSameShards(clean, out);
  }

  @Test
  void anExecutorKilledMidDecompressChangesNothing() throws Exception {
    Path out = dir.resolve("killed-decompress");
    runKillingAnExecutor("decompress", "--input", clean.toString(), "--output", out.toString(),
        "--merge");
    assertArrayEquals(original, Files.readAllBytes(out.resolve("images.idx")));
  }

  /** The driver saw a running task lost with its executor, and ran it again. */
  static void assertLostAndRetried(StandaloneCluster.Run r) {
    List<String> lost = r.out.lines().filter(l -> l.contains("Lost task")
        || l.contains("Lost executor")).toList();
    System.out.println("driver: " + lost);
    assertTrue(lost.stream().anyMatch(l -> l.contains("Lost task")), r.out);
  }

  static void kill(ProcessHandle executor) throws Exception {
    System.out.println("kill -9 executor pid " + executor.pid() + " while it runs a task");
    new ProcessBuilder("kill", "-9", Long.toString(executor.pid())).start().waitFor();
  }

  @Test
  void aDriverKilledMidJobLeavesNoSuccessAndDecompressRefusesIt() throws Exception {
    Path out = dir.resolve("killed-driver");
    Map<Path, Long> before = cluster.runningTaskLines();
    StandaloneCluster.Submission s = cluster.submitAsync(SPARK, "compress", "--input",
        FASHION.toString(), "--output", out.toString(), "--partitions",
        Integer.toString(PARTITIONS));
    cluster.awaitExecutorRunningTask(before, Duration.ofMinutes(2));
    new ProcessBuilder("kill", "-9", Long.toString(s.process.pid())).start().waitFor();
    s.process.waitFor();
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    assertFalse(Files.exists(out.resolve(Manifest.FILE)));

    // The run worked in a folder beside its output, which it could not delete.
    assertFalse(Files.exists(out), "the output is written only when complete");
    assertEquals(1, unfinished(out).size(), "the killed run's work folder");

    StandaloneCluster.Run d = cluster.embedded(null, "decompress", "--input", out.toString(),
        "--output", dir.resolve("killed-driver-out").toString());
    assertEquals(1, d.code, d.out);
    assertTrue(d.out.contains("no such archive folder") && d.out.contains("killed"), d.out);

    StandaloneCluster.Run again = cluster.embedded(null, "compress", "--input",
        FASHION.toString(), "--output", out.toString(), "--partitions", "2");
    assertEquals(1, again.code, again.out);
    assertTrue(again.out.contains("unfinished run") && again.out.contains("give --overwrite"),
        again.out);
    StandaloneCluster.Run overwrite = cluster.embedded(null, "compress", "--input",
        FASHION.toString(), "--output", out.toString(), "--partitions", "2", "--overwrite");
    assertEquals(0, overwrite.code, overwrite.out);
    assertSameShards(clean, out);
    assertEquals(List.of(), unfinished(out), "the killed run's work folder is replaced");
  }

  /** Work folders of unfinished runs into {@code out}, beside it. */
  static List<Path> unfinished(Path out) throws Exception {
    try (var s = Files.list(out.getParent())) {
      return s.filter(p -> p.getFileName().toString().startsWith(
          "." + out.getFileName() + ".bbans-unfinished-")).toList();
    }
  }
}
