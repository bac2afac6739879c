package io.bbans.job.cli;

import io.bbans.job.spark.JobSettings;
import io.bbans.job.spark.Sessions;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** What the Spark subcommands share: one context per run, its start-up timed, always stopped. */
abstract class SparkCommand {
  /** Seconds it took to start the Spark context. */
  double startupSeconds;

  /** The job, given what its preflight found (so that nothing is opened or loaded twice). */
  interface Job<P, T> {
    T run(JavaSparkContext sc, JobSettings settings, P checked) throws Exception;
  }

  /** Checks made before the session starts, so that a mistake costs no Spark start-up. */
  interface Preflight<P> {
    P check(JobSettings settings, Configuration hadoop) throws Exception;
  }

  <P, T> T withSpark(String appName, Preflight<P> preflight, Job<P, T> job) throws Exception {
    long t0 = System.nanoTime();
    SparkConf conf = Sessions.conf(appName);
    JobSettings settings = JobSettings.from(conf);
    P checked = preflight.check(settings, Sessions.hadoopConf(conf));
    JavaSparkContext sc = Sessions.start(conf);
    startupSeconds = (System.nanoTime() - t0) / 1e9;
    try {
      return job.run(sc, settings, checked);
    } finally {
      sc.stop();
    }
  }
}
