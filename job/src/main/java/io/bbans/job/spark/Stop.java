package io.bbans.job.spark;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import sun.misc.Signal;

/**
 * What happens on SIGINT (Ctrl-C) and SIGTERM (what a scheduler sends): the signal is noted,
 * the JVM exits with 128 + its number (130, 143), and before Spark stops its context a hook
 * runs each registered clean-up (cancel the run's Spark jobs, delete its work folder) and
 * prints one line saying what became of the output. Errors that the stopped run's own thread
 * then meets are not reported: the line says it all.
 */
public final class Stop {
  /**
   * Hadoop runs shutdown hooks by priority, highest first; Spark's (which stops the context)
   * has 40 and the file systems' cache 10: this one runs before both.
   */
  static final int PRIORITY = 50;

  private static final List<Supplier<String>> CLEANUPS = new CopyOnWriteArrayList<>();
  private static volatile String signal;
  private static volatile String command;
  private static volatile PrintWriter err;
  private static boolean installed;

  private Stop() {}

  /** Installs the handlers and the hook once per JVM; later calls only rename the command. */
  public static synchronized void install(String commandName, PrintWriter errors) {
    command = commandName;
    err = errors;
    if (installed) {
      return;
    }
    installed = true;
    for (String name : List.of("INT", "TERM")) {
      try {
        Signal.handle(new Signal(name), s -> {
          signal = "SIG" + s.getName();
          System.exit(128 + s.getNumber());
        });
      } catch (IllegalArgumentException e) {
        // The signal is used by the JVM here (for example -Xrs): keep its default handling.
      }
    }
    ShutdownHookManager.get().addShutdownHook(Stop::onShutdown, PRIORITY, 60, TimeUnit.SECONDS);
  }

  /** The signal that stops this JVM ("SIGTERM"), or null. */
  public static String signal() {
    return signal;
  }

  /**
   * Registers a clean-up to run if a signal stops the JVM; it returns what became of the output.
   * Closing the registration removes it.
   */
  public static Registration onSignal(Supplier<String> cleanup) {
    CLEANUPS.add(cleanup);
    return () -> CLEANUPS.remove(cleanup);
  }

  /** A registered clean-up; closing it unregisters. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private static void onShutdown() {
    String s = signal;
    if (s == null) {
      return;
    }
    StringBuilder what = new StringBuilder();
    for (Supplier<String> c : CLEANUPS) {
      String outcome;
      try {
        outcome = c.get();
      } catch (RuntimeException e) {
        outcome = "clean-up failed (" + e.getMessage() + ")";
      }
      what.append(what.length() > 0 ? "; " : "").append(outcome);
    }
    PrintWriter w = err;
    if (w != null) {
      w.println(command + ": stopped by " + s + "; " + (what.length() > 0 ? what
          : "nothing was written"));
      w.flush();
    }
    quiet();
  }

  /**
   * After that line, nothing more: as the JVM stops, Spark's threads meet what the stop left
   * (a task cancelled while it was still starting, a broadcast not removed) and would print
   * stack traces and warnings under the line that says it all. Logging is turned off and
   * {@code System.err} discarded; the line above has been flushed.
   */
  private static void quiet() {
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
    try {
      Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
    } catch (LinkageError | RuntimeException e) {
      // another logging back end: its lines stay
    }
  }
}
