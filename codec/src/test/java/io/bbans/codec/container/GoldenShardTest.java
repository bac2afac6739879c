package io.bbans.codec.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.bitsback.TileScale.Kind;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.VaeModel;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shards written with the bundled models (the -v1 ones by model format 1, the -v2 ones and
 * mnist-binary by format 2 with their context heads, fashion-mnist and mnist by format 3 with
 * mixtures), committed under
 * {@code src/test/resources/golden}: they must keep decoding to the sample's pixels, and coding
 * the sample again must give the same bytes. A change that breaks old archives fails here.
 */
public class GoldenShardTest {
  /**
   * Where the build asks for a JVM setting ({@code -Dbbans.expect.UseAVX=0}, as .ci/run does
   * for its run without AVX), the JVM that runs these tests really has it: a flag that never
   * reached the test JVM would make that run prove nothing.
   */
  @org.junit.jupiter.api.Test
  void theJvmRunsWithTheSettingsTheBuildAsksFor() {
    String expected = System.getProperty("bbans.expect.UseAVX");
    String actual = java.lang.management.ManagementFactory.getPlatformMXBean(
        com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("UseAVX").getValue();
    System.out.println("golden shards decoded with -XX:UseAVX=" + actual + " on "
        + System.getProperty("java.vm.name") + " " + Runtime.version());
    if (expected != null) {
      org.junit.jupiter.api.Assertions.assertEquals(expected, actual, "UseAVX of this JVM");
    }
  }

  static final int IMAGES = 24;
  static final int LANES = 8;
  static final long SEED = 20261128;

  @ParameterizedTest
  @CsvSource({"fashion-mnist-v1", "mnist-binary-v1", "fashion-mnist-v2", "mnist-v2",
      "mnist-v3", "fashion-mnist", "mnist", "mnist-binary"})
  void goldenShardsStillDecode(String name) throws Exception {
    VaeModel model = VaeModel.load(name);
    ImageSet images = BundledModelsTest.sample(model.architecture().likelihood()).range(0, IMAGES);
    byte[] golden = golden(name + ".shard", model, images);
    assertArrayEquals(images.pixels(), ShardCodec.decode(golden, model).pixels());
    assertArrayEquals(golden, ShardCodec.encodeCoded(model, images, LANES, SEED));
    // What compress writes: the golden bytes, or the pixels stored where those are smaller.
    byte[] written = ShardCodec.encode(model, images, LANES, SEED);
    assertTrue(written.length <= golden.length);
    assertArrayEquals(images.pixels(), ShardCodec.decode(written, model).pixels());
    if (Shard.read(written).version() == Shard.VERSION) {
      assertArrayEquals(golden, written);
    }
  }

  /**
   * Images of mixed sizes, coded as tiles (shard version 3, which builds before version 5
   * wrote for every model), pinned the same way.
   */
  @ParameterizedTest
  @CsvSource({"fashion-mnist-v1", "fashion-mnist", "mnist-binary"})
  void goldenTiledShardsStillDecode(String name) throws Exception {
    VaeModel model = VaeModel.load(name);
    boolean binary = model.architecture().likelihood() == io.bbans.codec.model.Likelihood.BERNOULLI;
    ImageSet images = TiledShardTest.crops(new int[][] {{29, 57}, {1, 1}, {28, 28}, {3, 40},
        {60, 29}, {13, 13}}, binary, 4);
    byte[] golden = golden(name + "-tiled.shard", model, images, Kind.NONE);
    org.junit.jupiter.api.Assertions.assertEquals(Shard.TILED, Shard.read(golden).version());
    assertArrayEquals(images.pixels(), ShardCodec.decode(golden, model).pixels());
    assertArrayEquals(golden, ShardCodec.encodeCoded(model, images, LANES, SEED, Kind.NONE));
  }

  /**
   * The colour sample ({@code job/bench/ColourSample.java}): 17 test blocks of 32x32 and six
   * crops of mixed sizes from the colour set's test photographs, RGB.
   */
  public static ImageSet colourSample() throws Exception {
    try (java.io.DataInputStream in = new java.io.DataInputStream(
        new java.util.zip.GZIPInputStream(BundledModelsTest.class.getResourceAsStream(
            "/colour-sample.rgb.gz")))) {
      int count = in.readInt();
      int[] rows = new int[count];
      int[] cols = new int[count];
      int samples = 0;
      for (int i = 0; i < count; i++) {
        rows[i] = in.readUnsignedShort();
        cols[i] = in.readUnsignedShort();
        samples += rows[i] * cols[i] * 3;
      }
      byte[] pixels = in.readNBytes(samples);
      org.junit.jupiter.api.Assertions.assertEquals(-1, in.read(), "nothing after the samples");
      return ImageSet.mixed(rows, cols, 3, pixels);
    }
  }

  /**
   * A small colour model (format 4, 8x8 tiles, trained on synthetic colour blobs) and its shard
   * of the colour sample (RGB, tiled), both committed: the model file must still read to the
   * same network, and the shard decode and re-encode to the same bytes.
   */
  @org.junit.jupiter.api.Test
  void goldenColourShardStillDecodes() throws Exception {
    VaeModel model;
    try (InputStream in = getClass().getResourceAsStream("/golden/colour-test.bbvae")) {
      model = VaeModel.read(in.readAllBytes(), "colour-test.bbvae");
    }
    org.junit.jupiter.api.Assertions.assertEquals(
        "4a10678823f460c83a39a7f27b5429d4aeb637320ba2eb769f88a6bd23f56e6e", model.sha256());
    org.junit.jupiter.api.Assertions.assertEquals(4, model.bytes()[9]);
    colourGolden("colour-test", model);
  }

  /**
   * A small tile-context model (format 5, 8x8 tiles, trained briefly on synthetic scenes) and
   * its shard of crops of mixed sizes of the Fashion sample, both committed: the model file
   * must still read to the same network, and the shard decode and re-encode to the same bytes.
   * With {@code -Dbbans.golden.write=DIR} and no committed model, one is trained and written
   * there first.
   */
  @org.junit.jupiter.api.Test
  void goldenTileContextShardStillDecodes() throws Exception {
    committedModelShard("tile-context-test", 5, 2, TILE_CONTEXT_SHA256);
  }

  /**
   * The same for a model whose head reads three rows up and three columns either side (format
   * 6, {@code window-test.bbvae}).
   */
  @org.junit.jupiter.api.Test
  void goldenWindowShardStillDecodes() throws Exception {
    committedModelShard("window-test", 6, 3, WINDOW_SHA256);
  }

  /**
   * A committed tile-context test model {@code name.bbvae} of format {@code version} and
   * context window {@code window}, and its shard {@code name.shard} of crops of the Fashion
   * sample: the model reads to the same network, the shard decodes and re-encodes to the same
   * bytes. With {@code -Dbbans.golden.write=DIR} and no committed model, one is trained and
   * written there first.
   */
  private void committedModelShard(String name, int version, int window, String sha256)
      throws Exception {
    String write = System.getProperty("bbans.golden.write");
    if (write != null && getClass().getResource("/golden/" + name + ".bbvae") == null) {
      io.bbans.codec.model.TileContextTest.tinyModel(8, 2, window)
          .save(java.nio.file.Path.of(write, name + ".bbvae"));
      return;
    }
    VaeModel model;
    try (InputStream in = getClass().getResourceAsStream("/golden/" + name + ".bbvae")) {
      model = VaeModel.read(in.readAllBytes(), name + ".bbvae");
    }
    org.junit.jupiter.api.Assertions.assertEquals(version, model.bytes()[9]);
    org.junit.jupiter.api.Assertions.assertEquals(window, model.architecture().window());
    org.junit.jupiter.api.Assertions.assertEquals(sha256, model.sha256());
    ImageSet images = TiledShardTest.crops(new int[][] {{29, 57}, {1, 1}, {8, 8}, {3, 40},
        {60, 29}, {13, 13}, {17, 9}}, false, 5);
    pinned(name, model, images);
  }

  /**
   * {@code name.shard} (version 3, tiles without their settings, as builds before version 5
   * wrote) and, for a model whose tiles carry settings (not those of 8x8 tiles),
   * {@code name-scaled.shard} (version 5, as builds before version 6 wrote) and
   * {@code name-feedback.shard} (version 6, what compress writes now) of {@code images}: each
   * decodes to them, and coding them again gives the same bytes.
   */
  private void pinned(String name, VaeModel model, ImageSet images) throws Exception {
    boolean scales = io.bbans.codec.bitsback.TileScale.applies(model.architecture());
    org.junit.jupiter.api.Assertions.assertEquals(scales ? Shard.TILED_FEEDBACK : Shard.TILED,
        Shard.read(ShardCodec.encodeCoded(model, images, LANES, SEED)).version());
    for (Kind kind : scales ? Kind.values() : new Kind[] {Kind.NONE}) {
      String suffix = switch (kind) {
        case NONE -> "";
        case SCALE -> "-scaled";
        case FEEDBACK -> "-feedback";
      };
      byte[] golden = golden(name + suffix + ".shard", model, images, kind);
      org.junit.jupiter.api.Assertions.assertEquals(switch (kind) {
        case NONE -> Shard.TILED;
        case SCALE -> Shard.TILED_SCALED;
        case FEEDBACK -> Shard.TILED_FEEDBACK;
      }, Shard.read(golden).version());
      assertArrayEquals(images.pixels(), ShardCodec.decode(golden, model).pixels());
      assertArrayEquals(golden, ShardCodec.encodeCoded(model, images, LANES, SEED, kind));
    }
  }

  /**
   * The bundled grayscale photograph models' shards of the colour sample's crops as luma: the
   * default (format 6) and those it replaced (v2, format 6, and v1, format 5), which archives
   * made with them need.
   */
  @ParameterizedTest
  @ValueSource(strings = {"grayscale-photo", "grayscale-photo-v2", "grayscale-photo-v1"})
  void goldenBundledPhotographShardStillDecodes(String name) throws Exception {
    VaeModel model = VaeModel.load(name);
    org.junit.jupiter.api.Assertions.assertEquals(name.endsWith("-v1") ? 5 : 6,
        model.bytes()[9]);
    ImageSet colour = colourSample();
    pinned(name, model, BundledModelsTest.luma(colour.range(17, colour.count())));
  }

  static final String TILE_CONTEXT_SHA256 =
      "b3ace9685d2b70c5f65dbf92be1c2ccc3701b6aa691340580d6496eccf1540e1";
  static final String WINDOW_SHA256 =
      "fa02cf48a533abfefcf78199b76d6bc81b62cd889ee32b9d585e7f361b519c30";

  /** The bundled colour model's shard of the colour sample, pinned the same way. */
  @org.junit.jupiter.api.Test
  void goldenBundledColourShardStillDecodes() throws Exception {
    colourGolden("colour", VaeModel.load("colour"));
  }

  private void colourGolden(String name, VaeModel model) throws Exception {
    ImageSet images = colourSample();
    pinned(name, model, images);
    org.junit.jupiter.api.Assertions.assertEquals(3,
        Shard.read(golden(name + ".shard", model, images, Kind.NONE)).channels());
  }

  /**
   * The golden shard {@code file}; with {@code -Dbbans.golden.write=DIR} (making the golden
   * file of a new model) first written there from {@code images}.
   */
  private byte[] golden(String file, VaeModel model, ImageSet images) throws Exception {
    return golden(file, model, images, Kind.NEWEST);
  }

  /** As the above, written with at most what {@code kind} says each tile carries. */
  private byte[] golden(String file, VaeModel model, ImageSet images, Kind kind)
      throws Exception {
    String write = System.getProperty("bbans.golden.write");
    if (write != null) {
      java.nio.file.Files.write(java.nio.file.Path.of(write, file),
          ShardCodec.encodeCoded(model, images, LANES, SEED, kind));
    }
    try (InputStream in = getClass().getResourceAsStream("/golden/" + file)) {
      if (in == null) {
        throw new AssertionError("no golden shard " + file);
      }
      return in.readAllBytes();
    }
  }
}
