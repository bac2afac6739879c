package io.bbans.job.table;

import io.bbans.codec.model.VaeModel;
import io.bbans.job.archive.Archive;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.ShardEntry;
import io.bbans.job.spark.ModelBroadcast;
import io.bbans.job.spark.ShardReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.PrunedFilteredScan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * An archive as a relation: {@code index} (the row's global number; {@code __bbans_index}
 * where the table has a column {@code index} of its own), the image (Spark's image
 * schema, or PNG bytes), and every column kept from the table it was made from. Each shard is
 * one partition, decoded in the task that reads it; only the columns asked for are produced
 * (no image asked for: no shard is decoded), and filters on {@code index} leave out the
 * shards that hold none of the rows they let through.
 */
final class ArchiveRelation extends BaseRelation implements PrunedFilteredScan {
  static final String INDEX = "index";

  /** The row number's column: {@code index}, or where the table has its own, __bbans_index. */
  private final String index;

  private final SQLContext ctx;
  private final Archive archive;
  /** How the image column is given: spark, png or original. */
  private final String image;
  private final String model;
  private final String imageName;
  private final StructType schema;

  ArchiveRelation(SQLContext ctx, Archive archive, String image, String model) {
    this.ctx = ctx;
    this.archive = archive;
    this.image = image;
    this.model = model;
    Manifest m = archive.manifest();
    ImageColumn column = ArchiveRows.column(m);
    this.imageName = column == null ? "image" : column.name;
    boolean taken = column != null && column.others().stream()
        .anyMatch(f -> f.name().equals(INDEX));
    this.index = taken ? ImageColumn.INDEX : INDEX;
    org.apache.spark.sql.types.DataType type = image.equals("png") ? DataTypes.BinaryType
        : image.equals("spark") ? ArchiveRows.SPARK_IMAGE : column == null
        ? DataTypes.BinaryType : column.schema.fields()[column.position].dataType();
    StructType s = new StructType().add(index, DataTypes.LongType, false)
        .add(imageName, type, false);
    if (column != null) {
      for (StructField f : column.others()) {
        s = s.add(f);
      }
    }
    this.schema = s;
  }

  @Override
  public SQLContext sqlContext() {
    return ctx;
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public long sizeInBytes() {
    Manifest m = archive.manifest();
    return m.originalBytes() + m.keptBytes();
  }

  @Override
  public RDD<Row> buildScan(String[] columns, Filter[] filters) {
    long[] range = indexRange(filters, index, archive.manifest().images());
    List<ShardEntry> shards = new ArrayList<>();
    for (ShardEntry s : archive.manifest().shards) {
      if (s.images > 0 && s.firstImage <= range[1]
          && s.firstImage + s.images - 1 >= range[0]) {
        shards.add(s);
      }
    }
    ArchiveRows.Field[] fields = new ArchiveRows.Field[columns.length];
    for (int i = 0; i < columns.length; i++) {
      fields[i] = columns[i].equals(index) ? new ArchiveRows.Field(ArchiveRows.From.INDEX, null)
          : columns[i].equals(imageName) ? new ArchiveRows.Field(image.equals("png")
          ? ArchiveRows.From.PNG : image.equals("spark") ? ArchiveRows.From.SPARK_IMAGE
          : ArchiveRows.From.ORIGINAL, null)
          : new ArchiveRows.Field(ArchiveRows.From.KEPT, columns[i]);
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(ctx.sparkContext());
    try {
      VaeModel vae = archive.model(model);
      Broadcast<byte[]> bytes = ModelBroadcast.send(sc, vae);
      ShardReader reader = new ShardReader(archive, bytes, sc.hadoopConfiguration());
      return new ArchiveRows(reader, archive.manifest(), archive.folder(), fields)
          .rows(sc, shards).rdd();
    } catch (IOException e) {
      throw new UncheckedIOException(archive.folder() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The smallest range [from, to] of indices that the filters (all of which must hold) let
   * through, from those on {@code index} Spark hands down; Spark applies every filter again.
   */
  static long[] indexRange(Filter[] filters, String index, long images) {
    long from = 0;
    long to = images - 1;
    for (Filter f : filters) {
      if (f instanceof EqualTo && index.equals(((EqualTo) f).attribute())
          && whole(((EqualTo) f).value())) {
        long v = ((Number) ((EqualTo) f).value()).longValue();
        from = Math.max(from, v);
        to = Math.min(to, v);
      } else if (f instanceof GreaterThan && index.equals(((GreaterThan) f).attribute())) {
        from = Math.max(from, number(((GreaterThan) f).value(), from - 1) + 1);
      } else if (f instanceof GreaterThanOrEqual
          && index.equals(((GreaterThanOrEqual) f).attribute())) {
        from = Math.max(from, number(((GreaterThanOrEqual) f).value(), from));
      } else if (f instanceof LessThan && index.equals(((LessThan) f).attribute())) {
        to = Math.min(to, number(((LessThan) f).value(), to + 1) - 1);
      } else if (f instanceof LessThanOrEqual
          && index.equals(((LessThanOrEqual) f).attribute())) {
        to = Math.min(to, number(((LessThanOrEqual) f).value(), to));
      } else if (f instanceof In && index.equals(((In) f).attribute())
          && java.util.Arrays.stream(((In) f).values()).allMatch(ArchiveRelation::whole)) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (Object v : ((In) f).values()) {
          if (v instanceof Number) {
            lo = Math.min(lo, ((Number) v).longValue());
            hi = Math.max(hi, ((Number) v).longValue());
          }
        }
        from = Math.max(from, lo);
        to = Math.min(to, hi);
      }
    }
    return new long[] {from, to};
  }

  /** Whether a filter's value is a whole number (else the filter narrows nothing here). */
  private static boolean whole(Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
  }

  /** A filter's value as a whole index; {@code otherwise} (no narrowing) for other values. */
  private static long number(Object v, long otherwise) {
    return whole(v) ? ((Number) v).longValue() : otherwise;
  }
}
