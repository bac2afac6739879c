package io.bbans.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.image.Idx;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.VaeModel;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: exit codes, one-line errors, train then eval. */
class BbansCommandTest {
  @TempDir
  static Path dir;
  static Path images;
  static Path model;

  /** Result of one run: exit code, stdout, stderr. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = BbansCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void trainTinyModel() throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    int n = 600;
    byte[] pixels = new byte[n * 36];
    for (int i = 0; i < n; i++) {
      int bright = 100 + r.nextInt(150);
      for (int p = 0; p < 36; p++) {
        int x = p % 6;
        pixels[i * 36 + p] = (byte) (x == i % 6 ? bright : r.nextInt(3) == 0 ? 0 : r.nextInt(20));
      }
    }
    images = dir.resolve("images.idx.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(images))) {
      Idx.write(new ImageSet(n, 6, 6, pixels), out);
    }
    model = dir.resolve("tiny.bbvae");
    Run train = run("train", "--input", images.toString(), "--output", model.toString(),
        "--train-range", "0:500", "--held-out-range", "500:600", "--epochs", "40", "--lr", "0.005",
        "--hidden", "16", "--latent", "3", "--batch", "50");
    assertEquals(0, train.code(), train.err());
    assertTrue(train.err().contains("epoch 40/40"), train.err());
  }

  @Test
  void trainWritesAModelWithItsCommandAndHeldOutRates() throws Exception {
    VaeModel m = VaeModel.load(model.toString());
    assertEquals(Likelihood.PIXEL8, m.architecture().likelihood());
    assertTrue(m.metadata().get("command").startsWith("bbans train --input"),
        m.metadata().get("command"));
    assertTrue(Double.parseDouble(m.metadata().get("heldOutNegativeElboBitsPerDim")) > 0);
    assertEquals("500", m.metadata().get("trainImages"));
  }

  /**
   * A mixture model (format 3) trained with the held-out images inside the training range: the
   * copies are left out of training and the model records it.
   */
  @Test
  void trainLeavesOutHeldOutCopiesAndWritesAMixtureModel() throws Exception {
    Path mixture = dir.resolve("mixture.bbvae");
    Run train = run("train", "--input", images.toString(), "--output", mixture.toString(),
        "--train-range", "0:600", "--held-out-range", "500:600", "--drop-held-out-copies",
        "--epochs", "2", "--hidden", "16", "--latent", "3", "--batch", "50", "--context", "4",
        "--mixture", "2");
    assertEquals(0, train.code(), train.err());
    assertTrue(train.err().contains("left out 100 training images"), train.err());
    VaeModel m = VaeModel.load(mixture.toString());
    assertEquals("500", m.metadata().get("trainImages"));
    assertEquals(2, m.architecture().mixture());
    assertEquals(3, m.bytes()[9], "format 3");
    Run bad = run("train", "--input", images.toString(), "--output",
        dir.resolve("no.bbvae").toString(), "--epochs", "1", "--mixture", "2");
    assertEquals(1, bad.code(), bad.err());
    assertTrue(bad.err().trim().startsWith("bbans train: ")
        && bad.err().contains("a mixture needs 8-bit pixels and a context head")
        && !bad.err().trim().contains("\n"), bad.err());
  }

  @Test
  void evalJsonHasTheDocumentedKeys() {
    Run eval = run("eval", "--input", images.toString(), "--model", model.toString(),
        "--range", "500:600", "--json");
    assertEquals(0, eval.code(), eval.err());
    assertEquals(100, (int) number(eval.out(), "images"));
    double q = number(eval.out(), "negativeElboBitsPerDim");
    double f = number(eval.out(), "floatNegativeElboBitsPerDim");
    assertTrue(q > 0 && q < 8 && f > 0 && f < 12, eval.out());
    // images of the model's own size are coded as themselves, without tiles' settings
    assertTrue(eval.out().contains("\"tileSettings\": false,"), eval.out());
    // The rate depends on the batch (its split seeds the latents), and is the same each run
    Run seven = run("eval", "--input", images.toString(), "--model", model.toString(),
        "--range", "500:600", "--json", "--batch", "7");
    Run again = run("eval", "--input", images.toString(), "--model", model.toString(),
        "--range", "500:600", "--json", "--batch", "7");
    assertEquals(0, seven.code(), seven.err());
    assertEquals(number(seven.out(), "negativeElboBitsPerDim"),
        number(again.out(), "negativeElboBitsPerDim"));
    assertTrue(number(seven.out(), "negativeElboBitsPerDim") != q, seven.out());
    Run gone = run("eval", "--input", images.toString(), "--model", model.toString(),
        "--pass", "ND4J");
    assertEquals(2, gone.code(), "there is one forward pass, and no option for it: "
        + gone.err());
  }

