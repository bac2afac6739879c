package io.bbans.job.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Two-phase output of a job, on any Hadoop file system. Tasks write only under
 * {@code _temporary/<job>/}, each attempt under its own name; the driver, once every partition
 * has succeeded, renames exactly one attempt per partition into place, writes its summary file
 * and then {@code _SUCCESS}. Retried and speculative attempts are deleted with
 * {@code _temporary}; a job that fails leaves neither summary nor {@code _SUCCESS}.
 */
public final class OutputCommitter {
  public static final String TEMPORARY = "_temporary";
  public static final String SUCCESS = "_SUCCESS";

  private final FileSystem fs;
  private final Path output;
  private final Path staging;
  private final List<Path> committed = new ArrayList<>();

  public OutputCommitter(FileSystem fs, Path output, String jobId) {
    this.fs = fs;
    this.output = output;
    this.staging = new Path(new Path(output, TEMPORARY), jobId);
  }

  /**
   * Makes the output folder: refuses one that already holds anything unless {@code overwrite},
   * which deletes it first.
   */
  public void create(boolean overwrite) throws IOException {
    if (fs.exists(output)) {
      FileStatus st = fs.getFileStatus(output);
      boolean empty = st.isDirectory() && fs.listStatus(output).length == 0;
      if (!empty) {
        if (!overwrite) {
          throw new IllegalArgumentException(output + " already exists"
              + (st.isDirectory() ? " and is not empty" : " as a file")
              + "; give --overwrite to replace it");
        }
        if (!fs.delete(output, true)) {
          throw new IOException("could not delete " + output);
        }
      }
    }
    if (!fs.mkdirs(staging)) {
      throw new IOException("could not create " + staging);
    }
  }

  /** The staging folder; tasks write their attempts under it. */
  public String staging() {
    return staging.toString();
  }

  /** The name a task attempt writes {@code finalName} under. */
  public static Path attemptPath(String staging, String finalName, int attemptNumber,
      long taskAttemptId) {
    return new Path(staging, String.format(Locale.ROOT, "%s.attempt-%d-%d", finalName,
        attemptNumber, taskAttemptId));
  }

  /**
   * Creates a task attempt's file, never its folder: once the driver has deleted the staging
   * area (the job failed or finished), a late or zombie attempt fails here instead of leaving
   * files behind.
   */
  public static OutputStream createAttempt(Path attempt, Configuration conf) throws IOException {
    FileSystem fs = attempt.getFileSystem(conf);
    return fs.createNonRecursive(attempt, false, 1 << 16, fs.getDefaultReplication(attempt),
        fs.getDefaultBlockSize(attempt), null);
  }

  /** Makes a task attempt's folder, only while the staging area exists. */
  public static void mkdirAttempt(Path attempt, Configuration conf) throws IOException {
    FileSystem fs = attempt.getFileSystem(conf);
    if (!fs.exists(attempt.getParent())) {
      throw new IOException("staging area " + attempt.getParent() + " is gone: the job ended");
    }
    if (!fs.mkdirs(attempt)) {
      throw new IOException("could not create " + attempt);
    }
  }

  /** Moves one task's winning attempt into place as {@code finalName}. */
  public void commit(String attempt, String finalName) throws IOException {
    Path from = new Path(attempt);
    Path to = new Path(output, finalName);
    if (!from.getParent().equals(staging)) {
      throw new IllegalStateException("attempt " + attempt + " is not under " + staging);
    }
    if (fs.exists(to)) {
      throw new IllegalStateException(to + " was committed twice");
    }
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
    committed.add(to);
  }

  /** Streams {@code out} into a file of the output: under a temporary name, then renamed. */
  public void writeFile(String name, Writer writer) throws IOException {
    Path tmp = new Path(staging, name + ".driver");
    try (OutputStream out = fs.create(tmp, true)) {
      writer.write(out);
    }
    Path to = new Path(output, name);
    if (!fs.rename(tmp, to)) {
      throw new IOException("could not rename " + tmp + " to " + to);
    }
    committed.add(to);
  }

  /** Ends a job that succeeded: deletes the staging area, then writes {@code _SUCCESS}. */
  public void succeed() throws IOException {
    fs.delete(new Path(output, TEMPORARY), true);
    fs.create(new Path(output, SUCCESS), false).close();
  }

  /**
   * Ends a job that failed: deletes what it committed and its staging area. Errors here are
   * added to {@code cause}, which the caller rethrows: the first error is the one reported.
   */
  public void abort(Throwable cause) {
    try {
      fs.delete(new Path(output, TEMPORARY), true);
      for (Path p : committed) {
        fs.delete(p, true);
      }
      if (fs.exists(output) && fs.listStatus(output).length == 0) {
        fs.delete(output, false);
      }
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Writes one file's contents. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }
}
