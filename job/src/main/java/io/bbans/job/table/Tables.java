package io.bbans.job.table;

import io.bbans.codec.image.ImageFormatException;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.util.Sha256;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.OutputCommitter;
import io.bbans.job.archive.ShardEntry;
import io.bbans.job.archive.TableInfo;
import io.bbans.job.compress.ShardCommit;
import io.bbans.job.compress.ShardSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/** What the compress job does with a table besides coding its images. */
public final class Tables {
  private Tables() {}

  /** The Spark SQL session of the job's context. */
  public static SparkSession session(JavaSparkContext sc) {
    return SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
  }

  /** A shard's images, decoded from its cells, and the bit depth they share. */
  public static final class Decoded {
    public ImageSet images;
    public int bitDepth;
  }

  /**
   * Decodes the cells of shard {@code spec} (its partition, in index order), checking that
   * they are exactly its rows and share one bit depth; each image refused in one line naming
   * its file and row where it cannot come back exactly.
   */
  public static Decoded decode(ShardSpec spec, ImageColumn column,
      Iterator<Tuple2<Long, ImageCell>> cells) throws IOException {
    int[] heights = new int[spec.count];
    int[] widths = new int[spec.count];
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    int[] shape = new int[4];
    int depth = -1;
    String first = null;
    int k = 0;
    while (cells.hasNext()) {
      Tuple2<Long, ImageCell> t = cells.next();
      if (k >= spec.count || t._1() != spec.first + k) {
        throw new IllegalStateException("shard " + spec.index + " got row " + t._1() + " where"
            + " row " + (spec.first + k) + " belongs: the table's rows changed between reads");
      }
      ImageCell c = t._2();
      pixels.write(column.pixels(c, shape));
      if (depth >= 0 && shape[2] != depth) {
        throw new ImageFormatException(c.where() + ": a " + shape[2] + "-bit image, but "
            + first + " is " + depth + "-bit; an archive holds one bit depth: convert them to"
            + " one, or compress them apart");
      }
      depth = shape[2];
      first = first == null ? c.where() : first;
      heights[k] = shape[0];
      widths[k++] = shape[1];
    }
    if (k != spec.count) {
      throw new IllegalStateException("shard " + spec.index + " got " + k + " rows of "
          + spec.count + ": the table's rows changed between reads");
    }
    Decoded d = new Decoded();
    d.images = ImageSet.mixed(heights, widths, pixels.toByteArray());
    d.bitDepth = depth;
    return d;
  }

  /**
   * The archive's shape from its shards': one size if every image has it, else mixed; one bit
   * depth, else refused (before anything is committed).
   */
  public static void shape(Manifest m, List<ShardCommit> commits) {
    ShardCommit first = commits.get(0);
    m.rows = first.rows;
    m.cols = first.cols;
    m.bitDepth = first.bitDepth;
    for (ShardCommit c : commits) {
      if (c.rows != m.rows || c.cols != m.cols) {
        m.rows = 0;
        m.cols = 0;
      }
      if (c.bitDepth != m.bitDepth) {
        throw new IllegalArgumentException("the table's images are " + m.bitDepth + "-bit in "
            + "shard 0 and " + c.bitDepth + "-bit in shard " + c.entry.index + "; an archive"
            + " holds one bit depth: convert them to one, or compress them apart");
      }
    }
  }

  public static TableInfo info(TableInput t) {
    TableInfo info = new TableInfo();
    info.format = t.format;
    info.imageColumn = t.column.name;
    info.imageKind = t.column.kind.id;
    info.schema = t.column.schema.json();
    info.files = t.files();
    info.keepsColumns = t.column.keepsColumns();
    return info;
  }

  /** Commits shard e's kept file, written by Spark at {@code written}, with its size and hash. */
  public static void commitKept(OutputCommitter committer, String written, ShardEntry e,
      Configuration conf) throws IOException {
    Path from = new Path(written);
    FileSystem fs = from.getFileSystem(conf);
    byte[] bytes;
    try (FSDataInputStream in = fs.open(from)) {
      bytes = in.readAllBytes();
    }
    e.keptFile = ShardEntry.keptFileName(e.index);
    e.keptBytes = bytes.length;
    e.keptSha256 = Sha256.hex(bytes, bytes.length);
    Path attempt = new Path(committer.staging(), e.keptFile + ".written");
    if (!fs.rename(from, attempt)) {
      throw new IOException("could not move " + from + " to " + attempt);
    }
    committer.commit(attempt.toString(), e.keptFile);
  }
}
