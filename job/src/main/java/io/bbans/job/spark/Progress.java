package io.bbans.job.spark;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Progress of a job's one stage, on the driver: tasks add the images they have done to an
 * accumulator batch by batch; executors' heartbeats carry running tasks' values (every 2 s, see
 * {@link Sessions#conf}) and task ends the final ones. A daemon thread prints the share done,
 * the rate and the time left: on a terminal one line rewritten every second, elsewhere a line
 * every 10 s; only once something was done, and only when it moved.
 */
public final class Progress extends SparkListener implements AutoCloseable {
  private final JavaSparkContext sc;
  private final String label;
  private final long total;
  private final int passes;
  private final PrintWriter out;
  private final boolean console;
  private final LongAccumulator done;
  private final Map<Long, Long> running = new HashMap<>();
  private long finished;
  private final long start = System.nanoTime();
  private final Thread printer;
  private volatile boolean closed;
  private boolean printedOnConsole;

  /**
   * Reports on {@code total} units of work, {@code passes} per image (compress with its
   * verify step codes each image twice), as {@code label} ("bbans compress") on {@code out}.
   */
  public Progress(JavaSparkContext sc, String label, long total, int passes, PrintWriter out) {
    this.sc = sc;
    this.label = label;
    this.total = Math.max(1, total);
    this.passes = passes;
    this.out = out;
    this.console = System.console() != null;
    this.done = sc.sc().longAccumulator("bbans progress");
    sc.sc().addSparkListener(this);
    printer = new Thread(this::print, "bbans progress");
    printer.setDaemon(true);
    if (out != null) {
      printer.start();
    }
  }

  /** The accumulator tasks add their images to. */
  public LongAccumulator accumulator() {
    return done;
  }

  @Override
  public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t
        : CollectionConverters.asJava(e.accumUpdates())) {
      for (AccumulableInfo info : CollectionConverters.asJava(t._4())) {
        if (info.id() == done.id() && info.update().isDefined()) {
          running.put((Long) t._1(), ((Number) info.update().get()).longValue());
        }
      }
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    running.remove(e.taskInfo().taskId());
    if (e.taskInfo().successful()) {
      for (AccumulableInfo info : CollectionConverters.asJava(e.taskInfo().accumulables())) {
        if (info.id() == done.id() && info.update().isDefined()) {
          finished += ((Number) info.update().get()).longValue();
        }
      }
    }
  }

  /** Units done so far, as far as the driver has heard. */
  public synchronized long done() {
    long n = finished;
    for (long v : running.values()) {
      n += v;
    }
    return Math.min(n, total);
  }

  private void print() {
    long last = 0;
    long every = console ? 1_000 : 10_000;
    try {
      while (!closed) {
        Thread.sleep(every);
        long n = done();
        if (closed || n == 0 || n == last) {
          continue;
        }
        last = n;
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = n / seconds;
        String line = String.format(Locale.ROOT, "%s: %d%%, %,.0f images/s, about %s left",
            label, 100 * n / total, rate / passes, duration((total - n) / rate));
        synchronized (out) {
          if (console) {
            out.print("\r" + line + "\u001b[K");
            printedOnConsole = true;
          } else {
            out.println(line);
          }
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String duration(double seconds) {
    if (seconds < 90) {
      return Math.round(seconds) + " s";
    }
    if (seconds < 5400) {
      return Math.round(seconds / 60) + " min";
    }
    return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }

  @Override
  public void close() {
    closed = true;
    printer.interrupt();
    sc.sc().removeSparkListener(this);
    if (out != null && printedOnConsole) {
      synchronized (out) {
        out.print("\r\u001b[K");
        out.flush();
      }
    }
  }
}
