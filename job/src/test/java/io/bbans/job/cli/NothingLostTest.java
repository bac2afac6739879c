package io.bbans.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bbans.codec.image.Idx;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.util.Sha256;
import io.bbans.job.cli.BbansCommandTest.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, as a careless or unlucky user meets it, through the command line in this JVM (each
 * run that gets that far starts its own embedded Spark session): every case ends in exit code
 * 1 (2 for a bad command line), one line on stderr without Java class names, and the previous
 * archive, the input or the output byte for byte as it was. The signal, kill and concurrent
 * cases run in processes of their own: {@code NothingLostIT}.
 */
class NothingLostTest {
  @TempDir
  static Path dir;
  /** An archive of the bundled sample in two shards, made once. */
  static Path archive;
  /** The bundled sample as a gzipped IDX file. */
  static Path sampleGz;

  @BeforeAll
  static void makeArchive() throws Exception {
    archive = dir.resolve("archive");
    Run c = BbansCommandTest.run("compress", "--output", archive.toString(), "--partitions",
        "2");
    assertEquals(0, c.code(), c.err());
    sampleGz = dir.resolve("sample.idx.gz");
    try (InputStream in = NothingLostTest.class.getResourceAsStream(
        "/io/bbans/samples/fashion-mnist-sample.idx.gz")) {
      Files.copy(in, sampleGz);
    }
  }

  /** Every file under {@code folder} (or the file itself) with the SHA-256 of its bytes. */
  static Map<String, String> snapshot(Path folder) throws IOException {
    Map<String, String> m = new TreeMap<>();
    if (Files.isRegularFile(folder)) {
      byte[] b = Files.readAllBytes(folder);
      m.put("", Sha256.hex(b, b.length));
      return m;
    }
    try (Stream<Path> s = Files.walk(folder)) {
      for (Path p : s.toList()) {
        if (Files.isRegularFile(p)) {
          byte[] b = Files.readAllBytes(p);
          m.put(folder.relativize(p).toString(), Sha256.hex(b, b.length));
        } else {
          m.put(folder.relativize(p) + "/", "folder");
        }
      }
    }
    return m;
  }

