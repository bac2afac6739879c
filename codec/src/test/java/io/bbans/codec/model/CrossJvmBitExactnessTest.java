package io.bbans.codec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.bitsback.ParameterDigest;
import io.bbans.codec.image.Idx;
import io.bbans.codec.image.ImageSet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Separate JVMs (another JDK, other SIMD settings, the interpreter) compute the same quantised
 * distribution parameters for the same images, digest for digest, and write and read the same
 * shards. This is what lets an archive written on one machine decode on another. The child
 * JVMs run with no ND4J, JavaCPP or OpenBLAS on their class path ({@link #codingClassPath}):
 * coding needs no native code.
 */
class CrossJvmBitExactnessTest {
  static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  static final int IMAGES = 300;
  static final int INTERPRETED_IMAGES = 20;
  /** Child JVMs with this run the vector kernels, without it the scalar ones ({@link Kernels}). */
  static final String VECTOR = "--add-modules=jdk.incubator.vector";
  /** With {@link #VECTOR}: the scalar kernels all the same. */
  static final String SCALAR = "-Dbbans.vector=false";

  @ParameterizedTest
  @CsvSource({"PIXEL8, 0, 1", "BERNOULLI, 0, 1", "PIXEL8, 8, 1", "BERNOULLI, 8, 1",
      "PIXEL8, 8, 3"})
  void everyJvmPrintsTheSameDigest(Likelihood likelihood, int context, int mixture,
      @TempDir Path dir) throws Exception {
    VaeModel model = TinyModels.model(likelihood, context, mixture);
    Path modelFile = dir.resolve("model.bbvae");
    model.save(modelFile);
    ImageSet images = TinyModels.blobs(IMAGES, 11);
    if (likelihood == Likelihood.BERNOULLI) {
      images = images.binarize(127);
    }
    Path imageFile = dir.resolve("images.idx");
    try (OutputStream out = Files.newOutputStream(imageFile)) {
      Idx.write(images, out);
    }
    String expected = ParameterDigest.digest(model.quantized(), images, 64);
    String expectedFew = ParameterDigest.digest(model.quantized(),
        images.range(0, INTERPRETED_IMAGES), 64);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, List<String>> runs = new LinkedHashMap<>();
    runs.put("java, vector kernels", List.of(java, VECTOR));
    runs.put("java, scalar kernels", List.of(java, VECTOR, SCALAR));
    runs.put("java -XX:UseAVX=0, vector", List.of(java, VECTOR, "-XX:UseAVX=0"));
    runs.put("java -XX:UseAVX=0, scalar", List.of(java, "-XX:UseAVX=0"));
    runs.put("java -XX:UseAVX=2, vector", List.of(java, VECTOR, "-XX:UseAVX=2"));
    if (Files.isExecutable(TEMURIN_25)) {
      runs.put("Temurin 25, vector", List.of(TEMURIN_25.toString(), VECTOR));
      runs.put("Temurin 25, scalar", List.of(TEMURIN_25.toString()));
      runs.put("Temurin 25 -XX:UseAVX=0, vector",
          List.of(TEMURIN_25.toString(), VECTOR, "-XX:UseAVX=0"));
    }
    runs.put("java -Xint (few images), scalar", List.of(java, "-Xint", "FEW"));

    for (Map.Entry<String, List<String>> run : runs.entrySet()) {
      List<String> spec = run.getValue();
      boolean few = spec.contains("FEW");
      String digest = launch(spec, modelFile, imageFile, few ? INTERPRETED_IMAGES : IMAGES);
      assertEquals(few ? expectedFew : expected, digest, run.getKey());
    }
  }

  /**
   * A shard written in one JVM decodes to the same pixels in others, and the other way; with a
   * context head too, whose decoder runs pixel by pixel, with a mixture out of the head, with
   * a colour model, with the bundled colour model on blocks of photographs, and with models
   * that read the neighbouring tiles, the second through a wider window.
   */
  @ParameterizedTest
  @CsvSource({"0, 1, same", "8, 1, same", "8, 3, same", "0, 1, mixed", "8, 3, mixed",
      "12, 2, rgb", "0, 0, bundled-rgb", "8, 2, tile-context", "8, 2, window"})
  void shardsDecodeAcrossJvms(int context, int mixture, String mode, @TempDir Path dir)
      throws Exception {
    // rgb: a colour model (format 4, subpixel by subpixel), colour blobs as the samples of one
    // IDX file recut into RGB images of mixed sizes, coded as tiles; bundled-rgb: the bundled
    // colour model, the colour sample's 17 blocks of photographs recut so
    // tile-context: a model whose head reads the neighbouring tiles (format 5), on the blobs
    // recut as in mixed; window: the same with a head that reads three rows up and three
    // columns either side (format 6)
    boolean bundled = mode.equals("bundled-rgb");
    boolean rgb = bundled || mode.equals("rgb");
    boolean window = mode.equals("window");
    boolean tiles = window || mode.equals("tile-context");
    mode = rgb ? "rgb" : tiles ? "mixed" : mode;
    VaeModel model = bundled ? VaeModel.load("colour") : rgb ? colourModel()
        : tiles ? TileContextTest.tinyModel(context, mixture, window ? 3 : 2)
        : TinyModels.model(Likelihood.PIXEL8, context, mixture);
    Path modelFile = dir.resolve("model.bbvae");
    model.save(modelFile);
    ImageSet images = bundled ? new ImageSet(17, 32, 32 * 3, java.util.Arrays.copyOf(
        io.bbans.codec.container.GoldenShardTest.colourSample().pixels(), 17 * 32 * 32 * 3))
        : rgb ? new ImageSet(60, TinyModels.SIDE, TinyModels.SIDE * 3,
        ColourModelTest.colourBlobs(60, TinyModels.SIDE, TinyModels.SIDE, 13).pixels())
        : TinyModels.blobs(150, 12);
    Path imageFile = dir.resolve("images.idx");
    try (OutputStream out = Files.newOutputStream(imageFile)) {
      Idx.write(images, out);
    }
    // mixed: the same pixels recut into images of sizes around the tile's, coded as tiles
    ImageSet coded = mode.equals("mixed") ? io.bbans.codec.ShardCheck.mixed(images)
        : rgb ? io.bbans.codec.ShardCheck.mixedColour(images) : images;
    assertEquals(rgb ? 3 : 1, coded.channels());
    String pixels = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(coded.pixels()));
    Path here = dir.resolve("here.shard");
    Files.write(here, io.bbans.codec.ShardCodec.encodeCoded(model, coded, 16, 9));
    // the bundled colour model's 32x32 tiles carry their settings and error feedback (shard
    // version 6), whose choice and feedback the encoders in the other JVMs must make alike
    assertEquals(bundled ? io.bbans.codec.container.Shard.TILED_FEEDBACK
        : io.bbans.codec.container.Shard.read(Files.readAllBytes(here)).version(),
        io.bbans.codec.container.Shard.read(Files.readAllBytes(here)).version());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String other = Files.isExecutable(TEMURIN_25) ? TEMURIN_25.toString() : java;

    assertEquals(pixels, child(List.of(java, VECTOR, "-XX:UseAVX=0"), "decode", modelFile,
        here));
    assertEquals(pixels, child(List.of(java, "-XX:UseAVX=2"), "decode", modelFile, here));
    assertEquals(pixels, child(List.of(other, VECTOR), "decode", modelFile, here));
    assertEquals(pixels, child(List.of(other, VECTOR, SCALAR), "decode", modelFile, here));
    String count = Integer.toString(images.count());
    Path there = dir.resolve("there.shard");
    assertEquals(pixels, child(List.of(other, VECTOR, "-XX:UseAVX=0"), "encode", modelFile,
        imageFile, count, "16", "9", there.toString(), mode));
    assertArrayEquals(Files.readAllBytes(here), Files.readAllBytes(there),
        "the same shard, byte for byte, from another JVM");
    Path scalar = dir.resolve("scalar.shard");
    assertEquals(pixels, child(List.of(java), "encode", modelFile, imageFile, count, "16", "9",
        scalar.toString(), mode));
    assertArrayEquals(Files.readAllBytes(here), Files.readAllBytes(scalar),
        "the same shard, byte for byte, from the scalar kernels");
  }

  /** A tiny colour model, trained briefly on colour blobs. */
  private static VaeModel colourModel() {
    ImageSet train = ColourModelTest.colourBlobs(300, TinyModels.SIDE, TinyModels.SIDE, 5);
    FloatVae f = TinyModels.train(ColourModelTest.architecture(), train, 3);
    return VaeModel.create(f, Quantizer.quantize(f, train), Map.of());
  }

  /**
   * This JVM's class path without ND4J and the native libraries it brings (JavaCPP, OpenBLAS):
   * what coding runs on. A child that touched ND4J would fail to load it.
   */
  static String codingClassPath() {
    String path = java.util.Arrays.stream(System.getProperty("java.class.path")
        .split(java.io.File.pathSeparator))
        .filter(e -> !e.matches("(?i).*(nd4j|javacpp|openblas|-1\\.0\\.0-M2\\.1).*"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    assertTrue(!path.equals(System.getProperty("java.class.path")),
        "the test's own class path has ND4J (for training): it must be left out here");
    return path;
  }

  private static String child(List<String> jvm, Object... args) throws Exception {
    List<String> command = new ArrayList<>(jvm);
    command.addAll(List.of("-cp", codingClassPath(),
        io.bbans.codec.ShardCheck.class.getName()));
    for (Object a : args) {
      command.add(a.toString());
    }
    return output(new ProcessBuilder(command));
  }

  private static String output(ProcessBuilder pb) throws IOException, InterruptedException {
    pb.redirectErrorStream(true);
    Process p = pb.start();
    byte[] output = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM timed out");
    String text = new String(output, StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), String.join(" ", pb.command()) + "\n" + text);
    String[] lines = text.split("\n");
    boolean vector = pb.command().contains(VECTOR) && !pb.command().contains(SCALAR);
    assertTrue(text.contains("kernels: " + (vector ? "vector" : "scalar")),
        "the child ran the " + (vector ? "vector" : "scalar") + " kernels: " + text);
    return lines[lines.length - 1].trim();
  }

  private static String launch(List<String> spec, Path model, Path images, int count)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(spec.get(0));
    for (String s : spec.subList(1, spec.size())) {
      if (!s.equals("FEW")) {
        command.add(s);
      }
    }
    command.addAll(List.of("-cp", codingClassPath(),
        ParameterDigest.class.getName(), model.toString(), images.toString(),
        Integer.toString(count), "64"));
    return output(new ProcessBuilder(command));
  }
}
