package io.bbans.job.table;

import io.bbans.job.archive.Archive;
import io.bbans.job.compress.CompressJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.RelationProvider;
import scala.collection.immutable.Map;

/**
 * The {@code bbans} data source: {@code spark.read.format("bbans").load(archive)} is the
 * archive as a DataFrame where it lies ({@link ArchiveRelation}), and
 * {@code df.write.format("bbans").option("model", ...).save(path)} compresses a DataFrame
 * into an archive, through the compress job itself.
 *
 * <p>Read options: {@code image} = {@code spark} (Spark's image schema, the default),
 * {@code png} (PNG bytes), or {@code original} (the image column as the table held it: the
 * struct with its other fields, or PNG bytes); {@code model}, a model file where the
 * archive's is not bundled.
 * Write options: {@code imageColumn} (default {@code image}), {@code model} (default auto),
 * {@code partitions}, {@code lanes}, {@code seed}, {@code verify}.
 */
public final class BbansSource implements RelationProvider, CreatableRelationProvider,
    DataSourceRegister {
  @Override
  public String shortName() {
    return "bbans";
  }

  @Override
  public BaseRelation createRelation(SQLContext ctx, Map<String, String> parameters) {
    String path = path(parameters);
    try {
      Archive archive = Archive.open(path, ctx.sparkContext().hadoopConfiguration());
      String image = parameters.get("image").getOrElse(() -> "spark");
      if (!image.equals("spark") && !image.equals("png") && !image.equals("original")) {
        throw new IllegalArgumentException("option image is spark, png or original, not '"
            + image + "'");
      }
      return new ArchiveRelation(ctx, archive, image, parameters.get("model")
          .getOrElse(() -> null));
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public BaseRelation createRelation(SQLContext ctx, SaveMode mode,
      Map<String, String> parameters, Dataset<Row> data) {
    String path = path(parameters);
    CompressJob.Options o = new CompressJob.Options();
    o.output = path;
    o.dataFrame = data;
    o.imageColumn = parameters.get("imagecolumn").getOrElse(() -> "image");
    o.model = parameters.get("model").getOrElse(() -> CompressJob.AUTO);
    o.partitions = Integer.parseInt(parameters.get("partitions").getOrElse(() -> "0"));
    o.lanes = Integer.parseInt(parameters.get("lanes").getOrElse(() -> "0"));
    o.seed = Long.parseLong(parameters.get("seed").getOrElse(() -> "1"));
    o.verify = Boolean.parseBoolean(parameters.get("verify").getOrElse(() -> "true"));
    try {
      Path out = new Path(path);
      boolean exists = out.getFileSystem(ctx.sparkContext().hadoopConfiguration()).exists(out);
      switch (mode) {
        case Append:
          throw new IllegalArgumentException("an archive cannot be appended to: write a new one,"
              + " or mode overwrite to replace " + path);
        case Ignore:
          if (exists) {
            return createRelation(ctx, parameters);
          }
          break;
        case Overwrite:
          o.overwrite = true;
          break;
        default:
          break;
      }
      CompressJob.run(JavaSparkContext.fromSparkContext(ctx.sparkContext()), o);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
    return createRelation(ctx, parameters);
  }

  private static String path(Map<String, String> parameters) {
    return parameters.get("path").getOrElse(() -> {
      throw new IllegalArgumentException("the bbans source needs a path: load(archive) or"
          + " save(archive)");
    });
  }
}
