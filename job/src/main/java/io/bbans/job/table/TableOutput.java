package io.bbans.job.table;

import io.bbans.job.archive.Archive;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.OutputCommitter;
import io.bbans.job.decompress.DecodedPart;
import io.bbans.job.spark.ShardReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.types.StructField;

/**
 * {@code decompress --format parquet}: the table an archive was made from, written back as
 * Parquet with the same schema and the same rows in the same order, one file per shard
 * ({@code part-00000.parquet}, ...), each image's pixels those it went in with (the PNG bytes
 * are this build's encoding of them, not necessarily the input's bytes).
 */
public final class TableOutput {
  private TableOutput() {}

  /** Writes the table into the committer's staging area and commits its files. */
  public static List<DecodedPart> write(JavaSparkContext sc, Archive archive, ShardReader reader,
      OutputCommitter committer) throws IOException {
    Manifest m = archive.manifest();
    ImageColumn column = ArchiveRows.column(m);
    List<ArchiveRows.Field> fields = new ArrayList<>();
    for (StructField f : column.schema.fields()) {
      fields.add(f.name().equals(column.name) ? new ArchiveRows.Field(ArchiveRows.From.ORIGINAL,
          null) : new ArchiveRows.Field(ArchiveRows.From.KEPT, f.name()));
    }
    ArchiveRows rows = new ArchiveRows(reader, m, archive.folder(),
        fields.toArray(new ArchiveRows.Field[0]));
    String written = committer.staging() + "/table";
    Tables.session(sc).createDataFrame(rows.rows(sc, m.shards), column.schema)
        .write().parquet(written);
    FileSystem fs = new Path(written).getFileSystem(sc.hadoopConfiguration());
    List<DecodedPart> parts = new ArrayList<>();
    for (int i = 0; i < m.shards.size(); i++) {
      FileStatus[] files = fs.globStatus(new Path(written,
          String.format(Locale.ROOT, "part-%05d-*.parquet", i)));
      if (files == null || files.length != 1) {
        throw new IllegalStateException("shard " + i + "'s rows came out as "
            + (files == null ? 0 : files.length) + " Parquet files, not one");
      }
      DecodedPart p = new DecodedPart();
      p.index = i;
      p.images = m.shards.get(i).images;
      p.file = String.format(Locale.ROOT, "part-%05d.parquet", i);
      Path attempt = new Path(committer.staging(), p.file + ".written");
      if (!fs.rename(files[0].getPath(), attempt)) {
        throw new IOException("could not move " + files[0].getPath() + " to " + attempt);
      }
      committer.commit(attempt.toString(), p.file);
      parts.add(p);
    }
    return parts;
  }
}
