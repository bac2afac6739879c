package io.bbans.job.archive;

import java.io.Serializable;

/**
 * What an archive made from a table records of it, to give the table back: the format it was
 * read in, the image column and how it held its images, and the whole schema as Spark writes
 * it in JSON. The rows' other columns are in each shard's kept file ({@link ShardEntry}).
 */
public final class TableInfo implements Serializable {
  private static final long serialVersionUID = 1L;
  public String format;
  public String imageColumn;
  /** {@code png-struct}, {@code png-binary} or {@code spark-image} (table.ImageColumn.Kind). */
  public String imageKind;
  /** The table's schema, {@code StructType.json()}. */
  public String schema;
  /**
   * The table's files in the order their rows take (by name; a DataFrame's partitions), each
   * with its row count: row i of the archive is row i - (rows before it) of its file.
   */
  public java.util.LinkedHashMap<String, Long> files = new java.util.LinkedHashMap<>();
  /** Whether the schema has columns besides the images' bytes (derived, not written). */
  public boolean keepsColumns;
}
