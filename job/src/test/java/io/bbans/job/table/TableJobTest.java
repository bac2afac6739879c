package io.bbans.job.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.job.TestData;
import io.bbans.job.archive.Manifest;
import io.bbans.job.compress.CompressJob;
import io.bbans.job.compress.ImageSource;
import io.bbans.job.decompress.DecompressJob;
import io.bbans.job.spark.Sessions;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables in and out, in a real local Spark session: Parquet tables written by Spark itself the
 * way users get them (the Hugging Face layout from Fashion-MNIST with its labels, a table of
 * many column types with nulls, nested structs and strings), through compress,
 * {@code decompress --format parquet} and the {@code bbans} data source.
 */
public class TableJobTest {
  static final int IMAGES = 600;
  static final Path LABELS = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");

  @TempDir
  static Path dir;
  static JavaSparkContext sc;
  static SparkSession spark;
  static ImageSet images;
  static int[] labels;
  static Path fashion;

  @BeforeAll
  static void start() throws Exception {
    images = Datasets.read(TestData.fashionTest()).range(0, IMAGES);
    labels = labels(IMAGES);
    sc = Sessions.start(Sessions.conf("TableJobTest").setMaster("local[2,4]"));
    spark = Tables.session(sc);
    fashion = dir.resolve("fashion-hf");
    huggingFace(images, labels, 3).write().parquet(fashion.toString());
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.stop();
    }
  }

  static int[] labels(int n) throws IOException {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(
        Files.newInputStream(LABELS)))) {
      assertEquals(0x801, in.readInt());
      in.readInt();
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = in.readUnsignedByte();
      }
      return out;
    }
  }

  public static byte[] png(ImageSet set, int i) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(set.cols(i),
        set.rows(i), java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, set.cols(i), set.rows(i), Arrays.copyOfRange(
        set.pixels(), (int) set.offset(i), (int) set.offset(i + 1)));
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** The Hugging Face layout: image {bytes, path}, label; in {@code files} Parquet files. */
  static Dataset<Row> huggingFace(ImageSet set, int[] labels, int files) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < set.count(); i++) {
      rows.add(RowFactory.create(RowFactory.create(png(set, i), null), labels[i]));
    }
    StructType schema = new StructType()
        .add("image", new StructType().add("bytes", DataTypes.BinaryType)
            .add("path", DataTypes.StringType))
        .add("label", DataTypes.LongType);
    List<Row> typed = rows.stream().map(r -> RowFactory.create(r.get(0),
        (long) r.getInt(1))).collect(Collectors.toList());
    return spark.createDataFrame(typed, schema).coalesce(files);
  }

  /** The rows of a folder of Parquet files: files by name, rows in file order. */
  static List<Row> inOrder(Path folder) throws IOException {
    List<Row> all = new ArrayList<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted()
          .collect(Collectors.toList())) {
        all.addAll(spark.read().parquet(p.toString()).collectAsList());
      }
    }
    return all;
  }

  /** The first {@code n} test images as an IDX file {@code name}. */
  static Path idx(String name, int n) throws IOException {
    Path idx = dir.resolve(name);
    try (java.io.OutputStream out = Files.newOutputStream(idx)) {
      io.bbans.codec.image.Idx.write(images.range(0, n), out);
    }
    return idx;
  }

  static byte[] pixels(byte[] png) throws IOException {
    return ImageSource.decodePng(png, "test", new int[4]);
  }

  static CompressJob.Options compress(Path in, Path out) {
    CompressJob.Options o = new CompressJob.Options();
    o.input = in.toString();
    o.output = out.toString();
    o.partitions = 4;
    o.model = "fashion-mnist";
    return o;
  }

  @Test
  void huggingFaceTableComesBackRowForRow() throws Exception {
    Path archive = dir.resolve("fashion-archive");
    CompressJob.Result r = CompressJob.run(sc, compress(fashion, archive));
    Manifest m = r.manifest;
    assertEquals(IMAGES, m.images());
    assertNotNull(m.table);
    assertEquals("png-struct", m.table.imageKind);
    // The order recorded: the table's three files by name, each with its rows.
    List<String> files;
    try (Stream<Path> listed = Files.list(fashion)) {
      files = listed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet"))
          .sorted().collect(Collectors.toList());
    }
    assertEquals(files, new ArrayList<>(m.table.files.keySet()));
    assertEquals(IMAGES, m.table.files.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(28, m.rows);
    for (int i = 0; i < 4; i++) {
      assertTrue(Files.exists(archive.resolve(String.format("part-%05d.kept.parquet", i))));
    }
    assertTrue(8.0 * (m.compressedBytes() + m.keptBytes()) / m.originalBytes() < 3.5);

    Path back = dir.resolve("fashion-back");
    DecompressJob.run(sc, decompress(archive, back));
    assertSameTable(fashion, back, "image");

    // --overwrite knows a table archive's files and a table written back as its own.
    CompressJob.Options again = compress(fashion, archive);
    again.overwrite = true;
    again.partitions = 3;
    assertEquals(3, CompressJob.run(sc, again).manifest.shards.size());
    assertFalse(Files.exists(archive.resolve("part-00003.kept.parquet")));
    DecompressJob.Options d = decompress(archive, back);
    d.overwrite = true;
    DecompressJob.run(sc, d);
    assertFalse(Files.exists(back.resolve("part-00003.parquet")));
    assertSameTable(fashion, back, "image");
  }

  /** The same table as ORC files (--input-format orc) gives the same rows back as Parquet. */
  @Test
  void orcTableThroughSparksReader() throws Exception {
    Path orc = dir.resolve("fashion-orc");
    huggingFace(images.range(0, 150), labels, 2).write().orc(orc.toString());
    Path archive = dir.resolve("orc-archive");
    CompressJob.Options o = compress(orc, archive);
    o.inputFormat = "orc";
    o.partitions = 2;
    Manifest m = CompressJob.run(sc, o).manifest;
    assertEquals("orc", m.table.format);
    Path back = dir.resolve("orc-back");
    DecompressJob.run(sc, decompress(archive, back));
    List<Row> in = new ArrayList<>();
    try (Stream<Path> s = Files.list(orc)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".orc")).sorted()
          .collect(Collectors.toList())) {
        in.addAll(spark.read().orc(p.toString()).collectAsList());
      }
    }
    List<Row> out = inOrder(back);
    assertEquals(150, out.size());
    for (int i = 0; i < 150; i++) {
      assertArrayEquals(pixels((byte[]) in.get(i).getStruct(0).get(0)),
          pixels((byte[]) out.get(i).getStruct(0).get(0)), "row " + i);
      assertEquals(in.get(i).getLong(1), out.get(i).getLong(1));
    }
  }

  /**
   * Spark's image schema (what spark.read.format("image") gives: origin, height, width,
   * nChannels, mode, data), one 8-bit channel, its origin kept: back field for field; three
   * channels refused naming the row.
   */
  @Test
  void sparkImageSchemaComesBack() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(RowFactory.create(RowFactory.create("file:/data/img" + i + ".png", 28, 28, 1, 0,
          Arrays.copyOfRange(images.pixels(), i * 784, (i + 1) * 784)), "c" + (i % 3)));
    }
    StructType schema = new StructType().add("img", ArchiveRows.SPARK_IMAGE)
        .add("cls", DataTypes.StringType);
    Path table = dir.resolve("spark-image");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(table.toString());
    Path archive = dir.resolve("spark-image-archive");
    CompressJob.Options o = compress(table, archive);
    o.imageColumn = "img";
    o.partitions = 2;
    assertEquals("spark-image", CompressJob.run(sc, o).manifest.table.imageKind);
    Path back = dir.resolve("spark-image-back");
    DecompressJob.run(sc, decompress(archive, back));
    assertSameTable(table, back, "none");
    Row first = spark.read().format("bbans").load(archive.toString()).filter("index = 3")
        .collectAsList().get(0);
    assertEquals("file:/data/img3.png", first.getStruct(1).getString(0));

    rows.set(5, RowFactory.create(RowFactory.create("x", 2, 2, 3, 16, new byte[12]), "c"));
    Path colour = dir.resolve("spark-image-colour");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(colour.toString());
    CompressJob.Options c = compress(colour, dir.resolve("never"));
    c.imageColumn = "img";
    String m = messages(assertThrows(Exception.class, () -> CompressJob.run(sc, c)));
    assertTrue(m.contains("row 5") && m.contains("3 channels"), m);
  }

  static DecompressJob.Options decompress(Path archive, Path out) {
    DecompressJob.Options o = new DecompressJob.Options();
    o.input = archive.toString();
    o.output = out.toString();
    o.format = DecompressJob.Format.PARQUET;
    return o;
  }

  /**
   * The table in {@code back} has the schema of the one in {@code in}, and the same rows in
   * the same order: every column equal, each image's pixels equal (its PNG bytes may differ).
   */
  static void assertSameTable(Path in, Path back, String image) throws IOException {
    Dataset<Row> a = spark.read().parquet(in.toString());
    Dataset<Row> b = spark.read().parquet(back.toString());
    assertEquals(a.schema(), b.schema());
    List<Row> x = inOrder(in);
    List<Row> y = inOrder(back);
    assertEquals(x.size(), y.size());
    int at = Arrays.asList(a.schema().fieldNames()).indexOf(image);
    for (int i = 0; i < x.size(); i++) {
      Row r = x.get(i);
      Row q = y.get(i);
      for (int f = 0; f < r.length(); f++) {
        if (f != at && r.get(f) instanceof byte[]) {
          assertArrayEquals((byte[]) r.get(f), (byte[]) q.get(f), "row " + i);
        } else if (f != at) {
          assertEquals(r.get(f), q.get(f), "row " + i + ", column " + a.schema().fieldNames()[f]);
        }
      }
      Object u = at < 0 ? null : r.get(at);
      Object v = at < 0 ? null : q.get(at);
      if (at < 0) {
        continue;
      }
      if (u instanceof Row) {
        Row su = (Row) u;
        Row sv = (Row) v;
        for (int f = 0; f < su.length(); f++) {
          if (su.schema().fieldNames()[f].equals("bytes")) {
            assertArrayEquals(pixels((byte[]) su.get(f)), pixels((byte[]) sv.get(f)), "row " + i);
          } else if (su.get(f) instanceof byte[]) {
            assertArrayEquals((byte[]) su.get(f), (byte[]) sv.get(f), "row " + i);
          } else {
            assertEquals(su.get(f), sv.get(f), "row " + i);
          }
        }
      } else {
        assertArrayEquals(pixels((byte[]) u), pixels((byte[]) v), "row " + i);
      }
    }
  }

  /**
   * A table of images alone (no other column: no kept files), partitioned by a column into
   * sub-folders (label=N/...): found as Parquet, back row for row, the partition column too.
   */
  @Test
  void partitionedTableOfImagesAlone() throws Exception {
    Path table = dir.resolve("partitioned");
    huggingFace(images.range(0, 60), labels, 1).select("image.bytes", "label")
        .withColumnRenamed("bytes", "image").write().partitionBy("label")
        .parquet(table.toString());
    Path archive = dir.resolve("partitioned-archive");
    CompressJob.Options o = compress(table, archive);
    o.partitions = 2;
    Manifest m = CompressJob.run(sc, o).manifest;
    assertEquals("png-binary", m.table.imageKind);
    assertTrue(m.table.files.keySet().iterator().next().startsWith("label=0/"),
        m.table.files.toString());
    Path imagesOnly = dir.resolve("images-only");
    spark.read().parquet(table.toString()).select("image").coalesce(1).write()
        .parquet(imagesOnly.toString());
    Path archive2 = dir.resolve("images-only-archive");
    CompressJob.Options o2 = compress(imagesOnly, archive2);
    Manifest m2 = CompressJob.run(sc, o2).manifest;
    assertEquals(0, m2.keptBytes());
    Path back = dir.resolve("images-only-back");
    DecompressJob.run(sc, decompress(archive2, back));
    assertSameTable(imagesOnly, back, "image");
  }

  /** The npm digits with their labels, in the Hugging Face layout: back row for row. */
  @Test
  void npmDigitsWithLabelsComeBack() throws Exception {
    Path npm = TestData.mnistDigits();
    ImageSet digits = io.bbans.codec.image.MnistDigits.read(npm).range(0, 400);
    int[] digitLabels = io.bbans.codec.image.MnistDigits.labels(npm);
    Path table = dir.resolve("digits-hf");
    huggingFace(digits, digitLabels, 2).write().parquet(table.toString());
    Path archive = dir.resolve("digits-archive");
    CompressJob.Options o = compress(table, archive);
    o.model = "mnist";
    o.partitions = 2;
    Manifest m = CompressJob.run(sc, o).manifest;
    assertEquals(400, m.images());
    Path back = dir.resolve("digits-back");
    DecompressJob.run(sc, decompress(archive, back));
    assertSameTable(table, back, "image");
    List<Row> rows = spark.read().format("bbans").load(archive.toString()).collectAsList();
    for (int i = 0; i < 400; i++) {
      assertEquals((long) digitLabels[i], rows.get(i).getLong(2));
    }
  }

  /**
   * A table of many column types, nulls among them (strings, doubles with NaN and -0.0,
   * decimals, dates, timestamps, binary, arrays, maps, nested structs), its images a binary
   * column of PNGs of mixed sizes, in two files: back row for row.
   */
  @Test
  void columnsOfEveryKindComeBackEqual() throws Exception {
    StructType nested = new StructType().add("name", DataTypes.StringType)
        .add("scores", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("inner", new StructType().add("flag", DataTypes.BooleanType));
    StructType schema = new StructType()
        .add("index", DataTypes.LongType, false)
        .add("caption", DataTypes.StringType)
        .add("png", DataTypes.BinaryType)
        .add("weight", DataTypes.DoubleType)
        .add("price", DataTypes.createDecimalType(12, 3))
        .add("day", DataTypes.DateType)
        .add("at", DataTypes.TimestampType)
        .add("raw", DataTypes.BinaryType)
        .add("tags", DataTypes.createArrayType(DataTypes.StringType))
        .add("attrs", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType))
        .add("meta", nested)
        .add("small", DataTypes.ShortType);
    List<Row> rows = new ArrayList<>();
    java.util.Random random = new java.util.Random(5);
    double[] odd = {Double.NaN, -0.0, Double.POSITIVE_INFINITY, 1e-300};
    for (int i = 0; i < 90; i++) {
      int h = 5 + random.nextInt(40);
      int w = 5 + random.nextInt(40);
      byte[] p = Arrays.copyOfRange(images.pixels(), 0, h * w);
      ImageSet one = new ImageSet(1, h, w, p);
      rows.add(RowFactory.create((long) i,
          i % 7 == 0 ? null : "caption " + i + " \u00e9\u4e2d",
          png(one, 0),
          i % 5 == 0 ? null : odd[i % 4],
          i % 6 == 0 ? null : new BigDecimal(i + ".125"),
          i % 4 == 0 ? null : Date.valueOf("2020-01-" + (1 + i % 28)),
          i % 3 == 0 ? null : new Timestamp(1_600_000_000_000L + i * 1001L),
          i % 2 == 0 ? null : new byte[] {(byte) i, 0, -1},
          i % 8 == 0 ? null : Arrays.asList("a" + i, null, "b"),
          i % 9 == 0 ? null : Map.of("k" + i, i),
          i % 10 == 0 ? null : RowFactory.create("n" + i, Arrays.asList(1.5, (double) i),
              i % 2 == 0 ? null : RowFactory.create(i % 3 == 0)),
          (short) -i));
    }
    Path table = dir.resolve("kinds");
    spark.createDataFrame(rows, schema).coalesce(2).write().parquet(table.toString());
    Path archive = dir.resolve("kinds-archive");
    CompressJob.Options o = compress(table, archive);
    o.imageColumn = "png";
    o.partitions = 3;
    Manifest m = CompressJob.run(sc, o).manifest;
    assertEquals(0, m.rows, "mixed sizes");
    assertEquals("png-binary", m.table.imageKind);
    Path back = dir.resolve("kinds-back");
    DecompressJob.run(sc, decompress(archive, back));
    assertSameTable(table, back, "png");
    // The table's own column "index" stays its own; the row number is __bbans_index.
    Dataset<Row> read = spark.read().format("bbans").load(archive.toString());
    assertEquals("__bbans_index", read.schema().fieldNames()[0]);
    assertEquals(50L, read.filter("__bbans_index = 50").select("index").collectAsList().get(0)
        .getLong(0));
  }

  /** Counts the tasks that end while it listens. */
  static final class Tasks extends SparkListener {
    final AtomicInteger ended = new AtomicInteger();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      ended.incrementAndGet();
    }
  }

  /** Runs {@code action} and gives the tasks it ran. */
  static int tasks(Runnable action) throws Exception {
    Tasks t = new Tasks();
    sc.sc().addSparkListener(t);
    try {
      action.run();
      // Listener events arrive on their own thread: wait until the bus has delivered them.
      sc.sc().listenerBus().waitUntilEmpty();
      return t.ended.get();
    } finally {
      sc.sc().removeSparkListener(t);
    }
  }

  /**
   * The data source gives the table's rows, in order, with their index; a filter on index
   * runs one task per shard it needs, no more; asking for no image decodes nothing.
   */
  @Test
  void dataSourceReadsTheArchiveAndSkipsShards() throws Exception {
    Path archive = dir.resolve("source-archive");
    CompressJob.Options o = compress(fashion, archive);
    o.partitions = 6;
    CompressJob.run(sc, o);
    Dataset<Row> df = spark.read().format("bbans").load(archive.toString());
    assertEquals(List.of("index", "image", "label"), Arrays.asList(df.schema().fieldNames()));
    List<Row> rows = df.collectAsList();
    assertEquals(IMAGES, rows.size());
    for (int i = 0; i < IMAGES; i++) {
      Row r = rows.get(i);
      assertEquals((long) i, r.getLong(0));
      Row image = r.getStruct(1);
      assertEquals(28, image.getInt(1));
      assertEquals(1, image.getInt(3));
      assertArrayEquals(Arrays.copyOfRange(images.pixels(), i * 784, (i + 1) * 784),
          (byte[]) image.get(5), "row " + i);
      assertEquals((long) labels[i], r.getLong(2), "row " + i);
    }
    // 600 rows in 6 shards of 100: rows 150..249 lie in shards 1 and 2.
    int[] count = new int[1];
    int ran = tasks(() -> count[0] = df.filter("index >= 150 and index < 250").select("label")
        .collectAsList().size());
    assertEquals(100, count[0]);
    assertEquals(2, ran, "tasks of a scan that needs two shards");
    assertEquals(6, tasks(() -> df.select("label").collectAsList()));
    List<Row> one = df.filter("index = 433").collectAsList();
    assertEquals(1, one.size());
    assertEquals((long) labels[433], one.get(0).getLong(2));

    Dataset<Row> pngs = spark.read().format("bbans").option("image", "png")
        .load(archive.toString());
    Row r = pngs.filter("index = 7").collectAsList().get(0);
    assertArrayEquals(Arrays.copyOfRange(images.pixels(), 7 * 784, 8 * 784),
        pixels((byte[]) r.get(1)));
  }

  /** df.write.format("bbans") compresses a DataFrame; its rows come back in its order. */
  @Test
  void dataFrameWrittenAsArchive() throws Exception {
    Dataset<Row> table = huggingFace(images.range(0, 120), labels, 2);
    Path archive = dir.resolve("written");
    table.write().format("bbans").option("model", "fashion-mnist").option("partitions", "3")
        .save(archive.toString());
    List<Row> back = spark.read().format("bbans").load(archive.toString()).collectAsList();
    List<Row> in = table.collectAsList();
    assertEquals(in.size(), back.size());
    for (int i = 0; i < in.size(); i++) {
      assertArrayEquals(pixels((byte[]) in.get(i).getStruct(0).get(0)),
          (byte[]) back.get(i).getStruct(1).get(5), "row " + i);
      assertEquals(in.get(i).getLong(1), back.get(i).getLong(2));
    }
    assertThrows(Exception.class, () -> table.write().format("bbans")
        .option("model", "fashion-mnist").save(archive.toString()));
    assertEquals(120, spark.read().format("bbans").load(archive.toString()).count());
  }

  static Map<Path, byte[]> contents(Path folder) throws IOException {
    Map<Path, byte[]> out = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : s.collect(Collectors.toList())) {
        out.put(p.getFileName(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getMessage()).append(" | ");
    }
    return b.toString();
  }

  /** A table of {@code rows} (id, image binary), in one Parquet file. */
  static Path binaryTable(String name, List<Row> rows) {
    StructType schema = new StructType().add("id", DataTypes.LongType)
        .add("image", DataTypes.BinaryType);
    Path table = dir.resolve(name);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(table.toString());
    return table;
  }

  /**
   * Bad tables get one clear error, naming the file and row where a row is at fault, and the
   * output a user already had is left as it was: a missing or mistyped image column, a null
   * image, bytes that are no PNG, a colour PNG, a column that cannot be kept.
   */
  @Test
  void badTablesAreRefusedAndNothingIsLost() throws Exception {
    // An archive the user already has, which --overwrite would replace only on success.
    Path small = idx("small.idx", 20);
    Path out = dir.resolve("precious");
    CompressJob.run(sc, compress(small, out));
    Map<Path, byte[]> before = contents(out);
    byte[] good = png(images, 0);

    CompressJob.Options o = compress(fashion, out);
    o.overwrite = true;
    o.imageColumn = "picture";
    assertTrue(messages(assertThrows(IllegalArgumentException.class,
        () -> CompressJob.run(sc, o))).contains("no column 'picture'"));
    o.imageColumn = "label";
    assertTrue(messages(assertThrows(IllegalArgumentException.class,
        () -> CompressJob.run(sc, o))).contains("an image column is binary"));

    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(RowFactory.create((long) i, i == 6 ? null : good));
    }
    CompressJob.Options nulls = compress(binaryTable("nulls", rows), out);
    nulls.overwrite = true;
    String m = messages(assertThrows(Exception.class, () -> CompressJob.run(sc, nulls)));
    assertTrue(m.contains("row 6") && m.contains(".parquet") && m.contains("null"), m);

    rows.set(6, RowFactory.create(6L, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
    CompressJob.Options jpeg = compress(binaryTable("jpeg", rows), out);
    jpeg.overwrite = true;
    m = messages(assertThrows(Exception.class, () -> CompressJob.run(sc, jpeg)));
    assertTrue(m.contains("row 6") && m.contains("not a PNG"), m);

    ByteArrayOutputStream rgb = new ByteArrayOutputStream();
    ImageIO.write(new java.awt.image.BufferedImage(4, 4,
        java.awt.image.BufferedImage.TYPE_INT_RGB), "png", rgb);
    rows.set(6, RowFactory.create(6L, rgb.toByteArray()));
    CompressJob.Options colour = compress(binaryTable("rgb", rows), out);
    colour.overwrite = true;
    m = messages(assertThrows(Exception.class, () -> CompressJob.run(sc, colour)));
    assertTrue(m.contains("row 6") && m.contains("colour"), m);

    CompressJob.Options interval = compress(fashion, out);
    interval.input = null;
    interval.overwrite = true;
    interval.dataFrame = spark.read().parquet(fashion.toString())
        .withColumn("gap", functions.expr("make_interval(0, 0, 0, 1)"));
    m = messages(assertThrows(IllegalArgumentException.class,
        () -> CompressJob.run(sc, interval)));
    assertTrue(m.contains("'gap'") && m.contains("cannot be kept"), m);

    Map<Path, byte[]> after = contents(out);
    assertEquals(before.keySet(), after.keySet());
    for (Path p : before.keySet()) {
      assertArrayEquals(before.get(p), after.get(p), p.toString());
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".bbans-")),
          "no work folder left beside the output");
    }
  }

  /**
   * A kept file damaged after the archive was written (same size, one byte changed) is caught
   * by its SHA-256 before Parquet reads it: decompress writes nothing, the data source fails.
   */
  @Test
  void damagedKeptFileIsRefused() throws Exception {
    Path archive = dir.resolve("damaged");
    CompressJob.Options o = compress(fashion, archive);
    o.partitions = 2;
    CompressJob.run(sc, o);
    Path kept = archive.resolve("part-00001.kept.parquet");
    byte[] bytes = Files.readAllBytes(kept);
    bytes[bytes.length / 2] ^= 1;
    Files.write(kept, bytes);
    Path back = dir.resolve("damaged-back");
    String m = messages(assertThrows(Exception.class,
        () -> DecompressJob.run(sc, decompress(archive, back))));
    assertTrue(m.contains("part-00001.kept.parquet") && m.contains("SHA-256"), m);
    assertFalse(Files.exists(back));
    m = messages(assertThrows(Exception.class, () -> spark.read().format("bbans")
        .load(archive.toString()).select("label").collectAsList()));
    assertTrue(m.contains("part-00001.kept.parquet"), m);
  }

  /** A table archive read back as PNG files or IDX too; parquet refused for other archives. */
  @Test
  void parquetOutputNeedsATableArchive() throws Exception {
    Path idx = idx("plain.idx", 50);
    Path archive = dir.resolve("plain-archive");
    CompressJob.Options o = compress(idx, archive);
    CompressJob.run(sc, o);
    Path back = dir.resolve("plain-back");
    String m = messages(assertThrows(IllegalArgumentException.class,
        () -> DecompressJob.run(sc, decompress(archive, back))));
    assertTrue(m.contains("not made from a table"), m);
    assertFalse(Files.exists(back));
    // The data source reads any archive: index and image.
    List<Row> rows = spark.read().format("bbans").load(archive.toString()).collectAsList();
    assertEquals(50, rows.size());
    assertArrayEquals(Arrays.copyOfRange(images.pixels(), 49 * 784, 50 * 784),
        (byte[]) rows.get(49).getStruct(1).get(5));
  }
}
