package io.bbans.job.table;

import io.bbans.job.archive.Archive;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.OutputCommitter;
import io.bbans.job.decompress.DecodedPart;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.functions;

/**
 * {@code decompress --format parquet}: the table an archive was made from, written back as
 * Parquet with the same schema and the same rows in the same order, one file per shard
 * ({@code part-00000.parquet}, ...), each image's pixels those it went in with (the PNG bytes
 * are this build's encoding of them, not necessarily the input's bytes).
 */
public final class TableOutput {
  private TableOutput() {}

  /**
   * Writes the table into the committer's staging area and commits its files. The rows come
   * through the {@code bbans} data source itself, the image as the table held it.
   */
  public static List<DecodedPart> write(JavaSparkContext sc, Archive archive, String model,
      OutputCommitter committer) throws IOException {
    Manifest m = archive.manifest();
    ImageColumn column = ArchiveRows.column(m);
    DataFrameReader read = Tables.session(sc).read().format("bbans").option("image", "original");
    if (model != null) {
      read = read.option("model", model);
    }
    Column[] columns = Arrays.stream(column.schema.fieldNames())
        .map(n -> functions.col("`" + n.replace("`", "``") + "`")).toArray(Column[]::new);
    String written = committer.staging() + "/table";
    read.load(archive.folder()).select(columns).write().parquet(written);
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
