package io.bbans.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.Idx;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.VaeModel;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.ManifestException;
import io.bbans.job.archive.OutputCommitter;
import io.bbans.job.archive.ShardEntry;
import io.bbans.job.compress.CompressJob;
import io.bbans.job.decompress.DecompressJob;
import io.bbans.job.spark.Progress;
import io.bbans.job.spark.Sessions;
import io.bbans.job.stats.StatsJob;
import io.bbans.job.stats.StatsReport;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark job end to end in a real local Spark session with two task threads, Kryo with
 * every class registered, on real Fashion-MNIST test images (.ci/run installs them; elsewhere
 * the test is skipped without them, never under CI). The master is {@code local[2,4]}: two
 * threads like {@code local[2]}, but a failed task gets retried (plain {@code local[2]} fails
 * the job on a task's first failure), which the fault-injection tests need.
 */
class SparkJobTest {
  static final Path FASHION = TestData.FASHION_TEST;
  static final int IMAGES = 3000;

  @TempDir
  static Path dir;
  static JavaSparkContext sc;
  static ImageSet images;
  static Path input;
  static Path clean;

  @BeforeAll
  static void start() throws Exception {
    TestData.fashionTest();
    images = Datasets.read(FASHION).range(0, IMAGES);
    input = dir.resolve("input.idx");
    try (OutputStream out = Files.newOutputStream(input)) {
      Idx.write(images, out);
    }
    SparkConf conf = Sessions.conf("SparkJobTest").setMaster("local[2,4]");
    sc = Sessions.start(conf);
    clean = dir.resolve("clean");
    CompressJob.run(sc, compressOptions(input, clean));
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.stop();
    }
  }

  static CompressJob.Options compressOptions(Path in, Path out) {
    CompressJob.Options o = new CompressJob.Options();
    o.input = in == null ? null : in.toString();
    o.output = out.toString();
    o.partitions = 4;
    o.seed = 7;
    return o;
  }

  static Set<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  static Set<String> archiveNames(int shards) {
    Set<String> expected = new TreeSet<>(Set.of("manifest.json", "_SUCCESS"));
    for (int i = 0; i < shards; i++) {
      expected.add(ShardEntry.fileName(i));
    }
    return expected;
  }

  static Manifest manifest(Path archive) throws IOException {
    return Manifest.parse(Files.readAllBytes(archive.resolve(Manifest.FILE)));
  }

  static DecompressJob.Options decompressOptions(Path archive, Path out) {
    DecompressJob.Options o = new DecompressJob.Options();
    o.input = archive.toString();
    o.output = out.toString();
    o.merge = true;
    return o;
  }

  @Test
  void compressThenDecompressGivesBackTheExactBytes() throws Exception {
    Manifest m = manifest(clean);
    assertEquals(archiveNames(4), names(clean), "every shard once, nothing else left over");
    assertEquals(4, m.shards.size());
    assertEquals(IMAGES, m.images());
    for (int i = 0; i < 4; i++) {
      ShardEntry s = m.shards.get(i);
      assertEquals(i, s.index);
      assertEquals((long) IMAGES * i / 4, s.firstImage);
      assertEquals(7 + i, s.seed);
      assertEquals(Files.size(clean.resolve(s.file)), s.compressedBytes);
    }

    Path out = dir.resolve("decoded");
    DecompressJob.run(sc, decompressOptions(clean, out));
    assertArrayEquals(Files.readAllBytes(input), Files.readAllBytes(out.resolve("images.idx")));
    for (ShardEntry s : m.shards) {
      ImageSet part = Datasets.read(out.resolve(String.format("part-%05d.idx", s.index)));
      assertArrayEquals(images.range((int) s.firstImage, (int) s.firstImage + s.images).pixels(),
          part.pixels());
    }
    assertFalse(Files.exists(out.resolve("_temporary")));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  /**
   * Archives made before the current defaults name {@code fashion-mnist} and the SHA-256 of the
   * model it meant then: format 1 (now bundled as fashion-mnist-v1) or format 2 with one
   * logistic (fashion-mnist-v2). Both are found by hash.
   */
  @ParameterizedTest
  @ValueSource(strings = {"fashion-mnist-v1", "fashion-mnist-v2"})
  void anArchiveOfAFormerDefaultModelStillDecodes(String former) throws Exception {
    Path old = dir.resolve("former-default-" + former);
    CompressJob.Options o = compressOptions(input, old);
    o.model = former;
    o.partitions = 2;
    CompressJob.run(sc, o);
    Path manifest = old.resolve(Manifest.FILE);
    String text = Files.readString(manifest);
    assertTrue(text.contains("\"" + former + "\""), text);
    Files.writeString(manifest, text.replace("\"" + former + "\"", "\"fashion-mnist\""));
    assertEquals(VaeModel.load(former).sha256(), manifest(old).modelSha256);
    assertNotEquals(VaeModel.load("fashion-mnist").sha256(), manifest(old).modelSha256);
    Path out = dir.resolve("former-default-decoded-" + former);
    DecompressJob.run(sc, decompressOptions(old, out));
    assertArrayEquals(Files.readAllBytes(input), Files.readAllBytes(out.resolve("images.idx")));
  }

  @Test
  void statsAreWithinOnePercentOfTheNegativeElbo() throws Exception {
    StatsJob.Options o = new StatsJob.Options();
    o.input = clean.toString();
    o.baselines = true;
    StatsReport r = StatsJob.run(sc, o);
    assertEquals(IMAGES, r.images());
    assertEquals(4, r.shards().size());
    double elbo = r.negativeElboBitsPerDim();
    assertTrue(elbo > 3 && elbo < 4.5, "fashion -ELBO " + elbo);
    assertEquals(elbo, r.bitsPerDim(), 0.01 * elbo);
    assertTrue(r.bitsPerDim() < r.baselineBitsPerDim("gzip"));
    assertTrue(r.baselineBitsPerDim("xz") > 0 && r.baselineBitsPerDim("bzip2") > 0);
    // JPEG XL on one strip per shard where cjxl is installed (.ci/run installs libjxl-tools).
    boolean cjxl = Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "cjxl")));
    assertEquals(cjxl, r.toJson().contains("\"jpegxl\""), r.toJson());
    if (cjxl) {
      double jxl = r.baselineBitsPerDim("jpegxl");
      assertTrue(jxl > 2 && jxl < r.baselineBitsPerDim("gzip"), "jpeg xl " + jxl);
    }
    // PNG of each image always; WebP of each where cwebp is installed
    double pngEach = r.baselineBitsPerDim("png");
    assertTrue(pngEach > r.baselineBitsPerDim("xz") && pngEach < 8, "png " + pngEach);
    boolean cwebp = Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "cwebp")));
    assertEquals(cwebp, r.toJson().contains("\"webp\""), r.toJson());
    String json = r.toJson();
    for (String key : List.of("\"images\"", "\"originalBytes\"", "\"compressedBytes\"",
        "\"bitsPerDim\"", "\"negativeElboBitsPerDim\"", "\"shards\"", "\"baselinesBitsPerDim\"")) {
      assertTrue(json.contains(key), key + " in " + json);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    r.writeChart(png);
    BufferedImage chart = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
    assertTrue(chart.getWidth() >= 640 && chart.getHeight() > 300);
  }

  /** Holds the progress test's tasks (they run in this JVM: local master) until released. */
  static final java.util.concurrent.CountDownLatch RELEASE =
      new java.util.concurrent.CountDownLatch(1);

  /**
   * Progress hears of images done inside tasks still running (through executors' heartbeats):
   * the tasks add 50 images each and wait until the driver has heard of both, then add the
   * rest; once they end it has every image.
   */
  @Test
  void progressCountsTheImagesOfRunningTasks() throws Exception {
    try (Progress p = new Progress(sc, "test", 200, 1, null)) {
      LongAccumulator done = p.accumulator();
      JavaFutureAction<Void> job = sc.parallelize(List.of(0, 1), 2).foreachAsync(i -> {
        done.add(50);
        RELEASE.await(60, java.util.concurrent.TimeUnit.SECONDS);
        done.add(50);
      });
      long end = System.currentTimeMillis() + 30_000;
      while (p.done() < 100 && System.currentTimeMillis() < end) {
        Thread.sleep(50);
      }
      assertEquals(100, p.done(), "both running tasks' first 50 images, heard mid-task");
      assertFalse(job.isDone());
      RELEASE.countDown();
      job.get();
      end = System.currentTimeMillis() + 10_000;
      while (p.done() < 200 && System.currentTimeMillis() < end) {
        Thread.sleep(50);
      }
      assertEquals(200, p.done());
    }
  }

  @Test
  void aTaskThatFailsOnceIsRetriedWithoutDuplicates() throws Exception {
    Path out = dir.resolve("retried");
    CompressJob.Options o = compressOptions(input, out);
    o.failFirstAttemptOf = 2;
    CompressJob.run(sc, o);
    assertEquals(archiveNames(4), names(out));
    for (int i = 0; i < 4; i++) {
      String f = ShardEntry.fileName(i);
      assertArrayEquals(Files.readAllBytes(clean.resolve(f)), Files.readAllBytes(out.resolve(f)),
          f + " differs from the clean run's");
    }
  }

  @Test
  void aJobThatFailsLeavesNoSuccessAndReportsTheFirstError() throws Exception {
    Path out = dir.resolve("failed");
    CompressJob.Options o = compressOptions(input, out);
    o.failEveryAttemptOf = 1;
    Exception e = assertThrows(Exception.class, () -> CompressJob.run(sc, o));
    assertTrue(causes(e).contains("injected failure of partition 1"), causes(e));
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    assertFalse(Files.exists(out.resolve("manifest.json")));
    assertTrue(!Files.exists(out) || names(out).isEmpty(), "left behind: "
        + (Files.exists(out) ? names(out) : ""));
  }

  static String causes(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      s.append(t).append('\n');
    }
    return s.toString();
  }

  @Test
  void refusesOutputThatExistsUnlessOverwriteAndNeverReplacesTheUsersFiles() throws Exception {
    Path out = dir.resolve("existing");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    CompressJob.Options o = compressOptions(input, out);
    for (boolean overwrite : new boolean[] {false, true}) {
      o.overwrite = overwrite;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CompressJob.run(sc, o));
      assertTrue(e.getMessage().contains("'keep.txt', which this tool did not write"),
          e.getMessage());
      assertEquals(Set.of("keep.txt"), names(out));
      assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    Path archive = dir.resolve("replaced");
    CompressJob.Options first = compressOptions(null, archive);
    first.partitions = 3;
    CompressJob.run(sc, first);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompressJob.run(sc, compressOptions(input, archive)));
    assertTrue(e.getMessage().contains("give --overwrite"), e.getMessage());
    assertEquals(archiveNames(3), names(archive));
    CompressJob.Options again = compressOptions(null, archive);
    again.overwrite = true;
    again.partitions = 2;
    CompressJob.run(sc, again);
    assertEquals(archiveNames(2), names(archive));
    assertEquals(Set.of(), names(dir).stream().filter(n -> n.startsWith("."))
        .collect(Collectors.toSet()), "no work folder left beside it");
  }

  @Test
  void pngFolderInAndOutUnderTheirOwnNamesAndFolders() throws Exception {
    Path pngs = dir.resolve("pngs");
    int n = 30;
    // The layout of a labelled set: a folder per class, some at the top, one name with a space.
    java.util.TreeMap<String, Integer> imageOf = new java.util.TreeMap<>();
    for (int i = 0; i < n; i++) {
      String name = i % 5 == 4 ? String.format("top %03d.png", i)
          : String.format("class-%d/sub/img-%03d.png", i % 3, i);
      imageOf.put(name, i);
      Path file = pngs.resolve(name);
      Files.createDirectories(file.getParent());
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setDataElements(0, 0, 28, 28,
          Arrays.copyOfRange(images.pixels(), i * 784, (i + 1) * 784));
      ImageIO.write(img, "png", file.toFile());
    }
    Files.writeString(pngs.resolve("class-0/README.txt"), "not an image: left out");
    Path archive = dir.resolve("png-archive");
    CompressJob.Options o = compressOptions(pngs, archive);
    o.partitions = 3;
    Manifest m = CompressJob.run(sc, o).manifest;
    assertTrue(m.hasNames());
    assertEquals(n, m.images());
    assertTrue(Files.exists(archive.resolve("part-00002.names")));

    Path out = dir.resolve("png-out");
    DecompressJob.Options d = decompressOptions(archive, out);
    d.merge = false;
    d.format = DecompressJob.Format.PNG;
    DecompressJob.run(sc, d);
    for (Map.Entry<String, Integer> e : imageOf.entrySet()) {
      int i = e.getValue();
      Path png = out.resolve(e.getKey());
      BufferedImage img = ImageIO.read(png.toFile());
      byte[] px = (byte[]) img.getRaster().getDataElements(0, 0, 28, 28, null);
      assertArrayEquals(Arrays.copyOfRange(images.pixels(), i * 784, (i + 1) * 784), px,
          png.toString());
    }
    assertEquals(new java.util.ArrayList<>(imageOf.keySet()),
        Files.readAllLines(out.resolve(OutputCommitter.FILES)), "written, in archive order");
    try (java.util.stream.Stream<Path> all = Files.walk(out)) {
      assertEquals(n + 2, all.filter(Files::isRegularFile).count(), "the images, _FILES and"
          + " _SUCCESS: nothing else");
    }

    // The IDX output of the same archive: the images in the same order (their names' order).
    Path idx = dir.resolve("idx-out");
    DecompressJob.Options merged = decompressOptions(archive, idx);
    DecompressJob.run(sc, merged);
    byte[] back = Files.readAllBytes(idx.resolve(DecompressJob.MERGED));
    int k = 0;
    for (int i : imageOf.values()) {
      assertArrayEquals(Arrays.copyOfRange(images.pixels(), i * 784, (i + 1) * 784),
          Arrays.copyOfRange(back, 16 + k * 784, 16 + (k + 1) * 784));
      k++;
    }

    // Replaced with --overwrite, as any output of this tool; refused once it holds a file of
    // someone else's among the images.
    d.overwrite = true;
    DecompressJob.run(sc, d);
    Files.writeString(out.resolve("class-1/sub/mine.txt"), "mine");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DecompressJob.run(sc, d));
    assertTrue(e.getMessage().contains("class-1/sub/mine.txt"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("class-1/sub/mine.txt")));
  }

  /**
   * A folder of PNG files of mixed sizes (crops of the Fashion images laid side by side, from
   * 1x1 to several tiles a side): one archive (manifest version 3, tiled shards), every image
   * back at its own size with the same pixels; IDX output refused, as IDX holds one size;
   * stats counts every pixel once and its JPEG XL baseline codes each image alone.
   */
  @Test
  void pngFilesOfMixedSizesComeBackEachAtItsSize() throws Exception {
    Path pngs = dir.resolve("pngs-mixed");
    Files.createDirectories(pngs);
    // the second of three shards holds only images of the model's size: a shard format 1
    int[][] sizes = {{1, 1}, {29, 57}, {5, 80}, {28, 28}, {28, 28}, {28, 28}, {40, 41},
        {56, 28}, {13, 70}, {90, 9}};
    // a mosaic of 8 x 8 Fashion images, to crop real content across tile edges
    int side = 8 * 28;
    byte[] mosaic = new byte[side * side];
    for (int k = 0; k < 64; k++) {
      for (int r = 0; r < 28; r++) {
        System.arraycopy(images.pixels(), k * 784 + r * 28, mosaic,
            (k / 8 * 28 + r) * side + k % 8 * 28, 28);
      }
    }
    byte[][] pixels = new byte[sizes.length][];
    long total = 0;
    for (int i = 0; i < sizes.length; i++) {
      int h = sizes[i][0];
      int w = sizes[i][1];
      pixels[i] = new byte[h * w];
      for (int r = 0; r < h; r++) {
        System.arraycopy(mosaic, (7 * i + r) * side + 11 * i, pixels[i], r * w, w);
      }
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setDataElements(0, 0, w, h, pixels[i]);
      ImageIO.write(img, "png", pngs.resolve(String.format("%02d.png", i)).toFile());
      total += h * w;
    }
    Path archive = dir.resolve("mixed-archive");
    CompressJob.Options o = compressOptions(pngs, archive);
    o.partitions = 3;
    o.model = "fashion-mnist";
    Manifest m = CompressJob.run(sc, o).manifest;
    assertTrue(m.mixedSizes());
    assertEquals(total, m.originalBytes());
    assertTrue(m.shardFormatVersion >= io.bbans.codec.container.Shard.TILED);
    assertEquals(io.bbans.codec.container.Shard.VERSION, io.bbans.codec.container.Shard.read(
        Files.readAllBytes(archive.resolve("part-00001.bbshard"))).version());
    String json = Files.readString(archive.resolve(Manifest.FILE));
    assertTrue(json.contains("\"version\":3") && json.contains("\"sizes\":\"mixed\""), json);

    Path out = dir.resolve("mixed-out");
    DecompressJob.Options d = decompressOptions(archive, out);
    d.merge = false;
    d.format = DecompressJob.Format.PNG;
    DecompressJob.run(sc, d);
    for (int i = 0; i < sizes.length; i++) {
      BufferedImage back = ImageIO.read(out.resolve(String.format("%02d.png", i)).toFile());
      assertEquals(sizes[i][0], back.getHeight());
      assertEquals(sizes[i][1], back.getWidth());
      assertArrayEquals(pixels[i], (byte[]) back.getRaster().getDataElements(0, 0,
          sizes[i][1], sizes[i][0], null), "image " + i);
    }
    DecompressJob.Options idx = decompressOptions(archive, dir.resolve("mixed-idx"));
    Exception e = assertThrows(IllegalArgumentException.class, () -> DecompressJob.run(sc, idx));
    assertTrue(e.getMessage().contains("mixed sizes, which an IDX file cannot: use --format png"),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("mixed-idx")));

    io.bbans.job.stats.StatsJob.Options so = new io.bbans.job.stats.StatsJob.Options();
    so.input = archive.toString();
    io.bbans.job.stats.StatsReport report = io.bbans.job.stats.StatsJob.run(sc, so);
    assertEquals(total, report.originalBytes());
    assertEquals(8.0 * m.compressedBytes() / total, report.bitsPerDim(), 1e-9);
    assertTrue(report.negativeElboBitsPerDim() > 1 && report.negativeElboBitsPerDim() < 8,
        "the model's code length of the pixels, per pixel: " + report.negativeElboBitsPerDim());
  }

  /**
   * Grayscale PNG files of 1, 2 and 4 bits come back from decompress --format png at their own
   * bit depth with the same samples (8 bits is the test above); a folder of mixed depths is
   * refused before any work, naming the file.
   */
  @Test
  void pngFilesOfFewerBitsComeBackAtTheirDepth() throws Exception {
    for (int bits : new int[] {1, 2, 4}) {
      Path pngs = dir.resolve("pngs-" + bits);
      Files.createDirectories(pngs);
      int levels = 1 << bits;
      int[][] samples = new int[12][784];
      for (int i = 0; i < samples.length; i++) {
        BufferedImage img = io.bbans.job.compress.ImageSourceTest.gray(bits, 28, 28);
        for (int p = 0; p < 784; p++) {
          // The image's own pixels, quantised to the depth: shapes the model can code.
          samples[i][p] = (images.pixels()[i * 784 + p] & 0xFF) * levels / 256;
          img.getRaster().setSample(p % 28, p / 28, 0, samples[i][p]);
        }
        ImageIO.write(img, "png", pngs.resolve(String.format("%02d.png", i)).toFile());
      }
      Path archive = dir.resolve("archive-" + bits);
      CompressJob.Options o = compressOptions(pngs, archive);
      o.partitions = 2;
      Manifest m = CompressJob.run(sc, o).manifest;
      assertEquals(bits, m.bitDepth);
      assertTrue(Files.readString(archive.resolve(Manifest.FILE)).contains("\"version\":2"));
      Path out = dir.resolve("back-" + bits);
      DecompressJob.Options d = decompressOptions(archive, out);
      d.merge = false;
      d.format = DecompressJob.Format.PNG;
      DecompressJob.run(sc, d);
      for (int i = 0; i < samples.length; i++) {
        byte[] png = Files.readAllBytes(out.resolve(String.format("%02d.png", i)));
        assertEquals(bits, png[24], "bit depth of the PNG written back");
        assertEquals(0, png[25], "grayscale");
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertArrayEquals(samples[i], back.getRaster().getSamples(0, 0, 28, 28, 0,
            (int[]) null), bits + "-bit image " + i);
      }
    }
    Path mixed = dir.resolve("pngs-2");
    ImageIO.write(io.bbans.job.compress.ImageSourceTest.gray(8, 28, 28), "png",
        mixed.resolve("99.png").toFile());
    Exception e = assertThrows(Exception.class,
        () -> CompressJob.run(sc, compressOptions(mixed, dir.resolve("mixed"))));
    assertTrue(e.getMessage().contains("99.png: 8-bit grayscale, the other images are 2-bit"),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("mixed")));
  }

  @Test
  void badInputIsOneClearErrorBeforeAnyWork() throws Exception {
    // Images of another size than the model's are no longer bad input: coded as tiles, and an
    // archive of one size (not the model's) still decompresses to IDX, byte for byte.
    Path small = dir.resolve("six.idx");
    byte[] six = Arrays.copyOf(images.pixels(), 5 * 6 * 6);
    try (OutputStream out = Files.newOutputStream(small)) {
      Idx.write(new ImageSet(5, 6, 6, six), out);
    }
    Manifest sixes = CompressJob.run(sc, compressOptions(small, dir.resolve("six"))).manifest;
    assertEquals(6, sixes.rows);
    // tiled: coded (3), or stored (4) where five tiny images cost more coded than raw
    assertTrue(sixes.shardFormatVersion >= io.bbans.codec.container.Shard.TILED,
        "version " + sixes.shardFormatVersion);
    DecompressJob.run(sc, decompressOptions(dir.resolve("six"), dir.resolve("six-back")));
    assertArrayEquals(Files.readAllBytes(small),
        Files.readAllBytes(dir.resolve("six-back").resolve(DecompressJob.MERGED)));

    Path empty = dir.resolve("empty.idx");
    try (OutputStream out = Files.newOutputStream(empty)) {
      Idx.write(new ImageSet(0, 28, 28, new byte[0]), out);
    }
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> CompressJob.run(sc, compressOptions(empty, dir.resolve("bad2"))));
    assertTrue(none.getMessage().contains("no images"), none.getMessage());

    Path truncated = dir.resolve("truncated.idx");
    byte[] whole = Files.readAllBytes(input);
    Files.write(truncated, Arrays.copyOf(whole, whole.length - 100));
    Exception t = assertThrows(RuntimeException.class,
        () -> CompressJob.run(sc, compressOptions(truncated, dir.resolve("bad3"))));
    assertTrue(t.getMessage().contains("truncated"), t.getMessage());
  }

  @Test
  void decompressRefusesIncompleteOrHostileArchives() throws Exception {
    Path copy = dir.resolve("hostile");
    Files.createDirectories(copy);
    for (String f : names(clean)) {
      Files.copy(clean.resolve(f), copy.resolve(f));
    }
    String json = Files.readString(copy.resolve(Manifest.FILE));
    Files.writeString(copy.resolve(Manifest.FILE),
        json.replace("\"part-00001.bbshard\"", "\"../clean/part-00001.bbshard\""));
    ManifestException e = assertThrows(ManifestException.class,
        () -> DecompressJob.run(sc, decompressOptions(copy, dir.resolve("h-out"))));
    assertTrue(e.getMessage().contains("not a plain file name"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("h-out")), "refused before any output");

    Files.writeString(copy.resolve(Manifest.FILE), json);
    Files.delete(copy.resolve("_SUCCESS"));
    e = assertThrows(ManifestException.class,
        () -> DecompressJob.run(sc, decompressOptions(copy, dir.resolve("h-out"))));
    assertTrue(e.getMessage().contains("_SUCCESS"), e.getMessage());

    Files.createFile(copy.resolve("_SUCCESS"));
    byte[] shard = Files.readAllBytes(copy.resolve("part-00003.bbshard"));
    shard[shard.length / 2] ^= 4;
    Files.write(copy.resolve("part-00003.bbshard"), shard);
    Exception c = assertThrows(Exception.class,
        () -> DecompressJob.run(sc, decompressOptions(copy, dir.resolve("h-out2"))));
    assertTrue(causes(c).contains("CorruptStreamException: part-00003.bbshard"), causes(c));
    assertFalse(Files.exists(dir.resolve("h-out2").resolve("_SUCCESS")));
    assertTrue(new String(Files.readAllBytes(copy.resolve(Manifest.FILE)),
        StandardCharsets.UTF_8).equals(json), "the archive is left as it was");
  }
}
