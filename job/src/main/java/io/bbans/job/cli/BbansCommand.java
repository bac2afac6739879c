package io.bbans.job.cli;

import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.image.ImageFormatException;
import io.bbans.codec.model.ModelFormatException;
import io.bbans.job.archive.ManifestException;
import io.bbans.job.spark.Stop;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import org.apache.hadoop.fs.FSError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.RunLast;

/**
 * The {@code bbans} command: one small class per subcommand. Failures end in one line on stderr
 * naming the problem and a non-zero exit code: 2 for a bad command line, 1 for anything else.
 */
@Command(name = "bbans", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Lossless image dataset compression with a VAE and bits-back ANS.",
    subcommands = {CompressCommand.class, DecompressCommand.class, StatsCommand.class,
        TrainCommand.class, EvalCommand.class})
public final class BbansCommand {

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
        .execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new BbansCommand());
    cli.setOut(out);
    cli.setErr(err);
    IExecutionStrategy runLast = new RunLast();
    // Errors (FSError for a full disk, OutOfMemoryError) pass picocli's handler: catch them too.
    cli.setExecutionStrategy(parseResult -> {
      CommandLine last = parseResult.asCommandLineList().get(
          parseResult.asCommandLineList().size() - 1);
      Stop.install("bbans " + last.getCommandName(), err);
      try {
        return runLast.execute(parseResult);
      } catch (ExecutionException e) {
        throw e;
      } catch (Error e) {
        return failed(e, last);
      }
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine));
    // A bad command line: one line naming the problem, and where the usage is (not all of it).
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine c = e.getCommandLine();
      String name = c.getCommandSpec().qualifiedName(" ");
      c.getErr().println(name + ": " + e.getMessage() + " (" + name + " --help lists the"
          + " options)");
      c.getErr().flush();
      return 2;
    });
    return cli;
  }

  /** Reports a failure in one line (none after a signal: its own line says it) and its code. */
  private static int failed(Throwable e, CommandLine commandLine) {
    if (Stop.signal() != null) {
      return 1;
    }
    PrintWriter err = commandLine.getErr();
    if (Boolean.getBoolean("bbans.debug")) {
      e.printStackTrace(err);
    }
    err.println("bbans " + commandLine.getCommandName() + ": " + describe(e));
    err.flush();
    return 1;
  }

  /**
   * One line for an error the user can act on, without Java class names. A task's error
   * reaches the driver wrapped in Spark's exceptions: the first cause the user can act on is
   * reported, else the first line of the innermost message.
   */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage() + " (check the file system URI)";
      }
      if (t instanceof OutOfMemoryError) {
        return "out of memory (" + t.getMessage() + "); give the driver more memory"
            + " (JAVA_OPTS=-Xmx... or --driver-memory) or the job more partitions";
      }
      String full = diskFull(t);
      if (full != null) {
        return "the disk is full (" + full + "); free some space and run again";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ImageFormatException || t instanceof ModelFormatException
          || t instanceof CorruptStreamException || t instanceof ManifestException
          || t instanceof IllegalArgumentException || t instanceof UserException
          || t instanceof IllegalStateException && t.getCause() == null) {
        return firstLine(t.getMessage());
      }
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return "I/O error: " + firstLine(t.getMessage());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : e.getMessage();
    return message != null ? firstLine(message) : "failed (" + root.getClass().getSimpleName()
        + "); run with BBANS_DEBUG=1 for the details";
  }

  /** The system's words for a full disk or quota in {@code t}'s message, or null. */
  private static String diskFull(Throwable t) {
    String m = t.getMessage();
    if (!(t instanceof IOException || t instanceof FSError) || m == null) {
      return null;
    }
    for (String words : new String[] {"No space left on device", "Disk quota exceeded"}) {
      if (m.contains(words)) {
        return words;
      }
    }
    return null;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** A problem with what the user asked for, reported as its message alone. */
  static final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserException(String message) {
      super(message);
    }
  }
}