  /**
   * eval on images of any size: the quantised rate over their tiles (what compress reaches),
   * the float network's on their whole tiles, which it says it used.
   */
  @Test
  void evalRatesImagesOfAnySize() throws Exception {
    java.nio.file.Path pngs = ramps("eval-mixed", 2, new int[][] {{10, 40}, {30, 30}, {28, 28}});
    Run eval = run("eval", "--input", pngs.toString(), "--model", "fashion-mnist", "--json");
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("\"images\": 3,") && eval.out().contains(
        "\"floatOnWholeTiles\": 2,"), eval.out());
    // other sizes are coded as tiles, each with its setting, and the rate counts them
    assertTrue(eval.out().contains("\"tileSettings\": true,"), eval.out());
    Run text = run("eval", "--input", pngs.toString(), "--model", "fashion-mnist");
    assertTrue(text.out().contains("quantised network: " + String.format(java.util.Locale.ROOT,
        "%.4f", number(eval.out(), "negativeElboBitsPerDim")) + " bits/dim (each tile with its"
        + " setting, as compress codes them)"), text.out());
    double q = number(eval.out(), "negativeElboBitsPerDim");
    assertTrue(q > 0 && q < 9, eval.out());
  }

  /**
   * train on images of one size with held-out images of mixed sizes: those are measured on
   * whole tiles of the training images' size (the model's), not of a default one.
   */
  @Test
  void heldOutImagesOfMixedSizesAreTiledAtTheModelsSize() throws Exception {
    java.nio.file.Path train = dir.resolve("train-16");
    java.nio.file.Path held = dir.resolve("held-mixed");
    java.nio.file.Files.createDirectories(train);
    java.nio.file.Files.createDirectories(held);
    java.util.Random random = new java.util.Random(3);
    int[][] sizes = {{16, 16}, {16, 16}, {16, 16}, {20, 40}, {33, 17}};
    for (int i = 0; i < sizes.length; i++) {
      writeRamp(sizes[i][0], sizes[i][1], random, (i < 3 ? train : held).resolve(i + ".png"));
    }
    Run r = run("train", "--input", train.toString(), "--held-out", held.toString(),
        "--epochs", "0", "--hidden", "8", "--latent", "2", "--context", "4", "--output",
        dir.resolve("sixteen.bbvae").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("training on their 4 whole tiles of 16x16"), r.err());
  }

  /**
   * train --tile-context on images larger than a tile: a format 5 model trained on every whole
   * tile with its frame, which eval rates, compress codes and decompress gives back exactly.
   */
  @Test
  void tileContextModelsTrainOnFramesAndCodeAnySize() throws Exception {
    java.nio.file.Path pngs = ramps("tile-context", 5,
        new int[][] {{40, 60}, {17, 90}, {64, 33}, {9, 9}, {30, 30}});
    java.nio.file.Path framed = dir.resolve("framed.bbvae");
    Run t = run("train", "--input", pngs.toString(), "--tile-context", "--epochs", "1",
        "--hidden", "8", "--latent", "2", "--context", "4", "--mixture", "2", "--output",
        framed.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("training on their 5 whole tiles of 28x28 with the 2 rows"
        + " above and 2 columns either side of each"), t.err());
    VaeModel m = VaeModel.load(framed.toString());
    assertTrue(m.architecture().tileContext());
    assertEquals(5, m.bytes()[9], "format 5");
    Run eval = run("eval", "--input", pngs.toString(), "--model", framed.toString(), "--json");
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("\"floatOnWholeTiles\": 5,"), eval.out());
    Run binary = run("train", "--input", pngs.toString(), "--tile-context", "--binarize", "127",
        "--epochs", "1", "--output", dir.resolve("no.bbvae").toString());
    assertEquals(1, binary.code(), binary.err());
    assertTrue(binary.err().contains("--tile-context needs 8-bit pixels"), binary.err());
    // a wider window from it: wider frames, format 6, starting as the narrower model
    java.nio.file.Path wide = dir.resolve("wide.bbvae");
    Run w = run("train", "--input", pngs.toString(), "--init", framed.toString(), "--window",
        "3", "--epochs", "1", "--output", wide.toString());
    assertEquals(0, w.code(), w.err());
    assertTrue(w.err().contains("whole tiles of 28x28 with the 3 rows above and 3 columns"
        + " either side of each"), w.err());
    assertTrue(w.err().contains("tile-context window=3"), w.err());
    VaeModel wm = VaeModel.load(wide.toString());
    assertEquals(6, wm.bytes()[9], "format 6");
    assertEquals(3, wm.architecture().window());
    Run wideEval = run("eval", "--input", pngs.toString(), "--model", wide.toString(),
        "--json");
    assertEquals(0, wideEval.code(), wideEval.err());
    Run nine = run("train", "--input", pngs.toString(), "--init", framed.toString(),
        "--window", "9", "--output", dir.resolve("nine.bbvae").toString());
    assertEquals(1, nine.code(), nine.err());
    assertEquals("bbans train: --window is 2 to 4, not 9", nine.err().trim());
    assertTrue(!java.nio.file.Files.exists(dir.resolve("nine.bbvae")));
    Run narrower = run("train", "--input", pngs.toString(), "--init", wide.toString(),
        "--window", "2", "--output", dir.resolve("two.bbvae").toString());
    assertEquals(1, narrower.code(), narrower.err());
    assertTrue(narrower.err().contains("--window 2 is narrower than " + wide + "'s 3"),
        narrower.err());
  }

  /**
   * train's defaults on images of mixed sizes: every bundled model of their kind is a
   * candidate, each coding them as tiles of its own size; from grayscale-photo (32x32 tiles,
   * tile context) it trains on the frames of their 32x32 tiles.
   */
  @Test
  void trainOnMixedSizesStartsFromTheBundledModelThatCodesThemBest() throws Exception {
    java.nio.file.Path pngs = ramps("mixed-default", 8,
        new int[][] {{70, 40}, {33, 90}, {64, 64}, {20, 100}});
    java.nio.file.Path out = dir.resolve("mixed-default.bbvae");
    Run t = run("train", "--input", pngs.toString(), "--epochs", "1", "--output",
        out.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("starting from the bundled model grayscale-photo"), t.err());
    assertTrue(t.err().contains("fashion-mnist ") && t.err().contains("mnist "), t.err());
    assertTrue(t.err().contains("training on their 8 whole tiles of 32x32 with the 3 rows"),
        t.err());
    VaeModel m = VaeModel.load(out.toString());
    assertTrue(m.architecture().tileContext());
    assertTrue(m.metadata().get("init").startsWith("grayscale-photo ("), m.metadata().toString());
    // images too small for any bundled model's tile: none is a candidate, and one line says
    // there is nothing to train on
    java.nio.file.Path small = ramps("mixed-small", 9, new int[][] {{20, 27}, {9, 30}});
    Run none = run("train", "--input", small.toString(), "--epochs", "1", "--output",
        dir.resolve("none.bbvae").toString());
    assertEquals(1, none.code(), none.err());
    assertTrue(none.err().contains("no bundled model codes pixel8 images of mixed sizes"),
        none.err());
    assertTrue(none.err().contains("bbans train: no image holds a whole tile of 28x28"),
        none.err());
  }

  /** A folder {@code name} of ramps ({@link #writeRamp}) of these sizes, 0.png on, seeded. */
  private static java.nio.file.Path ramps(String name, long seed, int[][] sizes)
      throws java.io.IOException {
    java.nio.file.Path folder = java.nio.file.Files.createDirectories(dir.resolve(name));
    java.util.Random random = new java.util.Random(seed);
    for (int i = 0; i < sizes.length; i++) {
      writeRamp(sizes[i][0], sizes[i][1], random, folder.resolve(i + ".png"));
    }
    return folder;
  }

  /** A grayscale PNG file of a ramp with noise, rows x cols. */
  private static void writeRamp(int rows, int cols, java.util.Random random,
      java.nio.file.Path file) throws java.io.IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(cols, rows,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        img.getRaster().setSample(x, y, 0, (x + y) * 4 + random.nextInt(8));
      }
    }
    javax.imageio.ImageIO.write(img, "png", file.toFile());
  }

  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": ([0-9.]+)").matcher(json);
    assertTrue(m.find(), key + " in " + json);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void badInputEndsInOneLineAndExitCodeOne() throws Exception {
    assertOneLineError(run("eval", "--input", dir.resolve("missing.idx").toString(), "--model",
        model.toString()), "no such file");
    Path junk = dir.resolve("junk.idx");
    Files.write(junk, new byte[] {0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 6, 0, 0, 0, 6, 1, 2});
    assertOneLineError(run("eval", "--input", junk.toString(), "--model", model.toString()),
        "truncated");
    Path badModel = dir.resolve("bad.bbvae");
    Files.write(badModel, new byte[] {1, 2, 3});
    assertOneLineError(run("eval", "--input", images.toString(), "--model",
        badModel.toString()), "not a bbans model file");
    assertOneLineError(run("eval", "--input", images.toString(), "--model", "mnist-binary"),
        "");
    assertOneLineError(run("eval", "--input", images.toString(), "--model", model.toString(),
        "--range", "5:2"), "does not fit");
    assertOneLineError(run("eval", "--input", images.toString(), "--model", model.toString(),
        "--binarize", "127"), "--binarize needs a bernoulli model");
  }

  private static void assertOneLineError(Run run, String part) {
    assertEquals(1, run.code(), run.err());
    String err = run.err().trim();
    assertTrue(err.startsWith("bbans eval: ") && err.contains(part) && !err.contains("\n"),
        err);
  }

  @Test
  void badCommandLineExitsTwo() {
    assertEquals(2, run("eval", "--model", model.toString()).code()); // no --input
    assertEquals(2, run("compress-everything").code());
    assertEquals(2, run("eval", "--input", images.toString(), "--model", model.toString(),
        "--range", "nonsense").code());
  }

  /**
   * train and eval read a folder of PNG files as compress does; --init alone gives the new
   * model the architecture of the one it starts from (no architecture flags copied by hand).
   */
  @Test
  void trainAndEvalReadPngFoldersAndInitGivesItsArchitecture() throws Exception {
    ImageSet all = io.bbans.codec.image.Datasets.read(images);
    Path pngs = Files.createDirectories(dir.resolve("pngs"));
    for (int i = 0; i < 120; i++) {
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(6, 6,
          java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setDataElements(0, 0, 6, 6,
          java.util.Arrays.copyOfRange(all.pixels(), i * 36, (i + 1) * 36));
      javax.imageio.ImageIO.write(img, "png", pngs.resolve(String.format("%04d.png", i))
          .toFile());
    }
    Path tuned = dir.resolve("tuned.bbvae");
    Run t = run("train", "--input", pngs.toString(), "--output", tuned.toString(), "--init",
        model.toString(), "--epochs", "1", "--batch", "50", "--train-range", "0:100",
        "--held-out-range", "100:120");
    assertEquals(0, t.code(), t.err());
    io.bbans.codec.model.Architecture from = VaeModel.load(model.toString()).architecture();
    io.bbans.codec.model.Architecture got = VaeModel.load(tuned.toString()).architecture();
    assertEquals(from.toString(), got.toString());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {16}, got.hidden());
    assertEquals(3, got.latent());
    Run e = run("eval", "--model", tuned.toString(), "--input", pngs.toString(), "--range",
        "100:120", "--json");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("\"images\""), e.out());
  }

  /**
   * train's defaults: with no --init nor architecture option, it starts from the bundled model
   * that codes the images best; with no held-out set, it holds out every tenth image; it
   * keeps the best epoch, and says how xz does on the held-out images.
   */
  @Test
  void trainStartsFromTheBestBundledModelAndHoldsOutEveryTenthImage() throws Exception {
    Path fashion = dir.resolve("fashion-sample.idx");
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
        BbansCommandTest.class.getResourceAsStream(
            io.bbans.job.compress.ImageSource.SAMPLE))) {
      Files.write(fashion, in.readAllBytes());
    }
    Path tuned = dir.resolve("from-bundled.bbvae");
    Run t = run("train", "--input", fashion.toString(), "--output", tuned.toString(),
        "--epochs", "1", "--batch", "50");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("held out 25 images, every 10th"), t.err());
    assertTrue(t.err().contains("starting from the bundled model fashion-mnist"), t.err());
    assertTrue(t.err().contains("mnist "), "the other candidate's rate: " + t.err());
    assertTrue(t.err().contains("epoch 0 (the weights it starts from)"), t.err());
    assertTrue(t.err().contains("xz -6 on the same images"), t.err());
    assertTrue(!t.err().contains("warning"), t.err());
    VaeModel m = VaeModel.load(tuned.toString());
    assertEquals(VaeModel.load("fashion-mnist").architecture().toString(),
        m.architecture().toString());
    assertTrue(m.metadata().get("init").startsWith("fashion-mnist ("), m.metadata().toString());
    assertEquals("231", m.metadata().get("trainImages"));
    // Never worse on the held-out images than where it started (the float loss it keeps by).
    String[] epochs = m.metadata().get("epochHistory").split(" ");
    double start = Double.parseDouble(epochs[0].split("/")[1]);
    double kept = Double.parseDouble(epochs[Integer.parseInt(m.metadata().get("keptEpoch"))]
        .split("/")[1]);
    assertTrue(kept <= start, m.metadata().toString());
    assertTrue(Double.parseDouble(m.metadata().get("heldOutXzBitsPerDim")) > 3,
        m.metadata().toString());
  }

  /**
   * Images cut into tiles: train holds out whole images (every tenth), each as its tiles, not
   * every tenth tile, whose neighbours in the same image it would train on.
   */
  @Test
  void trainOnTilesHoldsOutWholeImages() throws Exception {
    int[][] sizes = new int[12][];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = new int[] {30 + i, 60}; // two whole 28x28 tiles each
    }
    Path pngs = ramps("held-whole", 4, sizes);
    Path out = dir.resolve("held-whole.bbvae");
    Run t = run("train", "--input", pngs.toString(), "--hidden", "8", "--latent", "2",
        "--context", "8", "--epochs", "1", "--output", out.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("training on their 24 whole tiles of 28x28"), t.err());
    assertTrue(t.err().contains("held out 1 of the 12 images, every 10th, as their 2 whole"
        + " tiles (of 24)"), t.err());
    VaeModel model = VaeModel.load(out.toString());
    assertEquals("22", model.metadata().get("trainImages"));
    // the tiles compress cuts these images into carry their settings (a context model, 784
    // samples a tile): train reports the rate compress codes at beside the network's own
    assertTrue(t.err().contains("as compress codes them, each tile with its setting"), t.err());
    assertTrue(t.err().contains("each tile trains under the setting of its scale and error"
        + " feedback"), t.err());
    // fine-tuning such a model under the settings takes a fifth of the usual learning rate
    Run again = run("train", "--input", pngs.toString(), "--init", out.toString(), "--epochs",
        "1", "--output", dir.resolve("held-whole-2.bbvae").toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("learning rate 0.0002 (fine-tuning under the tiles'"
        + " settings; --lr to choose)"), again.err());
    assertTrue(Double.parseDouble(model.metadata().get("heldOutWithoutTileSettingsBitsPerDim"))
        > 0);
  }

  /**
   * Colour blocks of the model's own size are coded as tiles with their settings, so train
   * trains them under those settings too, as it does tiles cut from grayscale images.
   */
  @Test
  void colourBlocksTrainUnderTheirSettings() throws Exception {
    java.nio.file.Path folder = java.nio.file.Files.createDirectories(dir.resolve("rgb-blocks"));
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20; i++) {
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(10, 10,
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 10; y++) {
        for (int x = 0; x < 10; x++) {
          int g = (x + y) * 10 + random.nextInt(8);
          img.setRGB(x, y, (g << 16) | ((255 - g) << 8) | (g / 2));
        }
      }
      javax.imageio.ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
    }
    Path out = dir.resolve("rgb-blocks.bbvae");
    Run t = run("train", "--input", folder.toString(), "--hidden", "8", "--latent", "2",
        "--context", "8", "--epochs", "1", "--output", out.toString());
    assertEquals(0, t.code(), t.err());
    VaeModel model = VaeModel.load(out.toString());
    assertEquals(3, model.architecture().channels());
    // 10x10x3 samples a block, over TileScale's 256: compress codes each with its setting
    assertTrue(t.err().contains("each tile trains under the setting of its scale"), t.err());
    assertTrue(Double.parseDouble(model.metadata().get("heldOutWithoutTileSettingsBitsPerDim"))
        > 0);
  }

  /** A model that codes its held-out images worse than xz does is reported in one line. */
  @Test
  void trainWarnsWhenXzDoesBetterOnTheHeldOutImages() throws Exception {
    Path flat = dir.resolve("flat.idx");
    try (OutputStream out = Files.newOutputStream(flat)) {
      Idx.write(new ImageSet(200, 28, 28, new byte[200 * 784]), out);
    }
    Run t = run("train", "--input", flat.toString(), "--output", dir.resolve("flat.bbvae")
        .toString(), "--hidden", "8", "--latent", "2", "--epochs", "1", "--batch", "50");
    assertEquals(0, t.code(), t.err());
    assertTrue(!t.err().contains("starting from"), "architecture given: from scratch");
    assertTrue(t.err().contains("held out 20 images, every 10th"), t.err());
    assertTrue(t.err().contains("bbans train: warning: the model codes the held-out images at"),
        t.err());
    assertTrue(t.err().contains("no better than xz's 0.0"), t.err());
  }
}
