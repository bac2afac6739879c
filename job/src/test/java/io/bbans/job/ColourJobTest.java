package io.bbans.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Architecture;
import io.bbans.codec.model.FloatVae;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.Quantizer;
import io.bbans.codec.model.VaeModel;
import io.bbans.codec.model.VaeTrainer;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.ManifestException;
import io.bbans.job.compress.CompressJob;
import io.bbans.job.decompress.DecompressJob;
import io.bbans.job.spark.Sessions;
import io.bbans.job.stats.StatsJob;
import io.bbans.job.stats.StatsReport;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colour PNG files through the job in a real local Spark session: RGB and palette images of
 * mixed sizes compress with a colour model and come back from {@code decompress --format png}
 * as 8-bit RGB PNG files with the same colours; what cannot come back (alpha, a folder of
 * grayscale and colour, a model of the other kind, IDX output) is refused before any work.
 */
public class ColourJobTest {
  static final int TILE = 8;

  @TempDir
  static Path dir;
  static JavaSparkContext sc;
  static Path model;

  /** Smooth colour: a gradient and a blob whose three channels move together, plus noise. */
  public static int[] colourPixels(int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double cx = r.nextDouble() * w;
    double cy = r.nextDouble() * h;
    double[] gain = {r.nextDouble() * 150, r.nextDouble() * 150, r.nextDouble() * 150};
    int[] rgb = new int[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double blob = Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 9.0);
        for (int c = 0; c < 3; c++) {
          double v = 40 + 3 * y + gain[c] * blob + r.nextGaussian();
          rgb[(y * w + x) * 3 + c] = (int) Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    return rgb;
  }

  static BufferedImage rgbImage(int[] rgb, int h, int w) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    img.getRaster().setPixels(0, 0, w, h, rgb);
    return img;
  }

