package io.bbans.job.spark;

import io.bbans.job.archive.OutputCommitter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Runs a job's one stage and, if it fails, returns only once none of its tasks runs any more.
 * When a task fails for good, Spark fails the job at once but lets the stage's other running
 * tasks finish (or interrupts them); a driver that cleaned up at once could race those zombie
 * tasks writing their attempt files (the fuzz test saw it in 3 of 1,500 failed jobs). A
 * listener counts the job's task starts and ends; the listener bus delivers events in order,
 * so once it has seen the job end and as many task ends as starts, no task of the job runs.
 */
public final class Jobs {
  /** How long to wait for zombie tasks before cleaning up anyway. */
  static final long QUIET_MILLIS = 120_000;
  /** How long the listener may lag behind a job's start. */
  static final long NEVER_STARTED_MILLIS = 2_000;

  private Jobs() {}

  public static <T> List<T> collect(JavaSparkContext sc, JavaRDD<T> rdd, String description) {
    String group = "bbans-" + UUID.randomUUID();
    Tracker tracker = new Tracker(group);
    sc.sc().addSparkListener(tracker);
    sc.setJobGroup(group, description, true);
    try {
      return rdd.collect();
    } catch (Throwable e) {
      // Spark's SparkException is checked but undeclared: catch everything, rethrow as is.
      sc.cancelJobGroup(group);
      tracker.awaitQuiet(QUIET_MILLIS);
      throw e;
    } finally {
      sc.clearJobGroup();
      sc.sc().removeSparkListener(tracker);
    }
  }

  /**
   * Registers what a signal does to a run writing through {@code committer}: cancel its jobs,
   * wait for its tasks, delete its work folder, and say what became of the output.
   */
  public static Stop.Registration abortOnSignal(JavaSparkContext sc,
      OutputCommitter committer) {
    return Stop.onSignal(() -> {
      cancelAndWait(sc, 10_000);
      committer.abort(null);
      return committer.outcome();
    });
  }

  /**
   * Cancels every job of the context and waits, at most {@code millis}, until no job is active
   * and no task runs (what a signal's clean-up does before it deletes the run's files).
   */
  public static void cancelAndWait(JavaSparkContext sc, long millis) {
    sc.cancelAllJobs();
    long end = System.currentTimeMillis() + millis;
    try {
      while (System.currentTimeMillis() < end) {
        boolean busy = sc.statusTracker().getActiveJobIds().length > 0;
        for (SparkExecutorInfo e : sc.sc().statusTracker().getExecutorInfos()) {
          busy |= e.numRunningTasks() > 0;
        }
        if (!busy) {
          return;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts the running tasks of the jobs of one job group. */
  static final class Tracker extends SparkListener {
    private final String group;
    private final Set<Integer> jobs = new HashSet<>();
    private final Set<Integer> stages = new HashSet<>();
    private int running;
    private int ended;

    Tracker(String group) {
      this.group = group;
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart e) {
      if (e.properties() != null && group.equals(e.properties().getProperty(
          "spark.jobGroup.id"))) {
        jobs.add(e.jobId());
        for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds())) {
          stages.add((Integer) stage);
        }
      }
    }

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart e) {
      if (stages.contains(e.stageId())) {
        running++;
      }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
      if (stages.contains(e.stageId())) {
        running--;
        notifyAll();
      }
    }

    @Override
    public synchronized void onJobEnd(SparkListenerJobEnd e) {
      if (jobs.contains(e.jobId())) {
        ended++;
        notifyAll();
      }
    }

    /**
     * Waits until every job of the group has ended and none of its tasks runs. A job that
     * never started (it failed on the driver, before scheduling) is given up on after a
     * moment.
     */
    synchronized void awaitQuiet(long millis) {
      long start = System.currentTimeMillis();
      long end = start + millis;
      try {
        while (System.currentTimeMillis() < end) {
          if (jobs.isEmpty() ? System.currentTimeMillis() > start + NEVER_STARTED_MILLIS
              : ended >= jobs.size() && running <= 0) {
            return;
          }
          wait(100);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
