package io.bbans.job.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.ModelFormatException;
import io.bbans.codec.model.VaeModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile manifests are refused by {@link Archive#open}, before any task starts or any shard is
 * read: each kind the reliability issue lists, with the message naming the problem.
 */
class HostileManifestTest {
  static final String SHA = "ab".repeat(32);

  @TempDir
  Path dir;

  static Manifest valid() {
    Manifest m = new Manifest();
    m.modelSha256 = SHA;
    m.modelName = "fashion-mnist";
    m.likelihood = Likelihood.PIXEL8;
    m.rows = 28;
    m.cols = 28;
    m.seed = 1;
    m.source = "test";
    for (int i = 0; i < 2; i++) {
      ShardEntry s = new ShardEntry();
      s.index = i;
      s.file = ShardEntry.fileName(i);
      s.firstImage = 10L * i;
      s.images = 10;
      s.lanes = 2;
      s.seed = 1 + i;
      s.originalBytes = 7840;
      s.compressedBytes = 3000 + i;
      s.pixelsSha256 = SHA;
      s.shardSha256 = SHA;
      m.shards.add(s);
    }
    return m;
  }

  /**
   * What a run took is not part of the format: a manifest holds no timings and no executor,
   * and those earlier builds wrote into each shard's row ("codedBy", "seconds") are read past.
   */
  @Test
  void timingsAreNotInTheManifestAndThoseOfEarlierBuildsAreIgnored() throws Exception {
    String json = new String(valid().toJson(), StandardCharsets.UTF_8);
    assertTrue(!json.contains("seconds") && !json.contains("codedBy"), json);
    String earlier = json.replace("\"shardSha256\":", "\"codedBy\":\"executor 1 on 10.0.0.2,"
        + " pid 4242\",\"seconds\":{\"total\":1.25,\"read\":0.01,\"model\":0.2,\"code\":0.7,"
        + "\"verify\":0.3,\"write\":0.04},\"shardSha256\":");
    assertTrue(earlier.contains("pid 4242"), earlier);
    Manifest back = Manifest.parse(earlier.getBytes(StandardCharsets.UTF_8));
    assertEquals(json, new String(back.toJson(), StandardCharsets.UTF_8));
  }

  /** An archive folder with {@code json} as its manifest and shard files of the right sizes. */
  Path archive(String json) throws Exception {
    Path a = Files.createTempDirectory(dir, "a");
    Files.writeString(a.resolve(Manifest.FILE), json);
    Files.createFile(a.resolve("_SUCCESS"));
    Files.write(a.resolve(ShardEntry.fileName(0)), new byte[3000]);
    Files.write(a.resolve(ShardEntry.fileName(1)), new byte[3001]);
    return a;
  }

  /**
   * The valid manifest indented, as manifests were written before they went on one line (and as
   * a person might save one): any JSON whitespace reads, and the edits below find their keys by
   * {@code "key" : value}.
   */
  static String json() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind
        .ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    return m.writeValueAsString(m.readTree(valid().toJson()));
  }

  String refusal(UnaryOperator<String> edit) throws Exception {
    Path a = archive(edit.apply(json()));
    ManifestException e = assertThrows(ManifestException.class,
        () -> Archive.open(a.toString(), new Configuration()));
    return e.getMessage();
  }

  @Test
  void theValidOneOpens() throws Exception {
    Archive a = Archive.open(archive(json()).toString(), new Configuration());
    assertEquals(20, a.manifest().images());
    String written = new String(valid().toJson(), StandardCharsets.UTF_8);
    assertEquals(1, written.lines().count(), written);
    assertEquals(20, Archive.open(archive(written).toString(), new Configuration()).manifest()
        .images());
  }

  /**
   * An archive of a table (version 4): the table's schema must be Spark's, name its image
   * column of the kind said, and every shard keep its other columns in a file of the right
   * name and size; hostile forms refused before any task.
   */
  @Test
  void tablesOpenAndTheirHostileFormsAreRefused() throws Exception {
    Manifest t = valid();
    t.table = new TableInfo();
    t.table.format = "parquet";
    t.table.imageColumn = "image";
    t.table.imageKind = "png-struct";
    t.table.schema = new org.apache.spark.sql.types.StructType()
        .add("image", new org.apache.spark.sql.types.StructType()
            .add("bytes", org.apache.spark.sql.types.DataTypes.BinaryType)
            .add("path", org.apache.spark.sql.types.DataTypes.StringType))
        .add("label", org.apache.spark.sql.types.DataTypes.LongType).json();
    t.table.files.put("part-00000-a.snappy.parquet", 12L);
    t.table.files.put("part-00001-b.snappy.parquet", 8L);
    for (ShardEntry s : t.shards) {
      s.keptFile = ShardEntry.keptFileName(s.index);
      s.keptBytes = 500 + s.index;
      s.keptSha256 = SHA;
    }
    String json = new String(t.toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"version\":4"), json);
    Path ok = archive(json);
    Files.write(ok.resolve(ShardEntry.keptFileName(0)), new byte[500]);
    Files.write(ok.resolve(ShardEntry.keptFileName(1)), new byte[501]);
    Manifest back = Archive.open(ok.toString(), new Configuration()).manifest();
    assertEquals("image", back.table.imageColumn);
    assertEquals(1001, back.keptBytes());
    assertEquals(json, new String(back.toJson(), StandardCharsets.UTF_8));
    String[][] edits = {
        {"\"version\":4", "\"version\":3", "a table in a version 3 manifest"},
        {"\"imageColumn\":\"image\"", "\"imageColumn\":\"picture\"", "no column 'picture'"},
        {"\"imageKind\":\"png-struct\"", "\"imageKind\":\"png-binary\"",
            "holds the images as png-struct"},
        {"\"schema\":\"", "\"schema\":\"{oops", "not a Spark schema"},
        {"\"file\":\"part-00001.kept.parquet\"", "\"file\":\"../x.parquet\"",
            "expected 'part-00001.kept.parquet'"},
        {",\"kept\":{\"file\":\"part-00001.kept.parquet\",\"bytes\":501,\"sha256\":\""
            + SHA + "\"}", "", "kept for every shard or for none"},
        {"\"bytes\":501", "\"bytes\":502", "is 501 bytes, the manifest says 502"},
        {"\"rows\":8", "\"rows\":9", "table.files hold 21 rows, the shards 20"},
        {"\"name\":\"part-00001-b.snappy.parquet\"", "\"name\":\"part-00000-a.snappy.parquet\"",
            "lists 'part-00000-a.snappy.parquet' twice"},
        {"\"files\":[", "\"filez\":[", "table.files is missing"}};
    for (String[] e : edits) {
      assertTrue(json.contains(e[0]), e[0]);
      Path a = archive(json.replace(e[0], e[1]));
      Files.write(a.resolve(ShardEntry.keptFileName(0)), new byte[500]);
      Files.write(a.resolve(ShardEntry.keptFileName(1)), new byte[501]);
      ManifestException refused = assertThrows(ManifestException.class,
          () -> Archive.open(a.toString(), new Configuration()), e[1]);
      assertTrue(refused.getMessage().contains(e[2]), refused.getMessage());
    }
    // A kept file missing; a table with other columns whose shards keep none.
    Path missing = archive(json);
    Files.write(missing.resolve(ShardEntry.keptFileName(0)), new byte[500]);
    assertTrue(assertThrows(ManifestException.class, () -> Archive.open(missing.toString(),
        new Configuration())).getMessage().contains("part-00001.kept.parquet (the other"
        + " columns of shard 1's rows) is missing"));
    String none = json.replaceAll(",\"kept\":\\{[^}]*\\}", "");
    assertTrue(assertThrows(ManifestException.class, () -> Archive.open(archive(none).toString(),
        new Configuration())).getMessage().contains("but the shards keep none"));
  }

  /**
   * Images of mixed sizes (version 3): the shape says so instead of giving rows and cols, and
   * each shard's original bytes are its pixels, between one an image and what a shard holds.
   */
  @Test
  void mixedSizesOpenAndTheirHostileFormsAreRefused() throws Exception {
    Manifest mixed = valid();
    mixed.rows = 0;
    mixed.cols = 0;
    mixed.shards.get(0).originalBytes = 10;
    mixed.shards.get(1).originalBytes = 123_456;
    String json = new String(mixed.toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"version\":3") && json.contains("\"shape\":{\"sizes\":\"mixed\"}"),
        json);
    Manifest back = Archive.open(archive(json).toString(), new Configuration()).manifest();
    assertTrue(back.mixedSizes());
    assertEquals(123_466, back.originalBytes());
    String[][] edits = {
        {"\"sizes\":\"mixed\"", "\"sizes\":\"many\"", "it is 'mixed'"},
        {"\"sizes\":\"mixed\"", "\"sizes\":\"mixed\",\"rows\":5", "without rows and cols"},
        {"\"version\":3", "\"version\":2", "'rows' is missing"},
        {"\"originalBytes\":10,", "\"originalBytes\":9,", "mixed sizes hold 10 to"},
        {"\"originalBytes\":123456,", "\"originalBytes\":1073741825,", "mixed sizes hold"}};
    for (String[] e : edits) {
      assertTrue(json.contains(e[0]), e[0]);
      Path a = archive(json.replace(e[0], e[1]));
      ManifestException refused = assertThrows(ManifestException.class,
          () -> Archive.open(a.toString(), new Configuration()), e[1]);
      assertTrue(refused.getMessage().contains(e[2]), refused.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "path with ..        | \"part-00001.bbshard\" | \"../part-00001.bbshard\"        | not a plain file name",
      "absolute path       | \"part-00001.bbshard\" | \"/etc/passwd\"                  | not a plain file name",
      "other scheme        | \"part-00001.bbshard\" | \"hdfs://host/x.bbshard\"        | not a plain file name",
      "hidden file         | \"part-00001.bbshard\" | \".part-00001.bbshard\"          | not a plain file name",
      "duplicate shard     | \"part-00001.bbshard\" | \"part-00000.bbshard\"           | expected 'part-00001.bbshard'",
      "negative count      | \"images\" : 10,        | \"images\" : -10,                | outside 0..",
      "huge count          | \"images\" : 10,        | \"images\" : 99999999999,         | outside 0..",
      "count not integer   | \"images\" : 10,        | \"images\" : 10.5,               | not an integer",
      "zero rows           | \"rows\" : 28          | \"rows\" : 0                     | outside 1..4096",
      "huge cols           | \"cols\" : 28          | \"cols\" : 1000000               | outside 1..4096",
      "zero lanes          | \"lanes\" : 2,          | \"lanes\" : 0,                   | outside 1..65536",
      "huge lanes          | \"lanes\" : 2,          | \"lanes\" : 10000000,            | outside 1..65536",
      "version             | \"version\" : 1,        | \"version\" : 7,                 | this build reads versions 1 to 6",
      "version 5, no channels | \"version\" : 1,     | \"version\" : 5,                 | 'channels' is missing",
      "channels in version 1 | \"cols\" : 28        | \"cols\" : 28, \"channels\" : 3 | shape.channels in a version 1 manifest",
      "depth in version 1  | \"cols\" : 28          | \"cols\" : 28, \"bitDepth\" : 2 | a version 1 manifest",
      "version 2, no depth | \"version\" : 1,        | \"version\" : 2,                 | 'bitDepth' is missing",
      "format              | \"bbans-archive\"       | \"zip\"                          | not a bbans archive manifest",
      "shard format        | \"shardFormatVersion\" : 1 | \"shardFormatVersion\" : 9   | shard format version 9",
      "model hash          | \"sha256\" : \"abab    | \"sha256\" : \"ABAB              | not a SHA-256",
      "likelihood          | \"pixel8\"              | \"gaussian\"                     | codec.likelihood",
      "size vs files       | \"compressedBytes\" : 3001 | \"compressedBytes\" : 3002   | is 3001 bytes, the manifest says 3002",
      "gap in images       | \"firstImage\" : 10     | \"firstImage\" : 11              | expected 10",
      "original bytes      | \"originalBytes\" : 7840, | \"originalBytes\" : 7841,    | original bytes",
      "duplicate key       | \"seed\" : 1,           | \"seed\" : 1, \"seed\" : 2,      | not valid JSON"})
  void hostileManifestIsRefusedBeforeAnyWork(String what, String from, String to,
      String message) throws Exception {
    String json = json();
    assertTrue(json.contains(from.strip()), what + ": " + from + " not in " + json);
    String m = refusal(j -> j.replaceFirst(java.util.regex.Pattern.quote(from.strip()),
        java.util.regex.Matcher.quoteReplacement(to.strip())));
    assertTrue(m.contains(message.strip()), what + ": " + m);
  }

  @Test
  void missingShardOrSuccessOrManifest() throws Exception {
    Path a = archive(json());
    Files.delete(a.resolve(ShardEntry.fileName(1)));
    assertTrue(assertThrows(ManifestException.class,
        () -> Archive.open(a.toString(), new Configuration())).getMessage()
        .contains("part-00001.bbshard is missing"));
    Path b = archive(json());
    Files.delete(b.resolve("_SUCCESS"));
    assertTrue(assertThrows(ManifestException.class,
        () -> Archive.open(b.toString(), new Configuration())).getMessage()
        .contains("not a complete archive"));
    Path c = archive(json());
    Files.delete(c.resolve(Manifest.FILE));
    assertTrue(assertThrows(ManifestException.class,
        () -> Archive.open(c.toString(), new Configuration())).getMessage()
        .contains("has no manifest.json"));
  }

  @Test
  void aShardRemovedFromTheListIsRefused() throws Exception {
    Manifest m = valid();
    m.shards.remove(0);
    String message = refusal(j -> new String(m.toJson(), StandardCharsets.UTF_8));
    assertTrue(message.contains("starts at image 10, expected 0")
        || message.contains("has index 1"), message);
  }

  @Test
  void namesMustBeEveryShardsOrNoneWithTheirFilesAndCheckedWhenRead() throws Exception {
    Manifest m = valid();
    byte[][] files = {Names.encode(names(0)), Names.encode(names(10))};
    for (ShardEntry s : m.shards) {
      s.namesFile = Names.fileName(s.index);
      s.namesBytes = files[s.index].length;
      s.namesSha256 = io.bbans.codec.util.Sha256.hex(files[s.index], files[s.index].length);
    }
    String json = new String(m.toJson(), StandardCharsets.UTF_8);
    Path a = archive(json);
    Files.write(a.resolve(Names.fileName(0)), files[0]);
    Files.write(a.resolve(Names.fileName(1)), files[1]);
    Archive opened = Archive.open(a.toString(), new Configuration());
    assertTrue(opened.manifest().hasNames());
    assertEquals(java.util.List.of(names(10)), java.util.List.of(Archive.readNames(
        opened.folder(), opened.manifest().shards.get(1), new Configuration())));

    // A names file that is missing, of another size, or altered; names for one shard only;
    // a names file of another shard's name.
    Files.delete(a.resolve(Names.fileName(1)));
    assertTrue(assertThrows(ManifestException.class, () -> Archive.open(a.toString(),
        new Configuration())).getMessage().contains("part-00001.names (the names of shard 1's"
        + " images) is missing"));
    Files.write(a.resolve(Names.fileName(1)), java.util.Arrays.copyOf(files[1],
        files[1].length + 1));
    assertTrue(assertThrows(ManifestException.class, () -> Archive.open(a.toString(),
        new Configuration())).getMessage().contains("the manifest says " + files[1].length));
    byte[] altered = files[1].clone();
    altered[altered.length - 5] ^= 1;
    Files.write(a.resolve(Names.fileName(1)), altered);
    assertTrue(assertThrows(io.bbans.codec.ans.CorruptStreamException.class,
        () -> Archive.readNames(a.toString(), opened.manifest().shards.get(1),
            new Configuration())).getMessage().contains("the names file is corrupt"));
    String oneShard = json.replaceFirst(",\"names\":\\{[^}]*\\}", "");
    assertTrue(refusal(j -> oneShard).contains("kept for every shard or for none"));
    assertTrue(refusal(j -> json.replace("\"file\":\"part-00001.names\"",
        "\"file\":\"../part-00001.names\"")).contains("expected 'part-00001.names'"));
  }

  private static String[] names(int first) {
    String[] names = new String[10];
    for (int i = 0; i < names.length; i++) {
      names[i] = "class/" + (first + i) + ".png";
    }
    return names;
  }

  @Test
  void oversizedManifestIsRefusedUnread() throws Exception {
    Path a = archive(json());
    try (var out = Files.newOutputStream(a.resolve(Manifest.FILE))) {
      out.write(new byte[(int) Manifest.MAX_BYTES + 1]);
    }
    String m = assertThrows(ManifestException.class,
        () -> Archive.open(a.toString(), new Configuration())).getMessage();
    assertTrue(m.contains("more than any archive needs"), m);
  }

  @Test
  void aModelWhoseHashDiffersIsRefused() throws Exception {
    Archive a = Archive.open(archive(json()).toString(), new Configuration());
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> a.model(null));
    assertTrue(e.getMessage().contains(SHA) && e.getMessage().contains(
        VaeModel.load("fashion-mnist").sha256()), e.getMessage());
  }
}
