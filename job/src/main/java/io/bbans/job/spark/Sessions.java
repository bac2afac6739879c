package io.bbans.job.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Starts the Spark context a job runs in. Under spark-submit the master and everything else come
 * from its configuration; run as a plain Java program (submit.sh without SPARK_HOME, or a test)
 * it falls back to an embedded {@code local[*]} master.
 */
public final class Sessions {
  /** Everything the job sends between JVMs goes through Kryo, every class registered. */
  static final String SERIALIZER = "org.apache.spark.serializer.KryoSerializer";

  private Sessions() {}

  /** The configuration Spark would use here: spark-submit's, or {@code spark.*} properties. */
  public static SparkConf conf(String appName) {
    SparkConf conf = new SparkConf(true);
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.app.name", appName);
    conf.set("spark.serializer", SERIALIZER);
    conf.set("spark.kryo.registrator", BbansKryoRegistrator.class.getName());
    conf.set("spark.kryo.registrationRequired", "true");
    // Local files without Hadoop's .crc side files: shards and manifests carry their own
    // SHA-256, and a .crc beside each file is clutter that also turns a damaged shard into a
    // ChecksumException instead of the archive's own corrupt-shard error.
    conf.setIfMissing("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    conf.setIfMissing("spark.hadoop.fs.file.impl.disable.cache", "true");
    conf.setIfMissing("spark.ui.enabled", "false");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    // Running tasks' progress reaches the driver with each heartbeat (Progress).
    conf.setIfMissing("spark.executor.heartbeatInterval", "2s");
    return conf;
  }

  /**
   * The Hadoop configuration a context started from {@code conf} would have (its
   * {@code spark.hadoop.*} keys), for checking paths before the context starts.
   */
  public static Configuration hadoopConf(SparkConf conf) {
    Configuration c = new Configuration();
    for (Tuple2<String, String> kv : conf.getAll()) {
      if (kv._1().startsWith("spark.hadoop.")) {
        c.set(kv._1().substring("spark.hadoop.".length()), kv._2());
      }
    }
    return c;
  }

  public static JavaSparkContext start(SparkConf conf) {
    return new JavaSparkContext(conf);
  }
}
