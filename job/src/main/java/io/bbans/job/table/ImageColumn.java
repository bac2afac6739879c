package io.bbans.job.table;

import io.bbans.codec.image.ImageFormatException;
import io.bbans.job.compress.ImageSource;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.CalendarIntervalType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Where a table holds its images, and how: a struct with a binary {@code bytes} field (the
 * Hugging Face layout, {@code image {bytes, path}}), a binary column of encoded images, or
 * Spark's own image schema ({@code spark.read.format("image")}). Made on the driver from the
 * table's schema, which it checks once: the column is there and of one of these types, and
 * every other column can be kept (written to Parquet beside the shards and read back equal).
 */
public final class ImageColumn implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How the column holds an image. */
  public enum Kind {
    /** struct with a binary field {@code bytes} (encoded image) and any others kept. */
    PNG_STRUCT("png-struct"),
    /** binary: the encoded image. */
    PNG_BINARY("png-binary"),
    /** Spark's image schema: origin, height, width, nChannels, mode, data. */
    SPARK_IMAGE("spark-image");

    public final String id;

    Kind(String id) {
      this.id = id;
    }

    public static Kind fromId(String id) {
      for (Kind k : values()) {
        if (k.id.equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("image kind '" + id + "' is none of png-struct,"
          + " png-binary, spark-image");
    }
  }

  /** Columns of the kept file that are ours: the row's global index, the image's other fields. */
  public static final String INDEX = "__bbans_index";
  public static final String IMAGE_REST = "__bbans_image";

  /** Spark's image schema (ImageSchema.columnSchema), its field names in order. */
  static final List<String> SPARK_IMAGE_FIELDS =
      List.of("origin", "height", "width", "nChannels", "mode", "data");

  public final String name;
  public final Kind kind;
  /** The table's whole schema as it came in, to give back the same schema. */
  public final StructType schema;
  /** Position of the image column in the schema. */
  public final int position;

  /** The image struct's fields kept with the other columns ({@link #rest()}), or null. */
  private final StructType rest;

  private ImageColumn(String name, Kind kind, StructType schema, int position) {
    this.name = name;
    this.kind = kind;
    this.schema = schema;
    this.position = position;
    this.rest = restOf(kind, (StructType) (kind == Kind.PNG_BINARY ? null
        : schema.fields()[position].dataType()));
  }

  /** The image column {@code name} of {@code schema}, checked, with every other column. */
  public static ImageColumn of(StructType schema, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("--image-column is needed for a table: one of "
          + Arrays.toString(schema.fieldNames()));
    }
    int at = Arrays.asList(schema.fieldNames()).indexOf(name);
    if (at < 0) {
      throw new IllegalArgumentException("the table has no column '" + name + "'; its columns: "
          + String.join(", ", schema.fieldNames()));
    }
    DataType type = schema.fields()[at].dataType();
    Kind kind;
    if (type instanceof BinaryType) {
      kind = Kind.PNG_BINARY;
    } else if (type instanceof StructType && isSparkImage((StructType) type)) {
      kind = Kind.SPARK_IMAGE;
    } else if (type instanceof StructType
        && Arrays.asList(((StructType) type).fieldNames()).contains("bytes")
        && ((StructType) type).apply("bytes").dataType() instanceof BinaryType) {
      kind = Kind.PNG_STRUCT;
    } else {
      throw new IllegalArgumentException("column '" + name + "' is " + type.simpleString()
          + "; an image column is binary (an encoded image), a struct with a binary 'bytes'"
          + " field (the Hugging Face layout), or Spark's image schema");
    }
    for (StructField f : schema.fields()) {
      if (f.name().equals(INDEX) || f.name().equals(IMAGE_REST)) {
        throw new IllegalArgumentException("the table has a column named '" + f.name()
            + "', which the archive's kept columns use itself: rename it first");
      }
      if (!f.name().equals(name)) {
        String why = unkeepable(f.dataType());
        if (why != null) {
          throw new IllegalArgumentException("column '" + f.name() + "' is "
              + f.dataType().simpleString() + ", which cannot be kept (" + why + ")");
        }
      }
    }
    return new ImageColumn(name, kind, schema, at);
  }

  private static boolean isSparkImage(StructType t) {
    return Arrays.asList(t.fieldNames()).equals(SPARK_IMAGE_FIELDS);
  }

  /** Why Parquet cannot hold {@code t} and give it back equal, or null if it can. */
  private static String unkeepable(DataType t) {
    if (t instanceof CalendarIntervalType) {
      return "Parquet has no calendar intervals";
    }
    if (t instanceof NullType) {
      return "a column of nulls only, with no type: cast it to a type first";
    }
    if (t instanceof UserDefinedType) {
      return "a user-defined type";
    }
    if (t instanceof ArrayType) {
      return unkeepable(((ArrayType) t).elementType());
    }
    if (t instanceof MapType) {
      String k = unkeepable(((MapType) t).keyType());
      return k != null ? k : unkeepable(((MapType) t).valueType());
    }
    if (t instanceof StructType) {
      for (StructField f : ((StructType) t).fields()) {
        String why = unkeepable(f.dataType());
        if (why != null) {
          return why;
        }
      }
    }
    return null;
  }

  /**
   * The image struct's fields that are not the image itself, kept with the other columns: all
   * but {@code bytes} (such as the Hugging Face {@code path}); for Spark's image schema, its
   * {@code origin}. Null when there are none.
   */
  public StructType rest() {
    return rest;
  }

  /** Whether the table has anything besides the images' bytes to keep. */
  public boolean keepsColumns() {
    return !others().isEmpty() || rest != null;
  }

  private static StructType restOf(Kind kind, StructType image) {
    if (kind == Kind.PNG_BINARY) {
      return null;
    }
    List<StructField> rest = new ArrayList<>();
    for (StructField f : image.fields()) {
      if (kind == Kind.PNG_STRUCT ? !f.name().equals("bytes") : f.name().equals("origin")) {
        rest.add(f);
      }
    }
    return rest.isEmpty() ? null : DataTypes.createStructType(rest);
  }

  /** The table's columns other than the image, in order. */
  public List<StructField> others() {
    List<StructField> out = new ArrayList<>();
    for (int i = 0; i < schema.fields().length; i++) {
      if (i != position) {
        out.add(schema.fields()[i]);
      }
    }
    return out;
  }

  /**
   * The schema of the kept file beside each shard: the row's global index, every other column
   * as it is, and the image struct's other fields (such as {@code path}) where it has some.
   */
  public StructType keptSchema() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField(INDEX, DataTypes.LongType, false));
    f.addAll(others());
    if (rest != null) {
      StructField image = schema.fields()[position];
      f.add(DataTypes.createStructField(IMAGE_REST, rest, image.nullable()));
    }
    return DataTypes.createStructType(f);
  }

  /** The image of {@code row} (a row of the table, the image at {@code at}) as a cell. */
  ImageCell cell(Row row, int at, String file, long rowInFile) {
    ImageCell c = new ImageCell();
    c.file = file;
    c.row = rowInFile;
    if (row.isNullAt(at)) {
      return c;
    }
    switch (kind) {
      case PNG_BINARY:
        c.bytes = (byte[]) row.get(at);
        break;
      case PNG_STRUCT: {
        Row s = row.getStruct(at);
        int b = s.fieldIndex("bytes");
        c.bytes = s.isNullAt(b) ? null : (byte[]) s.get(b);
        break;
      }
      default: {
        Row s = row.getStruct(at);
        for (int i = 1; i <= 5; i++) {
          if (s.isNullAt(i)) {
            return c;
          }
        }
        c.height = s.getInt(1);
        c.width = s.getInt(2);
        c.channels = s.getInt(3);
        c.mode = s.getInt(4);
        c.bytes = (byte[]) s.get(5);
      }
    }
    return c;
  }

  /**
   * The pixels of {@code c}, with its height, width and bit depth in {@code shape}: an encoded
   * image taken as compress takes a PNG file (by its content; refused in one line, naming the
   * file and row, where it cannot come back exactly); Spark's image schema, one 8-bit channel.
   */
  public byte[] pixels(ImageCell c, int[] shape) throws java.io.IOException {
    if (c.bytes == null) {
      throw new ImageFormatException(c.where() + ": column '" + name + "' holds no image"
          + " (null); every row needs one");
    }
    if (kind != Kind.SPARK_IMAGE) {
      return ImageSource.decodeGrayPng(c.bytes, c.where() + " (column '" + name + "')", shape);
    }
    // OpenCV's CV_8UC1 is mode 0: 8-bit samples, one channel.
    if (c.channels != 1 || c.mode != 0) {
      throw new ImageFormatException(c.where() + ": an image of " + c.channels + " channels"
          + " (OpenCV mode " + c.mode + "); only one 8-bit channel (grayscale) codes here");
    }
    if (c.height < 1 || c.width < 1 || c.height > io.bbans.codec.image.Idx.MAX_SIDE
        || c.width > io.bbans.codec.image.Idx.MAX_SIDE
        || (long) c.height * c.width != c.bytes.length) {
      throw new ImageFormatException(c.where() + ": " + c.height + "x" + c.width + " with "
          + c.bytes.length + " bytes of data: not a whole grayscale image");
    }
    shape[0] = c.height;
    shape[1] = c.width;
    shape[2] = 8;
    return c.bytes;
  }
}
