package io.bbans.job.table;

import static org.apache.spark.sql.functions.col;

import io.bbans.codec.image.ImageSet;
import io.bbans.job.archive.Archive;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.ShardEntry;
import io.bbans.job.decompress.DecompressJob;
import io.bbans.job.spark.ShardReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * An archive's rows as Spark rows, one partition per shard, decoded in the task that reads
 * the shard: each row's index, image and kept columns, as many of them as are asked for. The
 * kept columns come from each shard's kept Parquet file (checked by size and SHA-256 first),
 * read as one partition beside the shard's own, and matched to the images by index.
 */
public final class ArchiveRows implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where an output column comes from. */
  public enum From {
    /** The row's global index. */
    INDEX,
    /** The image column as the table held it (PNG bytes, the struct, Spark's image schema). */
    ORIGINAL,
    /** The image in Spark's image schema. */
    SPARK_IMAGE,
    /** The image as PNG bytes. */
    PNG,
    /** A kept column, by name. */
    KEPT
  }

  /** One output column. */
  public static final class Field implements Serializable {
    private static final long serialVersionUID = 1L;
    final From from;
    final String kept;

    public Field(From from, String kept) {
      this.from = from;
      this.kept = kept;
    }
  }

  /** Spark's image schema (ImageSchema.columnSchema). */
  public static final StructType SPARK_IMAGE = new StructType()
      .add("origin", DataTypes.StringType, true)
      .add("height", DataTypes.IntegerType, true)
      .add("width", DataTypes.IntegerType, true)
      .add("nChannels", DataTypes.IntegerType, true)
      .add("mode", DataTypes.IntegerType, true)
      .add("data", DataTypes.BinaryType, true);

  private final ShardReader reader;
  private final String folder;
  private final Field[] fields;
  /** The image column (how the table held it), or null for an archive of no table. */
  private final ImageColumn column;
  /** Kept columns read: the index first, then those the fields name. */
  private final String[] keptRead;
  /** Where in a kept row each field's column is (-1: not a kept column). */
  private final int[] keptAt;
  /** Where in a kept row the image struct's other fields are, or -1. */
  private final int restAt;

  public ArchiveRows(ShardReader reader, Manifest manifest, String folder, Field[] fields) {
    this.reader = reader;
    this.folder = folder;
    this.fields = fields;
    this.column = column(manifest);
    List<String> read = new ArrayList<>();
    read.add(ImageColumn.INDEX);
    for (Field f : fields) {
      if (f.from == From.KEPT && !read.contains(f.kept)) {
        read.add(f.kept);
      }
      boolean rest = f.from == From.ORIGINAL || f.from == From.SPARK_IMAGE;
      if (rest && column != null && column.rest() != null
          && !read.contains(ImageColumn.IMAGE_REST)) {
        read.add(ImageColumn.IMAGE_REST);
      }
    }
    this.keptRead = manifest.shards.isEmpty() || manifest.shards.get(0).keptFile == null
        || read.size() == 1 ? new String[0] : read.toArray(new String[0]);
    List<String> at = Arrays.asList(keptRead);
    this.keptAt = new int[fields.length];
    for (int f = 0; f < fields.length; f++) {
      keptAt[f] = fields[f].from == From.KEPT ? at.indexOf(fields[f].kept) : -1;
    }
    this.restAt = at.indexOf(ImageColumn.IMAGE_REST);
  }

  /** The image column of an archive made from a table, or null. */
  public static ImageColumn column(Manifest m) {
    return m.table == null ? null : ImageColumn.of(
        (StructType) DataType.fromJson(m.table.schema), m.table.imageColumn);
  }

  private boolean needsImages() {
    for (Field f : fields) {
      if (f.from != From.INDEX && f.from != From.KEPT) {
        return true;
      }
    }
    return false;
  }

  /** The rows of {@code shards} (of this archive, in order), one partition each. */
  public JavaRDD<Row> rows(JavaSparkContext sc, List<ShardEntry> shards) {
    JavaRDD<ShardEntry> entries = sc.parallelize(shards, Math.max(1, shards.size()));
    if (keptRead.length == 0 || shards.isEmpty()) {
      return entries.flatMap(s -> shardRows(s, null));
    }
    SparkSession spark = Tables.session(sc);
    StructType keptSchema = column.keptSchema();
    Column[] cols = Arrays.stream(keptRead).map(n -> col("`" + n.replace("`", "``") + "`"))
        .toArray(Column[]::new);
    List<JavaRDD<Row>> kept = new ArrayList<>();
    for (ShardEntry s : shards) {
      kept.add(spark.read().schema(keptSchema).parquet(folder + "/" + s.keptFile)
          .select(cols).javaRDD().coalesce(1));
    }
    JavaRDD<Row> keptRows = sc.union(kept.toArray(new JavaRDD[0]));
    return entries.zipPartitions(keptRows, (e, k) -> {
      List<Row> out = new ArrayList<>();
      while (e.hasNext()) {
        shardRows(e.next(), k).forEachRemaining(out::add);
      }
      return out.iterator();
    });
  }

  /** The rows of shard {@code s}, its kept rows (in any order) from {@code kept}. */
  Iterator<Row> shardRows(ShardEntry s, Iterator<Row> kept) throws IOException {
    Row[] keptRows = null;
    if (kept != null) {
      Archive.checkKept(folder, s, reader.conf());
      List<Row> list = new ArrayList<>();
      kept.forEachRemaining(list::add);
      list.sort(Comparator.comparingLong(r -> r.getLong(0)));
      if (list.size() != s.images || (!list.isEmpty() && (list.get(0).getLong(0) != s.firstImage
          || list.get(list.size() - 1).getLong(0) != s.firstImage + s.images - 1))) {
        throw new io.bbans.codec.ans.CorruptStreamException(s.keptFile + ": holds "
            + list.size() + " rows, not rows " + s.firstImage + ".."
            + (s.firstImage + s.images - 1) + " of shard " + s.index);
      }
      for (int i = 1; i < list.size(); i++) {
        if (list.get(i).getLong(0) == list.get(i - 1).getLong(0)) {
          throw new io.bbans.codec.ans.CorruptStreamException(s.keptFile + ": row "
              + list.get(i).getLong(0) + " twice");
        }
      }
      keptRows = list.toArray(new Row[0]);
    }
    boolean decode = needsImages();
    ImageSet images = decode ? reader.read(s) : null;
    String[] names = decode ? reader.names(s) : null;
    byte[][] alpha = decode ? reader.alpha(s, images) : null;
    List<Row> out = new ArrayList<>(s.images);
    for (int i = 0; i < s.images; i++) {
      Object[] values = new Object[fields.length];
      Row k = keptRows == null ? null : keptRows[i];
      Row rest = k == null || restAt < 0 ? null : k.getStruct(restAt);
      byte[] a = alpha == null ? null : alpha[i];
      for (int f = 0; f < fields.length; f++) {
        switch (fields[f].from) {
          case INDEX:
            values[f] = s.firstImage + i;
            break;
          case KEPT:
            values[f] = k.get(keptAt[f]);
            break;
          case PNG:
            values[f] = png(images, i, a);
            break;
          case SPARK_IMAGE:
            values[f] = sparkImage(images, i, a, origin(rest, names, i));
            break;
          default:
            values[f] = original(images, i, a, rest, names);
        }
      }
      out.add(RowFactory.create(values));
    }
    return out.iterator();
  }

  /** Image i (with its alpha {@code a}, or null) as PNG bytes. */
  private byte[] png(ImageSet images, int i, byte[] a) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(DecompressJob.toImage(images, i, reader.bitDepth(), a), "png", bytes);
    return bytes.toByteArray();
  }

  /**
   * Image i in Spark's image schema: grayscale one channel (OpenCV's CV_8UC1), colour three in
   * B, G, R order (CV_8UC3), colour with alpha four, B, G, R, A (CV_8UC4). The schema has no
   * grey with alpha: such an image is refused by name (its PNG bytes hold it).
   */
  private static Row sparkImage(ImageSet images, int i, byte[] a, String origin) {
    byte[] pixels = Arrays.copyOfRange(images.pixels(), (int) images.offset(i),
        (int) images.offset(i + 1));
    if (images.channels() == 1) {
      if (a != null) {
        throw new IllegalArgumentException("image " + origin + " is grey with alpha, which"
            + " Spark's image schema cannot hold; read it as PNG bytes (the png column)");
      }
      return RowFactory.create(origin, images.rows(i), images.cols(i), 1, 0, pixels);
    }
    int n = a == null ? 3 : 4;
    byte[] bgr = new byte[pixels.length / 3 * n];
    for (int p = 0, q = 0; p < pixels.length; p += 3, q += n) {
      bgr[q] = pixels[p + 2];
      bgr[q + 1] = pixels[p + 1];
      bgr[q + 2] = pixels[p];
      if (a != null) {
        bgr[q + 3] = a[p / 3];
      }
    }
    return RowFactory.create(origin, images.rows(i), images.cols(i), n, n == 3 ? 16 : 24, bgr);
  }

  /** What Spark's image schema calls the image's origin: its path or name where kept. */
  private static String origin(Row rest, String[] names, int i) {
    if (rest != null) {
      for (String f : new String[] {"path", "origin"}) {
        int at = Arrays.asList(rest.schema() == null ? new String[0]
            : rest.schema().fieldNames()).indexOf(f);
        if (at >= 0 && !rest.isNullAt(at) && rest.get(at) instanceof String) {
          return rest.getString(at);
        }
      }
    }
    return names != null ? names[i] : "";
  }

  /** The image column's value as the table held it. */
  private Object original(ImageSet images, int i, byte[] a, Row rest, String[] names)
      throws IOException {
    if (column == null || column.kind == ImageColumn.Kind.PNG_BINARY) {
      return png(images, i, a);
    }
    if (column.kind == ImageColumn.Kind.SPARK_IMAGE) {
      return sparkImage(images, i, a, rest == null ? "" : rest.getString(0));
    }
    StructType type = (StructType) column.schema.fields()[column.position].dataType();
    StructType restType = column.rest();
    Object[] v = new Object[type.fields().length];
    for (int f = 0; f < v.length; f++) {
      StructField field = type.fields()[f];
      v[f] = field.name().equals("bytes") ? png(images, i, a)
          : rest.get(restType.fieldIndex(field.name()));
    }
    return RowFactory.create(v);
  }
}
