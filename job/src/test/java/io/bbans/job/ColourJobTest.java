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
class ColourJobTest {
  static final int TILE = 8;

  @TempDir
  static Path dir;
  static JavaSparkContext sc;
  static Path model;

  /** Smooth colour: a gradient and a blob whose three channels move together, plus noise. */
  static int[] colourPixels(int h, int w, long seed) {
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
    DecompressJob.Options d = SparkJobTest.decompressOptions(archive, out);
    d.merge = false;
    d.format = DecompressJob.Format.PNG;
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
    StatsReport report = StatsJob.run(sc, so);
    assertEquals(samples, report.originalBytes());
    assertEquals(8.0 * m.compressedBytes() / samples, report.bitsPerDim(), 1e-9);

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

  /** Manifest fields of colour that no writer makes are refused. */
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
  }

  /**
   * Before any work, nothing written: alpha (RGBA), a folder of grayscale and colour, a
   * grayscale model for colour images and a colour model for grayscale ones, and (no bundled
   * model codes colour yet) the default choice for colour.
   */
  @Test
  void whatCannotComeBackIsRefusedBeforeAnyWork() throws Exception {
    Path rgba = dir.resolve("rgba");
    Files.createDirectories(rgba);
    ImageIO.write(new BufferedImage(5, 5, BufferedImage.TYPE_4BYTE_ABGR), "png",
        rgba.resolve("a.png").toFile());
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
        {rgba, model.toString(), "a.png: a colour image with alpha (RGBA), which no model codes"
            + " yet"},
        {both, model.toString(), "b.png: grayscale, the other images are colour"},
        {colour, "fashion-mnist", "holds colour (RGB) images; fashion-mnist codes grayscale"
            + " ones"},
        {grayFolder, model.toString(), "holds grayscale images; " + model + " codes colour"
            + " (RGB) ones"},
        {colour, CompressJob.AUTO, "no bundled model codes colour (RGB) images yet"}};
    for (Object[] c : cases) {
      Path out = dir.resolve("refused-" + ((Path) c[0]).getFileName());
      Exception e = assertThrows(Exception.class,
          () -> CompressJob.run(sc, compress((Path) c[0], out, (String) c[1])));
      assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
      assertFalse(Files.exists(out), "nothing written for " + c[2]);
    }
  }
}
