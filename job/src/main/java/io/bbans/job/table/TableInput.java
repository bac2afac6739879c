package io.bbans.job.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import io.bbans.codec.image.ImageSet;
import io.bbans.job.compress.ShardSpec;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * A table of images (Parquet, ORC, JSON, or any format Spark reads; or a DataFrame given in
 * code), with the global order of its rows defined and recorded: the files by name, then the
 * rows of each file in file order (a DataFrame given in code: its partitions in order, then
 * the rows of each). Spark packs the files of a scan into partitions by size, not by name, so
 * the order is not Spark's: each file is read whole by one task (never split, never two in one
 * partition), each row gets its position from the task's row counter, and a first pass that
 * reads no image counts each file's rows and checks that every file came whole and alone.
 */
public final class TableInput {
  static final String FILE = "__bbans_file";
  static final String ID = "__bbans_id";
  static final String SHARD = "__bbans_shard";
  /** Each task's row counter: the low 33 bits of monotonically_increasing_id. */
  static final long ROW_MASK = (1L << 33) - 1;

  /**
   * Whether {@code input} is Parquet: a file ending in {@code .parquet}, or a folder where a
   * Parquet file comes before any PNG file among its first files, sub-folders included (a
   * table partitioned by a column, {@code label=3/part-....parquet}, too). Names that Spark
   * skips (starting with _ or .) do not count.
   */
  public static boolean isParquet(String input, org.apache.hadoop.conf.Configuration conf)
      throws IOException {
    Path p = new Path(input);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      return false;
    }
    if (!fs.getFileStatus(p).isDirectory()) {
      return p.getName().endsWith(".parquet");
    }
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files =
        fs.listFiles(p, true);
    for (int seen = 0; seen < 1000 && files.hasNext(); seen++) {
      Path f = files.next().getPath();
      String name = f.getName();
      if (name.startsWith("_") || name.startsWith(".")
          || f.toString().contains("/_") || f.toString().contains("/.")) {
        continue;
      }
      if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
        return false;
      }
      if (name.endsWith(".parquet")) {
        return true;
      }
    }
    return false;
  }

  /** Session settings that make each file one partition, whole; restored by {@link #close}. */
  private static final String[][] WHOLE_FILES = {
      {"spark.sql.files.maxPartitionBytes", String.valueOf(1L << 61)},
      {"spark.sql.files.openCostInBytes", String.valueOf(1L << 61)},
      {"spark.sql.files.maxPartitionNum", null},
      {"spark.sql.files.ignoreCorruptFiles", "false"},
      {"spark.sql.files.ignoreMissingFiles", "false"},
  };

  private final SparkSession spark;
  private final Map<String, String> saved = new HashMap<>();
  public final ImageColumn column;
  public final String description;
  public final String format;
  private final Dataset<Row> positioned;
  private final Positions positions;
  /** The DataFrame given in code, persisted while the job reads it; null for a path. */
  private Dataset<Row> cached;

  private TableInput(SparkSession spark, Dataset<Row> table, Column file, ImageColumn column,
      String description, String format) {
    this.spark = spark;
    this.column = column;
    this.description = description;
    this.format = format;
    this.positioned = table.withColumn(FILE, file)
        .withColumn(ID, monotonically_increasing_id());
    this.positions = countRows();
  }

  /**
   * Opens the table at {@code path} in {@code format} (parquet, orc, json, ...) with
   * {@code imageColumn} its images, counting its rows. The session's file-splitting settings
   * stay changed until {@link #close}.
   */
  public static TableInput read(SparkSession spark, String format, String path,
      String imageColumn) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(p)) {
      throw new IllegalArgumentException(path + ": no such file or folder");
    }
    TableInput t = null;
    Map<String, String> saved = wholeFiles(spark);
    try {
      Dataset<Row> df;
      try {
        df = spark.read().format(format).load(path);
      } catch (RuntimeException e) {
        // Spark's AnalysisException (unknown format, no schema, no files) is unchecked.
        throw new IllegalArgumentException(path + ": not readable as " + format + " ("
            + firstLine(e) + ")", e);
      }
      ImageColumn column = ImageColumn.of(df.schema(), imageColumn);
      t = new TableInput(spark, df, col("_metadata.file_path"), column,
          path + " (" + format + ", column " + imageColumn + ")", format);
      t.saved.putAll(saved);
      t.root = fs.makeQualified(p).toUri().getPath().replaceAll("/+$", "");
      return t;
    } finally {
      if (t == null) {
        restore(spark, saved);
      }
    }
  }

  /**
   * A DataFrame given in code, its rows in the order of its partitions. It is read twice (its
   * images, then its other columns), so it is persisted first: a DataFrame whose rows change
   * between two reads would otherwise put one row's image beside another's columns.
   */
  public static TableInput of(Dataset<Row> table, String imageColumn) {
    ImageColumn column = ImageColumn.of(table.schema(), imageColumn);
    Dataset<Row> cached = table.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    TableInput t = new TableInput(table.sparkSession(), cached,
        functions.format_string("partition %010d", functions.spark_partition_id()), column,
        "a DataFrame (column " + imageColumn + ")", "dataframe");
    t.cached = cached;
    return t;
  }

  private static Map<String, String> wholeFiles(SparkSession spark) {
    Map<String, String> saved = new HashMap<>();
    for (String[] kv : WHOLE_FILES) {
      saved.put(kv[0], spark.conf().getOption(kv[0]).getOrElse(() -> null));
      if (kv[1] == null) {
        spark.conf().unset(kv[0]);
      } else {
        spark.conf().set(kv[0], kv[1]);
      }
    }
    return saved;
  }

  private static void restore(SparkSession spark, Map<String, String> saved) {
    for (Map.Entry<String, String> e : saved.entrySet()) {
      if (e.getValue() == null) {
        spark.conf().unset(e.getKey());
      } else {
        spark.conf().set(e.getKey(), e.getValue());
      }
    }
  }

  /** Gives the session its own settings back, and a DataFrame given in code its memory. */
  public void close() {
    restore(spark, saved);
    if (cached != null) {
      cached.unpersist();
    }
  }

  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m);
  }

  private int sampleDepth = 8;

  /** The bit depth of the last image {@link #sample} read. */
  public int sampleBitDepth() {
    return sampleDepth;
  }

  /** Each file of the table (or partition of a DataFrame) in order, with its rows. */
  private final java.util.LinkedHashMap<String, Long> files = new java.util.LinkedHashMap<>();
  /** The input path, qualified: what the files' names are given relative to; or null. */
  private String root;

  /**
   * The files in the order their rows take, each with its row count: the order the archive
   * records. Names relative to the input folder where they lie under it.
   */
  public java.util.LinkedHashMap<String, Long> files() {
    java.util.LinkedHashMap<String, Long> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Long> e : files.entrySet()) {
      String name = e.getKey();
      if (root != null) {
        try {
          name = new java.net.URI(name).getPath();
        } catch (java.net.URISyntaxException notAUri) {
          // kept as Spark gave it
        }
      }
      if (root != null && name.startsWith(root + "/")) {
        name = name.substring(root.length() + 1);
      } else if (root != null && name.equals(root)) {
        name = new Path(name).getName();
      }
      out.put(name, e.getValue());
    }
    return out;
  }

  /** Rows of the table. */
  public long count() {
    return positions.total;
  }

  /** Where each file's rows start in the global order, from one pass that reads no image. */
  private Positions countRows() {
    List<Row> counted = positioned.select(col(FILE), col(ID))
        .groupBy(col(FILE))
        .agg(functions.count(functions.lit(1)), functions.min(col(ID)), functions.max(col(ID)))
        .collectAsList();
    TreeMap<String, long[]> sorted = new TreeMap<>();
    for (Row r : counted) {
      String file = r.isNullAt(0) ? "" : r.getString(0);
      long n = r.getLong(1);
      long min = r.getLong(2);
      long max = r.getLong(3);
      // One task read the file, alone and whole: one partition, rows counted from 0 up.
      if (min >>> 33 != max >>> 33 || max - min + 1 != n) {
        throw new IllegalStateException(file + " was not read by one task in one piece;"
            + " its rows' order cannot be fixed");
      }
      sorted.put(file, new long[] {n, min});
    }
    Positions p = new Positions();
    long next = 0;
    for (Map.Entry<String, long[]> e : sorted.entrySet()) {
      p.first.put(e.getKey(), new long[] {next, e.getValue()[1]});
      files.put(e.getKey(), e.getValue()[0]);
      next += e.getValue()[0];
    }
    p.total = next;
    return p;
  }

  /** Each file's first global index and its first row's task id, for the rows' indices. */
  static final class Positions implements Serializable {
    private static final long serialVersionUID = 1L;
    final Map<String, long[]> first = new HashMap<>();
    long total;

    long index(String file, long id) {
      long[] f = first.get(file == null ? "" : file);
      return f[0] + (id - f[1]);
    }

    long row(String file, long id) {
      return id - first.get(file == null ? "" : file)[1];
    }
  }

  /**
   * Up to {@code n} images from the start of the table, as the shards would hold them, for
   * choosing the model and the gzip comparison.
   */
  public ImageSet sample(int n) throws IOException {
    List<Row> rows = positioned.select(col(FILE), col(ID), col(column.name)).limit(n)
        .collectAsList();
    List<byte[]> pixels = new ArrayList<>();
    int[] heights = new int[rows.size()];
    int[] widths = new int[rows.size()];
    int[] shape = new int[4];
    int i = 0;
    for (Row r : rows) {
      ImageCell c = column.cell(r, 2, r.getString(0), positions.row(r.getString(0), r.getLong(1)));
      pixels.add(column.pixels(c, shape));
      heights[i] = shape[0];
      widths[i++] = shape[1];
    }
    sampleDepth = shape[2];
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (byte[] p : pixels) {
      all.write(p);
    }
    return ImageSet.mixed(heights, widths, all.toByteArray());
  }

  /**
   * The images, one partition per shard of {@code specs}, each in global order: partition i
   * holds the rows [specs[i].first, + count) keyed by their index.
   */
  public JavaPairRDD<Long, ImageCell> images(ShardSpec[] specs) {
    Positions p = positions;
    ImageColumn c = column;
    JavaPairRDD<Long, ImageCell> cells = positioned.select(col(FILE), col(ID), col(column.name))
        .javaRDD().mapToPair(r -> {
          String file = r.getString(0);
          long id = r.getLong(1);
          return new Tuple2<>(p.index(file, id), c.cell(r, 2, file, p.row(file, id)));
        });
    return cells.repartitionAndSortWithinPartitions(new ShardPartitioner(specs));
  }

  /** Sends row index i to the partition of the shard that holds it. */
  static final class ShardPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final long[] starts;

    ShardPartitioner(ShardSpec[] specs) {
      starts = new long[specs.length];
      for (int i = 0; i < specs.length; i++) {
        starts[i] = specs[i].first;
      }
    }

    @Override
    public int numPartitions() {
      return starts.length;
    }

    @Override
    public int getPartition(Object key) {
      return shardOf(starts, (Long) key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ShardPartitioner && Arrays.equals(starts, ((ShardPartitioner) o).starts);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(starts);
    }
  }

  static int shardOf(long[] starts, long index) {
    int at = Arrays.binarySearch(starts, index);
    return at >= 0 ? at : -at - 2;
  }

  /**
   * Writes the kept columns (the row index, every column but the image, the image struct's
   * other fields) as one zstd Parquet file per shard, rows in order, into {@code folder}:
   * {@code folder/__bbans_shard=i/part-*.parquet}. Null when the table has no other column.
   */
  public String[] writeKept(String folder, ShardSpec[] specs) throws IOException {
    StructType rest = column.rest();
    List<StructField> others = column.others();
    if (!column.keepsColumns()) {
      return null;
    }
    Positions p = positions;
    long[] starts = new ShardPartitioner(specs).starts;
    UserDefinedFunction index = functions.udf(
        (UDF2<String, Long, Long>) (f, id) -> p.index(f, id), DataTypes.LongType);
    UserDefinedFunction shard = functions.udf(
        (UDF1<Long, Integer>) i -> shardOf(starts, i), DataTypes.IntegerType);
    List<Column> cols = new ArrayList<>();
    cols.add(index.apply(col(FILE), col(ID)).alias(ImageColumn.INDEX));
    for (StructField f : others) {
      cols.add(col("`" + f.name().replace("`", "``") + "`"));
    }
    if (rest != null) {
      List<Column> fields = new ArrayList<>();
      for (String name : rest.fieldNames()) {
        fields.add(col("`" + column.name.replace("`", "``") + "`").getField(name).alias(name));
      }
      cols.add(functions.struct(fields.toArray(new Column[0])).alias(ImageColumn.IMAGE_REST));
    }
    Dataset<Row> kept = positioned.select(cols.toArray(new Column[0]));
    kept = kept.withColumn(SHARD, shard.apply(col(ImageColumn.INDEX)));
    kept.repartitionByRange(specs.length, col(SHARD))
        .sortWithinPartitions(col(SHARD), col(ImageColumn.INDEX))
        .write().partitionBy(SHARD).option("compression", "zstd").parquet(folder);
    String[] files = new String[specs.length];
    FileSystem fs = new Path(folder).getFileSystem(spark.sparkContext().hadoopConfiguration());
    for (int i = 0; i < specs.length; i++) {
      FileStatus[] parts = fs.globStatus(new Path(folder, SHARD + "=" + i + "/part-*.parquet"));
      if (parts == null || parts.length != 1) {
        throw new IllegalStateException("the kept columns of shard " + i + " came out as "
            + (parts == null ? 0 : parts.length) + " files, not one");
      }
      files[i] = parts[0].getPath().toString();
    }
    return files;
  }
}
