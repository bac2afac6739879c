package io.bbans.job.archive;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bbans.codec.ans.Message;
import io.bbans.codec.container.Shard;
import io.bbans.codec.image.Idx;
import io.bbans.codec.model.Likelihood;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code manifest.json}: what an archive holds and how to get it back. The driver writes it
 * after every shard is in place; {@link #parse} refuses, before any work is done, anything this
 * job could not have written: unknown versions, paths that leave the folder, missing or
 * duplicate shards, counts or shapes out of bounds, sizes that disagree.
 */
public final class Manifest implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  public static final String FILE = "manifest.json";
  public static final String FORMAT = "bbans-archive";
  /**
   * The newest manifest version: 2 adds the bit depth of PNG files of fewer than 8 bits, which
   * come back at it; 3, images of mixed sizes ({@code "shape": {"sizes": "mixed"}}, each
   * image's size kept in its shard); 4, a table; 5, colour ({@code "shape": {"channels": 3}});
   * 6, alpha channels kept beside the shards ({@link Alpha}).
   * Each archive is written in the oldest version that holds it, so that an older build
   * refuses only the archives it would not give back exactly.
   */
  public static final int VERSION = 6;
  /** A manifest larger than this is refused unread (a million shards fit in far less). */
  public static final long MAX_BYTES = 64L << 20;
  public static final int MAX_SHARDS = 1_000_000;
  /** Shards are read whole into memory: no shard file may claim more. */
  public static final long MAX_SHARD_BYTES = Integer.MAX_VALUE - 64;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  /**
   * Written on one line, no indentation: the manifest counts in the archive's size, and a
   * one-shard archive's took 1,111 bytes indented with seconds to the nanosecond, 815 on one
   * line, less again without the timings, which are not part of the format; {@code jq . manifest.json} shows it indented. Any JSON
   * whitespace reads.
   */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  public String modelSha256;
  /** The model as given to compress: a bundled name or a file path (a hint for decompress). */
  public String modelName;
  public Likelihood likelihood;
  /** The height and width of every image; both 0 for images of mixed sizes. */
  public int rows;
  public int cols;
  /**
   * Bits a sample of the input PNG files had (1, 2, 4; 8 for every other input): the shards
   * hold them spread over 0..255, {@code decompress --format png} gives them back at this.
   */
  public int bitDepth = 8;
  /** Samples a pixel: 1 (grayscale), or 3 for RGB (PNG files come back as 8-bit RGB). */
  public int channels = 1;
  public long seed;
  /** Where the images came from, for people; never used to find files. */
  public String source;
  public String createdBy = "bbans-spark " + version();
  /**
   * The highest shard format version among the shards: 1 (coded) or 2 (some stored) for images
   * of the model's size, 3 or 4 for images of other or mixed sizes.
   */
  public int shardFormatVersion = Shard.VERSION;
  public List<ShardEntry> shards = new ArrayList<>();
  /** The table the images came from (version 4), with each shard's kept columns; or null. */
  public TableInfo table;

  public static String version() {
    String v = Manifest.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** This manifest without its shard list: what every task needs besides its own entry. */
  public Manifest withoutShards() {
    Manifest h = new Manifest();
    h.modelSha256 = modelSha256;
    h.modelName = modelName;
    h.likelihood = likelihood;
    h.shardFormatVersion = shardFormatVersion;
    h.rows = rows;
    h.cols = cols;
    h.bitDepth = bitDepth;
    h.channels = channels;
    h.seed = seed;
    h.source = source;
    h.createdBy = createdBy;
    h.table = table;
    return h;
  }

  public long images() {
    return sum(s -> s.images);
  }

  public long originalBytes() {
    return sum(s -> s.originalBytes);
  }

  private long sum(java.util.function.ToLongFunction<ShardEntry> f) {
    long n = 0;
    for (ShardEntry s : shards) {
      n += f.applyAsLong(s);
    }
    return n;
  }

  /** Whether the images' file names are kept (they came from a folder of PNG files). */
  public boolean hasNames() {
    return !shards.isEmpty() && shards.get(0).namesFile != null;
  }

  /** Bytes of the names files, beside the shards' (0 without names). */
  public long namesBytes() {
    return sum(s -> s.namesBytes);
  }

  /** Whether some shard keeps its images' alpha channels ({@link Alpha}). */
  public boolean hasAlpha() {
    for (ShardEntry s : shards) {
      if (s.alphaFile != null) {
        return true;
      }
    }
    return false;
  }

  /** Bytes of the alpha files, beside the shards' (0 without). */
  public long alphaBytes() {
    return sum(s -> s.alphaBytes);
  }

  /** Bytes of the kept columns' files, beside the shards' (0 without). */
  public long keptBytes() {
    return sum(s -> s.keptBytes);
  }

  /** Whether the images differ in size (each shard holds each image's). */
  public boolean mixedSizes() {
    return rows == 0;
  }

  public long compressedBytes() {
    return sum(s -> s.compressedBytes);
  }

  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", hasAlpha() ? 6 : channels > 1 ? 5 : table != null ? 4 : mixedSizes() ? 3
        : bitDepth == 8 ? 1 : 2);
    root.put("createdBy", createdBy);
    ObjectNode model = root.putObject("model");
    model.put("sha256", modelSha256);
    model.put("name", modelName);
    ObjectNode codec = root.putObject("codec");
    codec.put("shardFormatVersion", shardFormatVersion);
    codec.put("likelihood", likelihood.id());
    root.put("seed", seed);
    ObjectNode shape = root.putObject("shape");
    if (mixedSizes()) {
      shape.put("sizes", "mixed");
    } else {
      shape.put("rows", rows);
      shape.put("cols", cols);
    }
    if (bitDepth != 8) {
      shape.put("bitDepth", bitDepth);
    }
    if (channels != 1) {
      shape.put("channels", channels);
    }
    root.put("source", source);
    if (table != null) {
      ObjectNode t = root.putObject("table");
      t.put("format", table.format);
      t.put("imageColumn", table.imageColumn);
      t.put("imageKind", table.imageKind);
      t.put("schema", table.schema);
      ArrayNode files = t.putArray("files");
      for (java.util.Map.Entry<String, Long> f : table.files.entrySet()) {
        files.addObject().put("name", f.getKey()).put("rows", f.getValue());
      }
    }
    root.put("images", images());
    root.put("originalBytes", originalBytes());
    root.put("compressedBytes", compressedBytes());
    ArrayNode list = root.putArray("shards");
    for (ShardEntry s : shards) {
      ObjectNode o = list.addObject();
      o.put("index", s.index);
      o.put("file", s.file);
      o.put("firstImage", s.firstImage);
      o.put("images", s.images);
      o.put("lanes", s.lanes);
      o.put("seed", s.seed);
      o.put("originalBytes", s.originalBytes);
      o.put("compressedBytes", s.compressedBytes);
      o.put("pixelsSha256", s.pixelsSha256);
      o.put("shardSha256", s.shardSha256);
      if (s.namesFile != null) {
        ObjectNode n = o.putObject("names");
        n.put("file", s.namesFile);
        n.put("bytes", s.namesBytes);
        n.put("sha256", s.namesSha256);
      }
      if (s.alphaFile != null) {
        ObjectNode a = o.putObject("alpha");
        a.put("file", s.alphaFile);
        a.put("bytes", s.alphaBytes);
        a.put("sha256", s.alphaSha256);
      }
      if (s.keptFile != null) {
        ObjectNode k = o.putObject("kept");
        k.put("file", s.keptFile);
        k.put("bytes", s.keptBytes);
        k.put("sha256", s.keptSha256);
      }
    }
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  /** Parses and validates a manifest; every problem is a {@link ManifestException}. */
  public static Manifest parse(byte[] json) {
    if (json.length > MAX_BYTES) {
      throw new ManifestException("manifest is " + json.length + " bytes, more than any archive"
          + " needs (" + MAX_BYTES + ")");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new ManifestException("manifest is not valid JSON: "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new ManifestException("manifest is not a JSON object");
    }
    if (!FORMAT.equals(text(root, "format"))) {
      throw new ManifestException("not a bbans archive manifest (format is not '" + FORMAT + "')");
    }
    long version = integer(root, "version", 0, Integer.MAX_VALUE);
    if (version < 1 || version > VERSION) {
      throw new ManifestException("manifest version " + version + "; this build reads versions"
          + " 1 to " + VERSION);
    }
    Manifest m = new Manifest();
    m.createdBy = text(root, "createdBy");
    JsonNode model = object(root, "model");
    m.modelSha256 = sha(model, "sha256", "model.sha256");
    m.modelName = text(model, "name");
    JsonNode codec = object(root, "codec");
    long shardVersion = integer(codec, "shardFormatVersion", 0, Integer.MAX_VALUE);
    if (shardVersion < Shard.VERSION || shardVersion > Shard.NEWEST) {
      throw new ManifestException("shard format version " + shardVersion
          + "; this build reads versions " + Shard.VERSION + " to " + Shard.NEWEST);
    }
    m.shardFormatVersion = (int) shardVersion;
    try {
      m.likelihood = Likelihood.fromId(text(codec, "likelihood"));
    } catch (IllegalArgumentException e) {
      throw new ManifestException("codec.likelihood: " + e.getMessage());
    }
    m.seed = integer(root, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    JsonNode shape = object(root, "shape");
    if (version >= 3 && shape.has("sizes")) {
      if (!"mixed".equals(text(shape, "sizes")) || shape.has("rows") || shape.has("cols")) {
        throw new ManifestException("shape.sizes is '" + printable(text(shape, "sizes"))
            + "'; it is 'mixed', without rows and cols, or absent");
      }
      m.rows = 0;
      m.cols = 0;
    } else {
      m.rows = (int) integer(shape, "rows", 1, Idx.MAX_SIDE);
      m.cols = (int) integer(shape, "cols", 1, Idx.MAX_SIDE);
    }
    if (version == 2 || (version >= 3 && shape.has("bitDepth"))) {
      // version 3 writes it only where it is not 8
      m.bitDepth = (int) integer(shape, "bitDepth", 1, 8);
      if (Integer.bitCount(m.bitDepth) != 1) {
        throw new ManifestException("shape.bitDepth is " + m.bitDepth + "; PNG files have 1, 2,"
            + " 4 or 8 bits a sample here");
      }
    } else if (shape.has("bitDepth")) {
      throw new ManifestException("shape.bitDepth in a version 1 manifest, which has none");
    }
    // version 5 is colour; from 6 on, the shape says channels where there are three
    if (version == 5 || shape.has("channels")) {
      if (version < 5) {
        throw new ManifestException("shape.channels in a version " + version + " manifest,"
            + " which has none");
      }
      m.channels = (int) integer(shape, "channels", 3, 3);
      if (m.bitDepth != 8) {
        throw new ManifestException("shape.bitDepth " + m.bitDepth + " with colour: RGB is 8-bit"
            + " here");
      }
    }
    m.source = text(root, "source");
    if (root.has("table")) {
      if (version < 4) {
        throw new ManifestException("a table in a version " + version + " manifest, which has"
            + " none");
      }
      m.table = table(object(root, "table"));
    }
    JsonNode list = root.get("shards");
    if (list == null || !list.isArray()) {
      throw new ManifestException("manifest has no 'shards' list");
    }
    if (list.isEmpty() || list.size() > MAX_SHARDS) {
      throw new ManifestException("manifest lists " + list.size() + " shards; an archive has 1.."
          + MAX_SHARDS);
    }
    long dims = (long) m.rows * m.cols * m.channels;
    long next = 0;
    for (int i = 0; i < list.size(); i++) {
      JsonNode o = list.get(i);
      if (!o.isObject()) {
        throw new ManifestException("shards[" + i + "] is not an object");
      }
      ShardEntry s = new ShardEntry();
      s.index = (int) integer(o, "index", 0, MAX_SHARDS);
      if (s.index != i) {
        throw new ManifestException("shards[" + i + "] has index " + s.index
            + ": shards are listed once each, in order");
      }
      s.file = text(o, "file");
      checkFileName(s.file, i);
      s.firstImage = integer(o, "firstImage", 0, Long.MAX_VALUE);
      if (s.firstImage != next) {
        throw new ManifestException("shards[" + i + "] starts at image " + s.firstImage
            + ", expected " + next + ": shards cover the images once each, in order");
      }
      s.images = (int) integer(o, "images", 0, Shard.MAX_IMAGES);
      if (s.images * (m.mixedSizes() ? 1 : dims) > Shard.MAX_PIXELS) {
        throw new ManifestException("shards[" + i + "] claims " + s.images + " images of "
            + m.rows + "x" + m.cols + ", more pixels than a shard holds");
      }
      next += s.images;
      s.lanes = (int) integer(o, "lanes", 1, Message.MAX_LANES);
      s.seed = integer(o, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
      s.originalBytes = integer(o, "originalBytes", 0, Long.MAX_VALUE);
      long most = (long) s.images * Idx.MAX_SIDE * Idx.MAX_SIDE * m.channels;
      if (m.mixedSizes() ? s.originalBytes < (long) s.images * m.channels
          || s.originalBytes > Shard.MAX_PIXELS || s.originalBytes > most
          : s.originalBytes != s.images * dims) {
        throw new ManifestException("shards[" + i + "] has " + s.originalBytes
            + " original bytes, but " + s.images + " images of " + (m.mixedSizes()
            ? "mixed sizes hold " + (long) s.images * m.channels + " to "
            + Math.min(Shard.MAX_PIXELS, most)
            : m.rows + "x" + m.cols + " are " + s.images * dims));
      }
      s.compressedBytes = integer(o, "compressedBytes", 1, MAX_SHARD_BYTES);
      s.pixelsSha256 = sha(o, "pixelsSha256", "shards[" + i + "].pixelsSha256");
      s.shardSha256 = sha(o, "shardSha256", "shards[" + i + "].shardSha256");
      SideFile names = sideFile(o, "names", i, Names.fileName(i), null);
      if (names != null) {
        s.namesFile = names.file;
        s.namesBytes = names.bytes;
        s.namesSha256 = names.sha256;
      }
      SideFile alpha = sideFile(o, "alpha", i, Alpha.fileName(i), version < 6
          ? "in a version " + version + " manifest, which keeps no alpha" : m.table != null
          ? "in an archive of a table, whose images have no alpha" : null);
      if (alpha != null) {
        s.alphaFile = alpha.file;
        s.alphaBytes = alpha.bytes;
        s.alphaSha256 = alpha.sha256;
      }
      SideFile kept = sideFile(o, "kept", i, ShardEntry.keptFileName(i),
          m.table == null ? "in an archive of no table" : null);
      if (kept != null) {
        s.keptFile = kept.file;
        s.keptBytes = kept.bytes;
        s.keptSha256 = kept.sha256;
      }
      if (i > 0) {
        allOrNone(i, s.keptFile != null, m.shards.get(0).keptFile != null, "kept columns",
            "a table's other columns are kept for every shard or for none");
        allOrNone(i, s.namesFile != null, m.shards.get(0).namesFile != null, "names",
            "the names of an archive's images are kept for every shard or for none");
      }
      // Earlier builds wrote "codedBy" and "seconds" here; they are not part of the format
      // and are ignored.
      m.shards.add(s);
    }
    long images = integer(root, "images", 0, Long.MAX_VALUE);
    if (images != next) {
      throw new ManifestException("manifest claims " + images + " images, its shards hold "
          + next);
    }
    if (m.table != null && m.table.files.values().stream().mapToLong(Long::longValue).sum()
        != next) {
      throw new ManifestException("table.files hold " + m.table.files.values().stream()
          .mapToLong(Long::longValue).sum() + " rows, the shards " + next);
    }
    if (m.table != null && m.table.keepsColumns != (m.shards.get(0).keptFile != null)) {
      throw new ManifestException(m.table.keepsColumns ? "the table has columns besides its"
          + " images, but the shards keep none" : "the shards keep columns, but the table has"
          + " none besides its images");
    }
    m.shards = Collections.unmodifiableList(m.shards);
    return m;
  }

  /** A file kept beside a shard, as its row of the manifest names it. */
  private static final class SideFile {
    String file;
    long bytes;
    String sha256;
  }

  /**
   * Shard i's side file under {@code key} (names, kept), or null where the row has none: an
   * object of exactly {@code expected}'s name, a size and a SHA-256. {@code refused}, if not
   * null, says why the row may have none.
   */
  private static SideFile sideFile(JsonNode o, String key, int i, String expected,
      String refused) {
    JsonNode n = o.get(key);
    if (n == null) {
      return null;
    }
    String where = "shards[" + i + "]." + key;
    if (!n.isObject() || refused != null) {
      throw new ManifestException(where + " " + (refused != null ? refused
          : "is not an object"));
    }
    SideFile f = new SideFile();
    f.file = text(n, "file");
    if (!f.file.equals(expected)) {
      throw new ManifestException(where + ".file is '" + printable(f.file) + "', expected '"
          + expected + "'");
    }
    f.bytes = integer(n, "bytes", 1, MAX_SHARD_BYTES);
    f.sha256 = sha(n, "sha256", where + ".sha256");
    return f;
  }

  /** Shard i has a side file of a kind ({@code what}) exactly when shard 0 has one. */
  private static void allOrNone(int i, boolean has, boolean firstHas, String what,
      String rule) {
    if (has != firstHas) {
      throw new ManifestException("shards[" + i + "] " + (has ? "has" : "has no") + " " + what
          + ", shards[0] " + (has ? "has none" : "has") + ": " + rule);
    }
  }

  /**
   * The table object: its schema must parse as Spark's, name the image column, hold it the
   * way the manifest says, and keep every other column (io.bbans.job.table.ImageColumn).
   */
  private static TableInfo table(JsonNode t) {
    TableInfo info = new TableInfo();
    info.format = text(t, "format");
    info.imageColumn = text(t, "imageColumn");
    info.imageKind = text(t, "imageKind");
    info.schema = text(t, "schema");
    JsonNode files = t.get("files");
    if (files == null || !files.isArray()) {
      throw new ManifestException("table.files is missing or not a list");
    }
    for (int i = 0; i < files.size(); i++) {
      JsonNode f = files.get(i);
      if (!f.isObject()) {
        throw new ManifestException("table.files[" + i + "] is not an object");
      }
      String name = text(f, "name");
      if (info.files.put(name, integer(f, "rows", 1, 1L << 40)) != null) {
        throw new ManifestException("table.files lists '" + printable(name) + "' twice");
      }
    }
    org.apache.spark.sql.types.DataType type;
    try {
      type = org.apache.spark.sql.types.DataType.fromJson(info.schema);
    } catch (Exception e) { // Jackson's checked parse errors come through Scala undeclared
      throw new ManifestException("table.schema is not a Spark schema in JSON: "
          + printable(String.valueOf(e.getMessage())));
    }
    if (!(type instanceof org.apache.spark.sql.types.StructType)) {
      throw new ManifestException("table.schema is " + printable(type.simpleString())
          + ", not a struct of columns");
    }
    io.bbans.job.table.ImageColumn column;
    try {
      column = io.bbans.job.table.ImageColumn.of((org.apache.spark.sql.types.StructType) type,
          info.imageColumn);
    } catch (IllegalArgumentException e) {
      throw new ManifestException("table: " + printable(e.getMessage()));
    }
    if (!column.kind.id.equals(info.imageKind)) {
      throw new ManifestException("table.imageKind is '" + printable(info.imageKind)
          + "', but the schema holds the images as " + column.kind.id);
    }
    info.keepsColumns = column.keepsColumns();
    return info;
  }

  /**
   * A shard file is named exactly as compress names it: a plain name inside the archive folder,
   * never a path, an absolute name, a URI or a name of another shard.
   */
  private static void checkFileName(String file, int index) {
    if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.contains(":")
        || file.startsWith(".") || file.chars().anyMatch(c -> c < 0x20)) {
      throw new ManifestException("shards[" + index + "].file '" + printable(file)
          + "' is not a plain file name inside the archive folder");
    }
    if (!file.equals(ShardEntry.fileName(index))) {
      throw new ManifestException("shards[" + index + "].file is '" + printable(file)
          + "', expected '" + ShardEntry.fileName(index) + "'");
    }
  }

  private static String printable(String s) {
    String p = s.codePoints().limit(80)
        .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return s.length() > 80 ? p + "..." : p;
  }

  private static JsonNode object(JsonNode parent, String key) {
    JsonNode n = parent.get(key);
    if (n == null || !n.isObject()) {
      throw new ManifestException("manifest has no '" + key + "' object");
    }
    return n;
  }

  private static String text(JsonNode parent, String key) {
    JsonNode n = parent.get(key);
    if (n == null || !n.isTextual()) {
      throw new ManifestException("manifest field '" + key + "' is missing or not a string");
    }
    return n.textValue();
  }

  private static String sha(JsonNode parent, String key, String where) {
    String s = text(parent, key);
    if (!SHA256.matcher(s).matches()) {
      throw new ManifestException(where + " is not a SHA-256 in lowercase hex");
    }
    return s;
  }

  private static long integer(JsonNode parent, String key, long min, long max) {
    JsonNode n = parent.get(key);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new ManifestException("manifest field '" + key + "' is missing or not an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new ManifestException("manifest field '" + key + "' is " + v + ", outside " + min
          + ".." + max);
    }
    return v;
  }
}
