package io.bbans.job.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.ShardEntry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone cluster on 127.0.0.1: a Master and two Workers, each its own
 * JVM, started from the Maven jars; submit.sh submits through spark-submit (SparkSubmit), so
 * the shards are coded, and decoded, in executor JVMs that the Workers launch, not in the
 * driver. The whole Fashion-MNIST test set goes through and comes back byte for byte.
 */
class StandaloneClusterIT {
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");

  @TempDir
  Path dir;

  @Test
  void compressAndDecompressOnExecutorsOfAStandaloneCluster() throws Exception {
    boolean present = Files.exists(FASHION);
    assertTrue(present || !"true".equals(System.getenv("CI")), FASHION + " missing under CI");
    assumeTrue(present, FASHION + " not installed (see .ci/run)");
    try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2, 1, "2g")) {
      List<String> spark = List.of("--conf", "spark.executor.memory=1500m",
          "--conf", "spark.executor.cores=1", "--driver-memory", "1g");
      Path archive = dir.resolve("archive");
      StandaloneCluster.Run c = cluster.submit(spark, "compress", "--input", FASHION.toString(),
          "--output", archive.toString(), "--partitions", "4");
      assertEquals(0, c.code, c.out);
      assertTrue(c.out.contains("compressed 10000 images"), c.out);

      Manifest m = Manifest.parse(Files.readAllBytes(archive.resolve(Manifest.FILE)));
      assertEquals(4, m.shards.size());
      Set<String> executors = new TreeSet<>();
      for (ShardEntry s : m.shards) {
        assertTrue(s.codedBy.startsWith("executor "), s.codedBy);
        assertFalse(s.codedBy.startsWith("executor driver"), s.codedBy);
        assertFalse(s.codedBy.endsWith("pid " + c.pid), "coded in the driver: " + s.codedBy);
        executors.add(s.codedBy);
      }
      System.out.println("shards coded by " + executors);
      assertTrue(cluster.log("worker-0").contains("Asked to launch executor")
          || cluster.log("worker-1").contains("Asked to launch executor"));

      Path out = dir.resolve("decoded");
      StandaloneCluster.Run d = cluster.submit(spark, "decompress", "--input",
          archive.toString(), "--output", out.toString(), "--merge");
      assertEquals(0, d.code, d.out);
      byte[] original;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(FASHION))) {
        original = in.readAllBytes();
      }
      assertArrayEquals(original, Files.readAllBytes(out.resolve("images.idx")));

      StandaloneCluster.Run s = cluster.submit(spark, "stats", "--input", archive.toString());
      assertEquals(0, s.code, s.out);
      assertTrue(s.out.contains("total"), s.out);
    }
  }
}