  @BeforeAll
  static void start() throws Exception {
    // a tiny colour model of 8x8 tiles, trained briefly on such images
    int count = 300;
    byte[] samples = new byte[count * TILE * TILE * 3];
    for (int i = 0; i < count; i++) {
      int[] rgb = colourPixels(TILE, TILE, i);
      for (int k = 0; k < rgb.length; k++) {
        samples[i * rgb.length + k] = (byte) rgb[k];
      }
    }
    ImageSet train = new ImageSet(count, TILE, TILE, 3, samples);
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = 4;
    o.batchSize = 25;
    o.learningRate = 3e-3;
    o.progress = null;
    FloatVae f = new VaeTrainer(new Architecture(TILE, TILE, 3, Likelihood.PIXEL8,
        new int[] {32}, 4, 8, 18, 18, 8, 2), o).train(train, train.range(0, 50));
    model = dir.resolve("colour.bbvae");
    VaeModel.create(f, Quantizer.quantize(f, train), java.util.Map.of("purpose", "test"))
        .save(model);
    sc = Sessions.start(Sessions.conf("ColourJobTest").setMaster("local[2]"));
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.stop();
    }
  }

  /** Decompress {@code archive} to PNG files under {@code out}. */
  static DecompressJob.Options pngOptions(Path archive, Path out) {
    DecompressJob.Options d = SparkJobTest.decompressOptions(archive, out);
    d.merge = false;
    d.format = DecompressJob.Format.PNG;
    return d;
  }

  static CompressJob.Options compress(Path in, Path out, String modelName) {
    CompressJob.Options o = SparkJobTest.compressOptions(in, out);
    o.partitions = 3;
    o.model = modelName;
    return o;
  }

  /**
   * RGB of mixed sizes (1x1, smaller and larger than the tile, odd edges) and palette images
   * (8-bit and 2-bit, with colours) in one folder: one RGB archive (manifest version 5), every
   * image back as an 8-bit RGB PNG of its size with the colours it showed; IDX refused; stats
   * counts each pixel's three samples.
   */
  @Test
  void colourPngFilesOfMixedSizesComeBackExactly() throws Exception {
    Path pngs = dir.resolve("colour");
    Files.createDirectories(pngs);
    int[][] sizes = {{1, 1}, {8, 8}, {5, 13}, {17, 9}, {30, 3}, {8, 8}, {12, 20}};
    int[][] expected = new int[sizes.length + 2][];
    long samples = 0;
    for (int i = 0; i < sizes.length; i++) {
      expected[i] = colourPixels(sizes[i][0], sizes[i][1], 100 + i);
      ImageIO.write(rgbImage(expected[i], sizes[i][0], sizes[i][1]), "png",
          pngs.resolve(String.format("%02d.png", i)).toFile());
      samples += expected[i].length;
    }
    // palette images: 8-bit (256 colours) and 2-bit (four colours), come back as RGB
    byte[] reds = new byte[256];
    byte[] greens = new byte[256];
    byte[] blues = new byte[256];
    for (int k = 0; k < 256; k++) {
      reds[k] = (byte) k;
      greens[k] = (byte) (255 - k);
      blues[k] = (byte) (k * 7);
    }
    BufferedImage p8 = new BufferedImage(11, 6, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(8, 256, reds, greens, blues));
    BufferedImage p2 = new BufferedImage(9, 10, BufferedImage.TYPE_BYTE_BINARY,
        new IndexColorModel(2, 4, new byte[] {10, (byte) 200, 30, 0},
            new byte[] {20, 40, (byte) 250, 0}, new byte[] {30, 60, 90, (byte) 255}));
    BufferedImage[] palettes = {p8, p2};
    for (int j = 0; j < 2; j++) {
      BufferedImage p = palettes[j];
      int[] rgb = new int[p.getWidth() * p.getHeight() * 3];
      for (int y = 0; y < p.getHeight(); y++) {
        for (int x = 0; x < p.getWidth(); x++) {
          int index = (x * 3 + y * 5) % (j == 0 ? 256 : 4);
          p.getRaster().setSample(x, y, 0, index);
          IndexColorModel cm = (IndexColorModel) p.getColorModel();
          int at = (y * p.getWidth() + x) * 3;
          rgb[at] = cm.getRed(index);
          rgb[at + 1] = cm.getGreen(index);
          rgb[at + 2] = cm.getBlue(index);
        }
      }
      Path file = pngs.resolve("p" + j + ".png");
      ImageIO.write(p, "png", file.toFile());
      assertEquals(3, Files.readAllBytes(file)[25], "written as a palette PNG");
      expected[sizes.length + j] = rgb;
      samples += rgb.length;
    }
    Path archive = dir.resolve("colour-archive");
    Manifest m = CompressJob.run(sc, compress(pngs, archive, model.toString())).manifest;
    assertEquals(3, m.channels);
    assertTrue(m.mixedSizes());
    assertEquals(samples, m.originalBytes());
    String json = Files.readString(archive.resolve(Manifest.FILE));
    assertTrue(json.contains("\"version\":5") && json.contains("\"channels\":3"), json);

    Path out = dir.resolve("colour-out");
    DecompressJob.Options d = pngOptions(archive, out);
    DecompressJob.run(sc, d);
    String[] names = {"00", "01", "02", "03", "04", "05", "06", "p0", "p1"};
    for (int i = 0; i < names.length; i++) {
      byte[] png = Files.readAllBytes(out.resolve(names[i] + ".png"));
      assertEquals(8, png[24], "8 bits a sample");
      assertEquals(2, png[25], "RGB");
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
      int w = back.getWidth();
      int h = back.getHeight();
      assertEquals(expected[i].length, w * h * 3, names[i]);
      assertArrayEquals(expected[i], back.getRaster().getPixels(0, 0, w, h, (int[]) null),
          names[i]);
    }

    DecompressJob.Options idx = SparkJobTest.decompressOptions(archive, dir.resolve("c-idx"));
    Exception e = assertThrows(IllegalArgumentException.class, () -> DecompressJob.run(sc, idx));
    assertTrue(e.getMessage().contains("colour images, which come back as PNG files: use"
        + " --format png"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("c-idx")));

    StatsJob.Options so = new StatsJob.Options();
    so.input = archive.toString();
    so.baselines = true;
    StatsReport report = StatsJob.run(sc, so);
    assertEquals(samples, report.originalBytes());
    assertEquals(8.0 * m.compressedBytes() / samples, report.bitsPerDim(), 1e-9);
    // colour baselines: PNG of each image (what decompress writes, counted per subpixel), and
    // JPEG XL and WebP of each where installed
    long pngBytes = 0;
    for (String name : names) {
      pngBytes += Files.size(out.resolve(name + ".png"));
    }
    assertEquals(8.0 * pngBytes / samples, report.baselineBitsPerDim("png"), 1e-9);
    for (String tool : new String[] {"cjxl", "cwebp"}) {
      boolean installed = java.util.stream.Stream.of(System.getenv("PATH").split(":"))
          .anyMatch(p -> Files.isExecutable(Path.of(p, tool)));
      String key = tool.equals("cjxl") ? "jpegxl" : "webp";
      assertEquals(installed, report.toJson().contains("\"" + key + "\""), report.toJson());
      if (installed) {
        double rate = report.baselineBitsPerDim(key);
        assertTrue(rate > 0 && rate < 12, key + " " + rate);
      }
    }

    // a manifest that says grayscale for this colour model's archive is refused
    byte[] gray = json.replace(",\"channels\":3", "").getBytes(StandardCharsets.UTF_8);
    Path copy = dir.resolve("colour-lies");
    org.apache.commons.io.FileUtils.copyDirectory(archive.toFile(), copy.toFile());
    Files.write(copy.resolve(Manifest.FILE), gray);
    Exception lie = assertThrows(Exception.class, () -> DecompressJob.run(sc,
        SparkJobTest.decompressOptions(copy, dir.resolve("lie-out"))));
    assertTrue(lie.getMessage().contains("channels"), lie.getMessage());
    assertFalse(Files.exists(dir.resolve("lie-out")));
  }

  /** An RGBA image of {@code rgb}'s colours with {@code alpha} (h x w samples). */
  static BufferedImage rgbaImage(int[] rgb, int[] alpha, int h, int w) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
    int[] rgba = new int[h * w * 4];
    for (int p = 0; p < h * w; p++) {
      System.arraycopy(rgb, p * 3, rgba, p * 4, 3);
      rgba[p * 4 + 3] = alpha[p];
    }
    img.getRaster().setPixels(0, 0, w, h, rgba);
    return img;
  }

  /** Alpha samples: a cut-out disc (0 outside, 255 in), a ramp, or noise, by {@code kind}. */
  static int[] alphaPlane(int h, int w, int kind, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] a = new int[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = x - w / 2.0;
        double dy = y - h / 2.0;
        a[y * w + x] = kind == 0 ? (dx * dx + dy * dy < h * w / 5.0 ? 255 : 0)
            : kind == 1 ? (x * 255 / Math.max(1, w - 1)) : r.nextInt(256);
      }
    }
    return a;
  }

  /**
   * RGBA (a cut-out, a ramp, noise) of mixed sizes beside RGB and palette images in one folder,
   * and 8-bit grey with alpha beside grey: the alpha kept beside the shards (manifest version
   * 6), every image back with the samples and alpha it had, as RGBA or grey with alpha where it
   * had alpha and as before where not; IDX refused for grey with alpha (it holds no alpha); an
   * alpha file that differs from the manifest's, or is missing, is refused, nothing written.
   */
  @Test
  void alphaComesBackExactly() throws Exception {
    Path pngs = dir.resolve("alpha");
    Files.createDirectories(pngs);
    int[][] sizes = {{8, 8}, {5, 13}, {17, 9}, {1, 1}, {12, 20}};
    int[][] colours = new int[sizes.length][];
    int[][] alphas = new int[sizes.length][];
    for (int i = 0; i < sizes.length; i++) {
      int h = sizes[i][0];
      int w = sizes[i][1];
      colours[i] = colourPixels(h, w, 300 + i);
      if (i == 2) {
        ImageIO.write(rgbImage(colours[i], h, w), "png", pngs.resolve("02.png").toFile());
        continue;
      }
      alphas[i] = alphaPlane(h, w, i % 3, i);
      ImageIO.write(rgbaImage(colours[i], alphas[i], h, w), "png",
          pngs.resolve(String.format("%02d.png", i)).toFile());
      assertEquals(6, Files.readAllBytes(pngs.resolve(String.format("%02d.png", i)))[25],
          "written as RGBA");
    }
    Path archive = dir.resolve("alpha-archive");
    CompressJob.Options co = compress(pngs, archive, model.toString());
    co.partitions = 2;
    Manifest m = CompressJob.run(sc, co).manifest;
    assertTrue(m.hasAlpha());
    String json = Files.readString(archive.resolve(Manifest.FILE));
    assertTrue(json.contains("\"version\":6") && json.contains("\"alpha\":{"), json);

    Path out = dir.resolve("alpha-out");
    DecompressJob.Options d = pngOptions(archive, out);
    DecompressJob.run(sc, d);
    for (int i = 0; i < sizes.length; i++) {
      byte[] png = Files.readAllBytes(out.resolve(String.format("%02d.png", i)));
      assertEquals(8, png[24], "8 bits a sample");
      assertEquals(alphas[i] == null ? 2 : 6, png[25], "RGB or RGBA, as it was");
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
      int h = sizes[i][0];
      int w = sizes[i][1];
      assertEquals(w, back.getWidth());
      assertEquals(h, back.getHeight());
      int[] rgb = new int[h * w * 3];
      for (int c = 0; c < 3; c++) {
        int[] band = back.getRaster().getSamples(0, 0, w, h, c, (int[]) null);
        for (int p = 0; p < h * w; p++) {
          rgb[p * 3 + c] = band[p];
        }
      }
      assertArrayEquals(colours[i], rgb, "colours of " + i);
      if (alphas[i] != null) {
        assertArrayEquals(alphas[i], back.getRaster().getSamples(0, 0, w, h, 3, (int[]) null),
            "alpha of " + i);
      }
    }
    // read through the data source: Spark's image schema (B, G, R, A) and PNG bytes with alpha
    java.util.List<org.apache.spark.sql.Row> rows = io.bbans.job.table.Tables.session(sc).read()
        .format("bbans").load(archive.toString()).orderBy("index").collectAsList();
    java.util.List<org.apache.spark.sql.Row> pngRows = io.bbans.job.table.Tables.session(sc)
        .read().format("bbans").option("image", "png").load(archive.toString())
        .orderBy("index").collectAsList();
    for (int i : new int[] {0, 2}) {
      org.apache.spark.sql.Row image = rows.get(i).getStruct(1);
      int n = alphas[i] == null ? 3 : 4;
      assertEquals(n, image.getInt(3), "channels of " + i);
      assertEquals(n == 3 ? 16 : 24, image.getInt(4), "OpenCV mode of " + i);
      byte[] data = (byte[]) image.get(5);
      for (int p = 0; p < sizes[i][0] * sizes[i][1]; p++) {
        assertEquals(colours[i][p * 3 + 2], data[p * n] & 0xFF);
        assertEquals(colours[i][p * 3], data[p * n + 2] & 0xFF);
        if (n == 4) {
          assertEquals(alphas[i][p], data[p * n + 3] & 0xFF);
        }
      }
      BufferedImage fromPng = ImageIO.read(new ByteArrayInputStream((byte[]) pngRows.get(i)
          .get(1)));
      assertEquals(n, fromPng.getRaster().getNumBands(), "PNG bands of " + i);
    }

    // an alpha file changed after the fact: refused by its SHA-256, nothing written
    Path copy = dir.resolve("alpha-tampered");
    org.apache.commons.io.FileUtils.copyDirectory(archive.toFile(), copy.toFile());
    Path alphaFile = copy.resolve(io.bbans.job.archive.Alpha.fileName(0));
    byte[] a = Files.readAllBytes(alphaFile);
    a[a.length - 1] ^= 1;
    Files.write(alphaFile, a);
    DecompressJob.Options t = pngOptions(copy, dir.resolve("tampered-out"));
    Exception bad = assertThrows(Exception.class, () -> DecompressJob.run(sc, t));
    assertTrue(String.valueOf(bad.getMessage()).contains("alpha file is corrupt")
        || String.valueOf(bad.getCause()).contains("alpha file is corrupt"), bad.toString());
    assertFalse(Files.exists(dir.resolve("tampered-out")));
    Files.delete(alphaFile);
    Exception missing = assertThrows(ManifestException.class, () -> DecompressJob.run(sc,
        SparkJobTest.decompressOptions(copy, dir.resolve("missing-out"))));
    assertTrue(missing.getMessage().contains("(the alpha channels of shard 0's images) is"
        + " missing"), missing.getMessage());

    // grey with alpha beside grey, through a grayscale model
    Path greys = dir.resolve("grey-alpha");
    Files.createDirectories(greys);
    java.awt.image.ComponentColorModel greyAlpha = new java.awt.image.ComponentColorModel(
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
        java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
    int[][] greySamples = new int[3][];
    int[][] greyAlphas = new int[3][];
    for (int i = 0; i < 3; i++) {
      int h = 6 + i * 7;
      int w = 30 - i * 9;
      int[] rgb = colourPixels(h, w, 400 + i);
      greySamples[i] = new int[h * w];
      for (int p = 0; p < h * w; p++) {
        greySamples[i][p] = rgb[p * 3];
      }
      BufferedImage img;
      if (i == 1) {
        img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setPixels(0, 0, w, h, greySamples[i]);
      } else {
        greyAlphas[i] = alphaPlane(h, w, i, 500 + i);
        img = new BufferedImage(greyAlpha, greyAlpha.createCompatibleWritableRaster(w, h),
            false, null);
        int[] ga = new int[h * w * 2];
        for (int p = 0; p < h * w; p++) {
          ga[p * 2] = greySamples[i][p];
          ga[p * 2 + 1] = greyAlphas[i][p];
        }
        img.getRaster().setPixels(0, 0, w, h, ga);
      }
      ImageIO.write(img, "png", greys.resolve("g" + i + ".png").toFile());
    }
    Path greyArchive = dir.resolve("grey-alpha-archive");
    CompressJob.run(sc, compress(greys, greyArchive, "fashion-mnist"));
    DecompressJob.Options idx = SparkJobTest.decompressOptions(greyArchive,
        dir.resolve("a-idx"));
    Exception e = assertThrows(IllegalArgumentException.class, () -> DecompressJob.run(sc, idx));
    assertTrue(e.getMessage().contains("keeps alpha channels, which an IDX file cannot hold"),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("a-idx")));
    Path greyOut = dir.resolve("grey-alpha-out");
    DecompressJob.Options gd = pngOptions(greyArchive, greyOut);
    DecompressJob.run(sc, gd);
    for (int i = 0; i < 3; i++) {
      byte[] png = Files.readAllBytes(greyOut.resolve("g" + i + ".png"));
      assertEquals(8, png[24]);
      assertEquals(greyAlphas[i] == null ? 0 : 4, png[25], "grey, or grey with alpha");
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
      int h = back.getHeight();
      int w = back.getWidth();
      assertArrayEquals(greySamples[i], back.getRaster().getSamples(0, 0, w, h, 0,
          (int[]) null), "grey of " + i);
      if (greyAlphas[i] != null) {
        assertArrayEquals(greyAlphas[i], back.getRaster().getSamples(0, 0, w, h, 1,
            (int[]) null), "alpha of " + i);
      }
    }
  }

  /**
   * With no --model, colour images get the bundled colour model, and the report says so;
   * grayscale ones a grayscale model, never it.
   */
  @Test
  void theBundledColourModelIsChosenForColour() throws Exception {
    Path pngs = dir.resolve("auto-colour");
    Files.createDirectories(pngs);
    int[] rgb = colourPixels(20, 37, 9);
    ImageIO.write(rgbImage(rgb, 20, 37), "png", pngs.resolve("a.png").toFile());
    Path archive = dir.resolve("auto-colour-archive");
    CompressJob.Result r = CompressJob.run(sc, compress(pngs, archive, CompressJob.AUTO));
    assertEquals("colour", r.manifest.modelName);
    assertTrue(r.modelChoice.startsWith("model colour, chosen for these images"),
        r.modelChoice);
    Path out = dir.resolve("auto-colour-out");
    DecompressJob.run(sc, pngOptions(archive, out));
    BufferedImage back = ImageIO.read(out.resolve("a.png").toFile());
    assertArrayEquals(rgb, back.getRaster().getPixels(0, 0, 37, 20, (int[]) null));

    Path gray = dir.resolve("auto-gray");
    Files.createDirectories(gray);
    ImageIO.write(new BufferedImage(9, 9, BufferedImage.TYPE_BYTE_GRAY), "png",
        gray.resolve("a.png").toFile());
    CompressJob.Result g = CompressJob.run(sc, compress(gray, dir.resolve("auto-gray-archive"),
        CompressJob.AUTO));
    assertFalse(g.manifest.modelName.equals("colour"), g.manifest.modelName);
  }

  /** Manifest fields of colour and alpha that no writer makes are refused. */
  @Test
  void hostileColourManifestsAreRefused() throws Exception {
    Path pngs = dir.resolve("small");
    Files.createDirectories(pngs);
    ImageIO.write(rgbImage(colourPixels(8, 8, 1), 8, 8), "png", pngs.resolve("a.png").toFile());
    Path archive = dir.resolve("small-archive");
    CompressJob.run(sc, compress(pngs, archive, model.toString()));
    String json = Files.readString(archive.resolve(Manifest.FILE));
    for (String[] bad : new String[][] {{"\"channels\":3", "\"channels\":2"},
        {"\"channels\":3", "\"channels\":4"}, {"\"version\":5", "\"version\":3"},
        {"\"channels\":3", "\"channels\":3,\"bitDepth\":4"}}) {
      String lie = json.replace(bad[0], bad[1]);
      assertTrue(!lie.equals(json), bad[1]);
      assertThrows(ManifestException.class,
          () -> Manifest.parse(lie.getBytes(StandardCharsets.UTF_8)), bad[1]);
    }
    // alpha beside a shard: only in version 6, only under the shard's own alpha file name
    String alpha = json.replaceFirst("(\"shardSha256\":\"[0-9a-f]{64}\")",
        "$1,\"alpha\":{\"file\":\"part-00000.alpha\",\"bytes\":10,\"sha256\":\""
        + "0".repeat(64) + "\"}");
    assertTrue(!alpha.equals(json));
    for (String[] bad : new String[][] {{"\"version\":5", "\"version\":5",
        "in a version 5 manifest, which keeps no alpha"}, {"\"version\":5", "\"version\":6",
        null}, {"part-00000.alpha", "../x.alpha", "expected 'part-00000.alpha'"},
        {"\"bytes\":10", "\"bytes\":0", "bytes"}}) {
      String six = bad[2] == null || bad[0].startsWith("\"version") ? alpha
          : alpha.replace("\"version\":5", "\"version\":6");
      String lie = six.replace(bad[0], bad[1]);
      if (bad[2] == null) {
        assertTrue(Manifest.parse(lie.getBytes(StandardCharsets.UTF_8)).hasAlpha());
        continue;
      }
      ManifestException e = assertThrows(ManifestException.class,
          () -> Manifest.parse(lie.getBytes(StandardCharsets.UTF_8)), bad[1]);
      assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
    }
  }

  /**
   * Before any work, nothing written: 16-bit RGBA, a folder of grayscale and colour, a
   * grayscale model for colour images and a colour model for grayscale ones.
   */
  @Test
  void whatCannotComeBackIsRefusedBeforeAnyWork() throws Exception {
    Path rgba = dir.resolve("rgba");
    Files.createDirectories(rgba);
    ImageIO.write(new BufferedImage(new java.awt.image.ComponentColorModel(
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), true, false,
        java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_USHORT),
        java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_USHORT,
            5, 5, 4, null), false, null), "png", rgba.resolve("a.png").toFile());
    Path both = dir.resolve("both");
    Files.createDirectories(both);
    ImageIO.write(rgbImage(colourPixels(8, 8, 2), 8, 8), "png", both.resolve("a.png").toFile());
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png",
        both.resolve("b.png").toFile());
    Path colour = dir.resolve("one-colour");
    Files.createDirectories(colour);
    ImageIO.write(rgbImage(colourPixels(8, 8, 3), 8, 8), "png", colour.resolve("a.png").toFile());
    Path grayFolder = dir.resolve("one-gray");
    Files.createDirectories(grayFolder);
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png",
        grayFolder.resolve("a.png").toFile());
    Object[][] cases = {
        {rgba, model.toString(), "a.png: 16-bit RGBA; the models code at most 8 bits"},
        {both, model.toString(), "b.png: grayscale, the other images are colour"},
        {colour, "fashion-mnist", "holds colour (RGB) images; fashion-mnist codes grayscale"
            + " ones"},
        {grayFolder, model.toString(), "holds grayscale images; " + model + " codes colour"
            + " (RGB) ones"},
        {colour, "mnist-binary", "holds colour (RGB) images; mnist-binary codes grayscale"
            + " ones"}};
    for (Object[] c : cases) {
      Path out = dir.resolve("refused-" + ((Path) c[0]).getFileName());
      Exception e = assertThrows(Exception.class,
          () -> CompressJob.run(sc, compress((Path) c[0], out, (String) c[1])));
      assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
      assertFalse(Files.exists(out), "nothing written for " + c[2]);
    }
  }
}
