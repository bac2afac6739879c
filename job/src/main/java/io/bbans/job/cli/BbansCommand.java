package io.bbans.job.cli;

import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.image.ImageFormatException;
import io.bbans.codec.model.ModelFormatException;
import io.bbans.job.archive.ManifestException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bbans} command: one small class per subcommand. Failures end in one line on stderr
 * naming the problem and a non-zero exit code: 2 for a bad command line, 1 for anything else.
 */
@Command(name = "bbans", mixinStandardHelpOptions = true,
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
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("bbans " + commandLine.getCommandName() + ": "
          + describe(e));
      return 1;
    });
    return cli;
  }

  /**
   * One line for an error the user can act on. A task's error reaches the driver wrapped in
   * Spark's exceptions: the first cause the user can act on is reported, else the first line.
   */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ImageFormatException || t instanceof ModelFormatException
          || t instanceof CorruptStreamException || t instanceof ManifestException
          || t instanceof IllegalArgumentException || t instanceof UserException) {
        return t.getMessage();
      }
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return "I/O error: " + t.getMessage();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String text = e.toString();
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
