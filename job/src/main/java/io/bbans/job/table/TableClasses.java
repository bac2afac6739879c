package io.bbans.job.table;

import io.bbans.job.spark.KryoClasses;
import java.util.ArrayList;
import java.util.List;

/**
 * What a table's jobs send through Kryo: each row's image on its way to its shard, and what
 * Spark SQL itself sends through the job's serializer (the schemas its Parquet footer jobs
 * return, its write tasks' results), which Spark does not register. Spark's own classes are
 * named, not linked, so that a Spark without one of them still runs.
 */
public final class TableClasses implements KryoClasses {
  private static final String[] SPARK = {
      "org.apache.spark.sql.types.StructType",
      "[Lorg.apache.spark.sql.types.StructType;",
      "org.apache.spark.sql.types.StructField",
      "[Lorg.apache.spark.sql.types.StructField;",
      "org.apache.spark.sql.types.Metadata",
      "org.apache.spark.sql.types.ArrayType",
      "org.apache.spark.sql.types.MapType",
      "org.apache.spark.sql.types.DecimalType",
      "org.apache.spark.sql.types.CharType",
      "org.apache.spark.sql.types.VarcharType",
      "org.apache.spark.sql.types.StringType",
      "org.apache.spark.sql.types.StringType$",
      "org.apache.spark.sql.types.BinaryType$",
      "org.apache.spark.sql.types.BooleanType$",
      "org.apache.spark.sql.types.ByteType$",
      "org.apache.spark.sql.types.ShortType$",
      "org.apache.spark.sql.types.IntegerType$",
      "org.apache.spark.sql.types.LongType$",
      "org.apache.spark.sql.types.FloatType$",
      "org.apache.spark.sql.types.DoubleType$",
      "org.apache.spark.sql.types.DateType$",
      "org.apache.spark.sql.types.TimestampType$",
      "org.apache.spark.sql.types.TimestampNTZType$",
      "org.apache.spark.sql.types.NullType$",
      "org.apache.spark.sql.types.DayTimeIntervalType",
      "org.apache.spark.sql.types.YearMonthIntervalType",
      "org.apache.spark.sql.types.VariantType$",
      "org.apache.spark.sql.execution.datasources.WriteTaskResult",
      "org.apache.spark.sql.execution.datasources.BasicWriteTaskStats",
      "org.apache.spark.sql.execution.datasources.ExecutedWriteSummary",
      "org.apache.spark.internal.io.FileCommitProtocol$TaskCommitMessage",
      "org.apache.spark.sql.catalyst.expressions.GenericInternalRow",
      "org.apache.spark.sql.catalyst.InternalRow[]",
      "[Lorg.apache.spark.sql.catalyst.InternalRow;",
      "org.apache.spark.sql.catalyst.expressions.UnsafeRow",
      "[Lorg.apache.spark.sql.catalyst.expressions.UnsafeRow;",
      "scala.collection.immutable.Map$EmptyMap$",
      "scala.collection.immutable.Map$Map1",
      "scala.collection.immutable.Map$Map2",
      "scala.collection.immutable.Map$Map3",
      "scala.collection.immutable.Map$Map4",
      "scala.collection.immutable.HashMap",
      "scala.collection.immutable.Set$EmptySet$",
      "scala.collection.immutable.Set$Set1",
      "scala.collection.immutable.Set$Set2",
      "scala.collection.immutable.Set$Set3",
      "scala.collection.immutable.Set$Set4",
      "scala.collection.immutable.HashSet",
      "scala.collection.immutable.Nil$",
      "scala.collection.immutable.$colon$colon",
      "scala.collection.immutable.ArraySeq$ofRef",
      "scala.collection.mutable.ArraySeq$ofRef",
      "scala.collection.mutable.WrappedArray$ofRef",
      "scala.None$",
      "scala.Some",
      "[Ljava.lang.Object;",
      "[Ljava.lang.String;",
      "[[B",
  };

  @Override
  public List<Class<?>> classes() {
    List<Class<?>> out = new ArrayList<>(List.of(ImageCell.class, ImageCell[].class));
    for (String name : SPARK) {
      try {
        out.add(Class.forName(name, false, TableClasses.class.getClassLoader()));
      } catch (ClassNotFoundException absent) {
        // Not in this Spark (or Scala): nothing of it is sent.
      }
    }
    return out;
  }
}
