package io.bbans.job.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.image.Idx;
import io.bbans.codec.image.ImageSet;
import io.bbans.job.cli.BbansCommandTest.Run;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compress, stats and decompress as a user types them, each starting its own embedded Spark
 * session: the bundled default end to end, exit codes, and one-line errors.
 */
class SparkCommandsTest {
  @TempDir
  Path dir;

  static Run run(String... args) {
    return BbansCommandTest.run(args);
  }

  @Test
  void bundledSampleCompressesStatsAndComesBack() throws Exception {
    Path archive = dir.resolve("sample");
    Run c = run("compress", "--output", archive.toString(), "--partitions", "2", "--seed", "3");
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("compressed 256 images"), c.out());

    Run s = run("stats", "--input", archive.toString(), "--json", "--chart",
        dir.resolve("chart.png").toString());
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().contains("\"images\" : 256"), s.out());
    assertTrue(Files.size(dir.resolve("chart.png")) > 1000);

    Path out = dir.resolve("back");
    Run d = run("decompress", "--input", archive.toString(), "--output", out.toString(),
        "--merge");
    assertEquals(0, d.code(), d.err());
    byte[] sample;
    try (InputStream in = new GZIPInputStream(
        SparkCommandsTest.class.getResourceAsStream("/io/bbans/samples/fashion-mnist-sample.idx.gz"))) {
      sample = in.readAllBytes();
    }
    assertArrayEquals(sample, Files.readAllBytes(out.resolve("images.idx")));
  }

  /**
   * A Parquet table in the Hugging Face layout through the commands as a user types them:
   * compress finds it is Parquet and keeps its labels, decompress --format parquet gives the
   * table back, stats counts the kept columns, a wrong column is one line.
   */
  @Test
  void parquetTableThroughTheCommands() throws Exception {
    Path table = dir.resolve("table");
    org.apache.spark.api.java.JavaSparkContext sc = io.bbans.job.spark.Sessions.start(
        io.bbans.job.spark.Sessions.conf("table").setMaster("local[1]"));
    try {
      org.apache.spark.sql.SparkSession spark = io.bbans.job.table.Tables.session(sc);
      ImageSet images;
      try (InputStream in = new GZIPInputStream(SparkCommandsTest.class.getResourceAsStream(
          "/io/bbans/samples/fashion-mnist-sample.idx.gz"))) {
        images = Idx.read(in, "sample").range(0, 64);
      }
      List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
      for (int i = 0; i < images.count(); i++) {
        rows.add(org.apache.spark.sql.RowFactory.create(org.apache.spark.sql.RowFactory.create(
            io.bbans.job.table.TableJobTest.png(images, i), "img" + i + ".png"), "label " + i));
      }
      org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
          .add("image", new org.apache.spark.sql.types.StructType()
              .add("bytes", org.apache.spark.sql.types.DataTypes.BinaryType)
              .add("path", org.apache.spark.sql.types.DataTypes.StringType))
          .add("label", org.apache.spark.sql.types.DataTypes.StringType);
      spark.createDataFrame(rows, schema).coalesce(1).write().parquet(table.toString());
    } finally {
      sc.stop();
    }
    Path archive = dir.resolve("archive");
    Run c = run("compress", "--input", table.toString(), "--output", archive.toString(),
        "--partitions", "2", "--model", "fashion-mnist");
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("compressed 64 images") && c.out().contains("other columns"),
        c.out());
    Run s = run("stats", "--input", archive.toString());
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().contains("other columns, kept beside the shards"), s.out());
    Path back = dir.resolve("back");
    Run d = run("decompress", "--input", archive.toString(), "--output", back.toString(),
        "--format", "parquet");
    assertEquals(0, d.code(), d.err());
    assertTrue(Files.exists(back.resolve("part-00000.parquet")));
    assertTrue(Files.exists(back.resolve("part-00001.parquet")));

    Run wrong = run("compress", "--input", table.toString(), "--output",
        dir.resolve("x").toString(), "--image-column", "picture");
    assertEquals(1, wrong.code());
    assertTrue(wrong.err().contains("no column 'picture'"), wrong.err());
    assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
    assertFalse(Files.exists(dir.resolve("x")));
  }

  @Test
  void failuresAreOneLineAndExitNonZero() throws Exception {
    Path archive = dir.resolve("a");
    Run missing = run("compress", "--input", dir.resolve("nothing.idx").toString(),
        "--output", archive.toString());
    assertEquals(1, missing.code());
    assertEquals("bbans compress: " + dir.resolve("nothing.idx") + ": no such file or folder",
        missing.err().strip());
    assertFalse(Files.exists(archive.resolve("_SUCCESS")));

    Path notAnArchive = Files.createDirectories(dir.resolve("not-an-archive"));
    Run notArchive = run("decompress", "--input", notAnArchive.toString(), "--output",
        dir.resolve("o").toString());
    assertEquals(1, notArchive.code());
    assertTrue(notArchive.err().strip().startsWith("bbans decompress: ")
        && notArchive.err().contains("_SUCCESS") && notArchive.err().strip().lines().count() == 1,
        notArchive.err());

    Run lanes = run("compress", "--output", archive.toString(), "--lanes", "many");
    assertEquals(1, lanes.code());
    assertTrue(lanes.err().contains("lanes must be a number or auto"), lanes.err());

    Run usage = run("compress", "--frobnicate");
    assertEquals(2, usage.code());
  }

  /**
   * Noise, which no model fits: the shards are stored as their pixels, so the archive is never
   * larger than the input plus headers and the manifest; compress says so and warns, in one
   * line on stderr, that gzip does better; the images come back exactly.
   */
  @Test
  void imagesTheModelDoesNotFitAreStoredAndWarnedAbout() throws Exception {
    int n = 300;
    byte[] noise = new byte[n * 784];
    new java.util.SplittableRandom(11).nextBytes(noise);
    Path input = dir.resolve("noise.idx");
    try (java.io.OutputStream out = Files.newOutputStream(input)) {
      io.bbans.codec.image.Idx.write(new io.bbans.codec.image.ImageSet(n, 28, 28, noise), out);
    }
    Path archive = dir.resolve("noise-archive");
    Run c = run("compress", "--input", input.toString(), "--output", archive.toString(),
        "--partitions", "2", "--model", "fashion-mnist");
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("2 of 2 shards stored as their pixels"), c.out());
    List<String> warning = c.err().strip().lines().toList();
    assertEquals(1, warning.size(), c.err());
    assertTrue(warning.get(0).matches("bbans compress: warning: the model fashion-mnist codes"
        + " these images at [0-9.]+ bits/dim, more than gzip's [0-9.]+ on 300 of"
        + " them; a model trained on such images would do better \\(./submit.sh train"
        + " --help\\)"), warning.get(0));
    long shards = 0;
    for (String f : List.of("part-00000.bbshard", "part-00001.bbshard")) {
      shards += Files.size(archive.resolve(f));
    }
    assertEquals(noise.length + 2 * (76 + 32), shards, "the pixels, headers and checksums");
    assertTrue(Files.readString(archive.resolve("manifest.json"))
        .contains("\"shardFormatVersion\":2"));
    Path back = dir.resolve("noise-back");
    Run d = run("decompress", "--input", archive.toString(), "--output", back.toString(),
        "--merge");
    assertEquals(0, d.code(), d.err());
    assertArrayEquals(Files.readAllBytes(input), Files.readAllBytes(back.resolve("images.idx")));
  }

  /**
   * Grayscale photographs of mixed sizes (here smooth scenes with noise, as
   * {@code ColourJobTest} makes in colour): compress without --model chooses grayscale-photo,
   * the bundled model that reads the neighbouring tiles, and decompress gives every image back
   * at its size.
   */
  @Test
  void grayscalePhotographsGetTheBundledPhotographModel() throws Exception {
    Path pngs = Files.createDirectories(dir.resolve("grey-photos"));
    int[][] sizes = {{70, 90}, {33, 120}, {64, 64}, {20, 31}, {100, 45}};
    for (int i = 0; i < sizes.length; i++) {
      int h = sizes[i][0];
      int w = sizes[i][1];
      int[] rgb = io.bbans.job.ColourJobTest.colourPixels(h, w, 40 + i);
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h,
          java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      for (int p = 0; p < h * w; p++) {
        img.getRaster().setSample(p % w, p / w, 0, rgb[p * 3]);
      }
      javax.imageio.ImageIO.write(img, "png", pngs.resolve(i + ".png").toFile());
    }
    Run c = run("compress", "--input", pngs.toString(), "--output",
        dir.resolve("grey-photos-archive").toString(), "--partitions", "2");
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("model grayscale-photo, chosen for these images"), c.out());
    Run d = run("decompress", "--input", dir.resolve("grey-photos-archive").toString(),
        "--output", dir.resolve("grey-photos-back").toString(), "--format", "png");
    assertEquals(0, d.code(), d.err());
    for (int i = 0; i < sizes.length; i++) {
      java.awt.image.Raster was = javax.imageio.ImageIO.read(pngs.resolve(i + ".png").toFile())
          .getRaster();
      java.awt.image.Raster back = javax.imageio.ImageIO.read(
          dir.resolve("grey-photos-back/" + i + ".png").toFile()).getRaster();
      assertEquals(was.getWidth(), back.getWidth());
      assertEquals(was.getHeight(), back.getHeight());
      assertArrayEquals(was.getSamples(0, 0, was.getWidth(), was.getHeight(), 0, (int[]) null),
          back.getSamples(0, 0, was.getWidth(), was.getHeight(), 0, (int[]) null), "image " + i);
    }
  }

  /**
   * compress without --model chooses among the bundled models that code the images' size and
   * kind, by their rate on a sample, and names the one it chose in its report; a Bernoulli model is a
   * candidate only for images known to be binary (PNG files of 1 bit).
   */
  @Test
  void withoutModelTheBundledModelThatFitsBestIsChosenAndNamed() throws Exception {
    Run c = run("compress", "--output", dir.resolve("auto").toString(), "--partitions", "1");
    assertEquals(0, c.code(), c.err());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("  model (\\S+),"
        + " chosen for these images: of the bundled models that code them, it does best on 200"
        + " of them \\((.*) bits/dim\\); --model chooses another").matcher(c.out());
    assertTrue(m.find(), c.out());
    assertEquals("fashion-mnist", m.group(1), "the sample is Fashion-MNIST: " + m.group(2));
    assertTrue(m.group(2).matches("fashion-mnist [0-9.]+, mnist [0-9.]+, grayscale-photo"
        + " [0-9.]+"), m.group(2));
    assertTrue(Files.readString(dir.resolve("auto/manifest.json"))
        .contains("\"name\":\"fashion-mnist\""));

    // The same images as 1-bit PNG files: the Bernoulli model is a candidate too.
    ImageSet sample;
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(SparkCommandsTest.class
        .getResourceAsStream("/io/bbans/samples/fashion-mnist-sample.idx.gz"))) {
      sample = Idx.read(in, "sample");
    }
    Path pngs = Files.createDirectories(dir.resolve("one-bit"));
    for (int i = 0; i < 40; i++) {
      java.awt.image.BufferedImage img = io.bbans.job.compress.ImageSourceTest.gray(1, 28, 28);
      for (int p = 0; p < 784; p++) {
        img.getRaster().setSample(p % 28, p / 28, 0, (sample.pixels()[i * 784 + p] & 0xFF) > 127
            ? 1 : 0);
      }
      javax.imageio.ImageIO.write(img, "png", pngs.resolve(i + ".png").toFile());
    }
    Run b = run("compress", "--input", pngs.toString(), "--output",
        dir.resolve("auto-bits").toString(), "--partitions", "1");
    assertEquals(0, b.code(), b.err());
    java.util.regex.Matcher bm = java.util.regex.Pattern.compile("model (\\S+), chosen.*on 40"
        + " of them \\((fashion-mnist ([0-9.]+), mnist ([0-9.]+), mnist-binary ([0-9.]+),"
        + " grayscale-photo ([0-9.]+)) bits/dim").matcher(b.out());
    assertTrue(bm.find(), b.out());
    double[] rates = {Double.parseDouble(bm.group(3)), Double.parseDouble(bm.group(4)),
        Double.parseDouble(bm.group(5)), Double.parseDouble(bm.group(6))};
    String[] names = {"fashion-mnist", "mnist", "mnist-binary", "grayscale-photo"};
    int best = 0;
    for (int k = 1; k < names.length; k++) {
      best = rates[k] < rates[best] ? k : best;
    }
    assertEquals(names[best], bm.group(1), bm.group(2));
    Run d = run("decompress", "--input", dir.resolve("auto-bits").toString(), "--output",
        dir.resolve("auto-bits-back").toString(), "--format", "png");
    assertEquals(0, d.code(), d.err());
    for (int i = 0; i < 40; i++) {
      byte[] back = Files.readAllBytes(dir.resolve("auto-bits-back/" + i + ".png"));
      assertEquals(1, back[24], "1-bit again");
      int[] was = javax.imageio.ImageIO.read(pngs.resolve(i + ".png").toFile()).getRaster()
          .getSamples(0, 0, 28, 28, 0, (int[]) null);
      assertArrayEquals(was, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(back))
          .getRaster().getSamples(0, 0, 28, 28, 0, (int[]) null), "image " + i);
    }
  }
}
