package io.bbans.job.spark;

import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a job's one stage and, if it fails, returns only once none of its tasks runs any more.
 * When a task fails for good, Spark fails the job at once but lets the stage's other running
 * tasks finish (or interrupts them); a driver that cleaned up at once could race those zombie
 * tasks writing their attempt files. Waiting for them keeps the cleanup final.
 */
public final class Jobs {
  /** How long to wait for zombie tasks before cleaning up anyway. */
  static final long QUIET_MILLIS = 120_000;

  private Jobs() {}

  public static <T> List<T> collect(JavaSparkContext sc, JavaRDD<T> rdd, String description) {
    String group = "bbans-" + UUID.randomUUID();
    sc.setJobGroup(group, description, true);
    try {
      return rdd.collect();
    } catch (Throwable e) {
      // Spark's SparkException is checked but undeclared: catch everything, rethrow as is.
      awaitNoRunningTasks(sc, group);
      throw e;
    } finally {
      sc.clearJobGroup();
    }
  }

  static void awaitNoRunningTasks(JavaSparkContext sc, String group) {
    sc.cancelJobGroup(group);
    long end = System.currentTimeMillis() + QUIET_MILLIS;
    for (int jobId : sc.statusTracker().getJobIdsForGroup(group)) {
      SparkJobInfo job = sc.statusTracker().getJobInfo(jobId);
      if (job == null) {
        continue;
      }
      for (int stageId : job.stageIds()) {
        while (System.currentTimeMillis() < end) {
          SparkStageInfo stage = sc.statusTracker().getStageInfo(stageId);
          if (stage == null || stage.numActiveTasks() == 0) {
            break;
          }
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}
