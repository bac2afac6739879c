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
class TableJobTest {
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

  static byte[] png(ImageSet set, int i) throws IOException {
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

  static byte[] pixels(byte[] png) throws IOException {
    return ImageSource.decodePng(png, "test", new int[3]);
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
    assertEquals(28, m.rows);
    for (int i = 0; i < 4; i++) {
      assertTrue(Files.exists(archive.resolve(String.format("part-%05d.kept.parquet", i))));
    }
    assertTrue(8.0 * (m.compressedBytes() + m.keptBytes()) / m.originalBytes() < 3.5);
  }
}