  /** Hidden entries beside the outputs: the work folders a run leaves when it cannot clean up. */
  static List<String> workFolders(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".bbans-")).toList();
    }
  }

  /** Runs a command that must fail: its code, and its one line, which must contain {@code text}. */
  static String fails(int code, String text, String... args) {
    Run r = BbansCommandTest.run(args);
    assertEquals(code, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line: " + err);
    assertTrue(err.startsWith("bbans " + args[0] + ": "), err);
    assertTrue(err.contains(text), "'" + text + "' not in: " + err);
    assertFalse(err.matches("(?s).*\\b(java|javax|org|io\\.bbans)\\.[a-z]+\\..*")
        || err.contains("Exception") || err.contains("Error:"), "a class name: " + err);
    return err;
  }

  @Test
  void overwriteChecksEverythingBeforeTheArchiveIsTouched() throws Exception {
    Map<String, String> before = snapshot(archive);
    Path empty = dir.resolve("empty.idx");
    try (OutputStream out = Files.newOutputStream(empty)) {
      Idx.write(new ImageSet(0, 28, 28, new byte[0]), out);
    }
    String a = archive.toString();
    fails(1, "no such file or folder", "compress", "--input", dir.resolve("none.idx").toString(),
        "--output", a, "--overwrite");
    fails(1, "holds no images", "compress", "--input", empty.toString(), "--output", a,
        "--overwrite");
    fails(1, "--lanes must be 1..", "compress", "--output", a, "--overwrite", "--lanes",
        "100000");
    fails(1, "lanes must be at least 1", "compress", "--output", a, "--overwrite", "--lanes",
        "0");
    fails(1, "--binarize must be in 0..254", "compress", "--output", a, "--overwrite",
        "--binarize", "300");
    fails(1, "--binarize needs a bernoulli model", "compress", "--output", a, "--overwrite",
        "--binarize", "100", "--model", "fashion-mnist");
    fails(1, "nor a bundled model of that name", "compress", "--output", a, "--overwrite", "--model",
        "no-such-model");
    assertEquals(before, snapshot(archive), "the archive is byte for byte what it was");
    assertEquals(List.of(), workFolders(dir));
  }

  @Test
  void decompressOverwriteKeepsTheOldOutputWhenTheArchiveIsCorrupt() throws Exception {
    Path out = dir.resolve("decoded");
    Run d = BbansCommandTest.run("decompress", "--input", archive.toString(), "--output",
        out.toString(), "--merge");
    assertEquals(0, d.code(), d.err());
    Map<String, String> before = snapshot(out);
    Path bad = dir.resolve("corrupt");
    Files.createDirectories(bad);
    for (String f : List.of("_SUCCESS", "manifest.json", "part-00000.bbshard",
        "part-00001.bbshard")) {
      Files.copy(archive.resolve(f), bad.resolve(f));
    }
    byte[] shard = Files.readAllBytes(bad.resolve("part-00001.bbshard"));
    shard[shard.length / 2] ^= 8;
    Files.write(bad.resolve("part-00001.bbshard"), shard);
    fails(1, "part-00001.bbshard: SHA-256 differs from the manifest's", "decompress", "--input",
        bad.toString(), "--output", out.toString(), "--overwrite", "--merge");
    assertEquals(before, snapshot(out));
    assertEquals(List.of(), workFolders(dir));
  }

  @Test
  void anOutputOverOrInsideItsInputIsRefused() throws Exception {
    Path pngs = dir.resolve("pngs");
    Files.createDirectories(pngs);
    for (int i = 0; i < 3; i++) {
      ImageIO.write(new java.awt.image.BufferedImage(28, 28,
          java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", pngs.resolve(i + ".png").toFile());
    }
    Map<String, String> input = snapshot(pngs);
    Map<String, String> arch = snapshot(archive);
    String p = pngs.toString();
    fails(1, "--output " + p + " is the same as --input " + p, "compress", "--input", p,
        "--output", p, "--overwrite");
    fails(1, "lies inside --input", "compress", "--input", p, "--output", p + "/archive");
    Files.copy(sampleGz, archive.resolve("sample.idx.gz"));
    try {
      fails(1, "contains --input", "compress", "--input",
          archive.resolve("sample.idx.gz").toString(), "--output", archive.toString(),
          "--overwrite");
    } finally {
      Files.delete(archive.resolve("sample.idx.gz"));
    }
    String a = archive.toString();
    fails(1, "is the same as --input", "decompress", "--input", a, "--output", a,
        "--overwrite");
    fails(1, "lies inside --input", "decompress", "--input", a, "--output", a + "/back");
    Path link = dir.resolve("link-to-archive");
    Files.createSymbolicLink(link, archive);
    fails(1, "is the same as --input", "decompress", "--input", a, "--output", link.toString(),
        "--overwrite");
    assertEquals(input, snapshot(pngs));
    assertEquals(arch, snapshot(archive));
  }

  @Test
  void overwriteRefusesAFolderThisToolDidNotWrite() throws Exception {
    Path docs = dir.resolve("documents");
    Files.createDirectories(docs.resolve("taxes"));
    Files.writeString(docs.resolve("letter.txt"), "dear user");
    Files.writeString(docs.resolve("taxes/2026.pdf"), "numbers");
    Map<String, String> before = snapshot(docs);
    fails(1, "which this tool did not write", "compress", "--output", docs.toString(),
        "--overwrite");
    fails(1, "which this tool did not write", "decompress", "--input", archive.toString(),
        "--output", docs.toString(), "--overwrite");
    assertEquals(before, snapshot(docs));
  }

  @Test
  void statsChartNeverWritesIntoTheArchiveNorOverAFileUnlessTold() throws Exception {
    Map<String, String> arch = snapshot(archive);
    String a = archive.toString();
    fails(1, "lies inside --input", "stats", "--input", a, "--chart",
        archive.resolve("part-00000.bbshard").toString());
    fails(1, "lies inside --input", "stats", "--input", a, "--chart",
        archive.resolve("manifest.json").toString(), "--overwrite");
    fails(1, "does not exist", "stats", "--input", a, "--chart",
        dir.resolve("no-folder/chart.png").toString());
    fails(1, "is a folder", "stats", "--input", a, "--chart",
        Files.createDirectories(dir.resolve("a-folder")).toString());
    Path chart = dir.resolve("chart.png");
    Files.writeString(chart, "an older chart");
    fails(1, "exists; give --overwrite", "stats", "--input", a, "--chart", chart.toString());
    assertEquals("an older chart", Files.readString(chart));
    assertEquals(arch, snapshot(archive));

    Run s = BbansCommandTest.run("stats", "--input", a, "--chart", chart.toString(),
        "--overwrite");
    assertEquals(0, s.code(), s.err());
    assertTrue(ImageIO.read(chart.toFile()) != null, "the older file replaced by a PNG chart");
    assertEquals(arch, snapshot(archive));
  }

  @Test
  void inputsThatAreNotRegularFilesOrFoldersAreRefusedWithoutWaiting() throws Exception {
    Path fifo = dir.resolve("pipe");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
        "mkfifo");
    Path folder = Files.createDirectories(dir.resolve("with-pipe"));
    ImageIO.write(new java.awt.image.BufferedImage(28, 28,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", folder.resolve("a.png").toFile());
    assertTrue(new ProcessBuilder("mkfifo", folder.resolve("b.png").toString()).start()
        .waitFor() == 0);
    Path dangling = Files.createDirectories(dir.resolve("with-dangling-link"));
    Files.createSymbolicLink(dangling.resolve("c.png"), dir.resolve("nowhere.png"));
    Path loop = Files.createDirectories(dir.resolve("with-loop"));
    Files.createSymbolicLink(loop.resolve("d.png"), loop.resolve("e.png"));
    Files.createSymbolicLink(loop.resolve("e.png"), loop.resolve("d.png"));
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      fails(1, "pipe: not a regular file or folder (a FIFO, device or socket)", "compress",
          "--input", fifo.toString(), "--output", dir.resolve("o1").toString());
      fails(1, "b.png: not a regular file or folder", "compress", "--input", folder.toString(),
          "--output", dir.resolve("o2").toString());
      fails(1, "c.png: a symbolic link that dangles or loops", "compress", "--input",
          dangling.toString(), "--output", dir.resolve("o3").toString());
      fails(1, "d.png: a symbolic link that dangles or loops", "compress", "--input",
          loop.toString(), "--output", dir.resolve("o4").toString());
    });
    for (String o : List.of("o1", "o2", "o3", "o4")) {
      assertFalse(Files.exists(dir.resolve(o)), o);
    }
    assertEquals(List.of(), workFolders(dir));
  }

  @Test
  void plainLinesForUnknownHostsAndMalformedOptions() {
    fails(1, "unknown host no-such-host.invalid", "compress", "--input",
        "hdfs://no-such-host.invalid:8020/images.idx", "--output",
        dir.resolve("o5").toString());
    fails(2, "range '5:x' is not FROM:TO", "eval", "--model", "mnist", "--input",
        sampleGz.toString(), "--range", "5:x");
    fails(2, "Unknown option: '--frobnicate'", "compress", "--output",
        dir.resolve("o6").toString(), "--frobnicate");
  }

  /**
   * A full disk, for real: the output's folder on a 64 KiB tmpfs. Unpacking the gzipped input
   * into the run's work folder fills it (Hadoop's local file system throws FSError, an Error),
   * and so does decompressing. One line says the disk is full; nothing is left there. Needs
   * root to mount (as .ci/run runs); skipped elsewhere.
   */
  @Test
  void aFullDiskIsOneLineAndLeavesNothing() throws Exception {
    Path small = Files.createDirectories(dir.resolve("small-disk"));
    boolean mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
        small.toString()).redirectErrorStream(true).start().waitFor() == 0;
    assumeTrue(mounted, "mounting a tmpfs needs root");
    try {
      fails(1, "the disk is full", "compress", "--input", sampleGz.toString(), "--output",
          small.resolve("archive").toString());
      fails(1, "the disk is full", "decompress", "--input", archive.toString(), "--output",
          small.resolve("decoded").toString(), "--merge");
      List<String> left = new ArrayList<>();
      try (Stream<Path> s = Files.list(small)) {
        s.forEach(p -> left.add(p.getFileName().toString()));
      }
      assertEquals(List.of(), left, "nothing left on the full disk");
    } finally {
      new ProcessBuilder("umount", small.toString()).start().waitFor();
    }
  }
}
