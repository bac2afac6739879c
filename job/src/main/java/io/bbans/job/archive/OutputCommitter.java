package io.bbans.job.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Two-phase output of a job, on any Hadoop file system, that never touches the output folder
 * before the new one is complete.
 *
 * <p>A run works in a folder of its own beside the output, {@code .<name>.bbans-unfinished-<id>}.
 * Tasks write only under its {@code _temporary/<job>/}, each attempt under its own name; the
 * driver, once every partition has succeeded, renames exactly one attempt per partition into
 * the work folder, writes its summary file and {@code _SUCCESS}, and only then swaps the work
 * folder in: an output being replaced is first renamed aside, the work folder renamed into its
 * place, and the old one deleted. A run that fails or is stopped deletes its work folder and
 * leaves the output exactly as it was.
 *
 * <p>{@link #prepare} decides, before anything is written, whether the run may write there:
 * an output that is a file, or a folder holding anything this tool did not write, is refused
 * even with {@code --overwrite}; an archive, a decompressed output or an unfinished run's
 * leftovers (work folders beside it, an older version's {@code _temporary} inside it) are
 * replaced only with {@code --overwrite}, and only when the new output is complete.
 */
public final class OutputCommitter {
  public static final String TEMPORARY = "_temporary";
  public static final String SUCCESS = "_SUCCESS";
  /**
   * In a decompressed output of images under their own names: every file written there (one
   * path a line, relative to the output), so that {@code --overwrite} can tell those from files
   * someone else put among them.
   */
  public static final String FILES = "_FILES";
  /** A {@link #FILES} larger than this is not this tool's: its folder is not replaced. */
  static final long MAX_FILES_BYTES = 256L << 20;
  /** What stands between an output's name and a run's id in its work folder's name. */
  static final String UNFINISHED = ".bbans-unfinished-";
  static final String REPLACED = ".bbans-replaced-";

  /** Names this tool writes at the top of an archive or a decompressed output. */
  private static final Pattern OURS = Pattern.compile(
      "_SUCCESS|_FILES|manifest\\.json|images\\.idx|part-\\d{5,}\\.(bbshard|idx|names|kept\\.parquet|parquet)");
  /** A decompressed shard as PNG files: a folder of these. */
  private static final Pattern PART_FOLDER = Pattern.compile("part-\\d{5,}");
  private static final Pattern PNG = Pattern.compile("\\d{9,}\\.png");

  private enum State { PREPARED, RUNNING, COMMITTED, ABORTED }

  private final FileSystem fs;
  private final Path output;
  /** The output as the user gave it, for messages. */
  private final String shown;
  private final boolean overwrite;
  private final String id;
  private final Path work;
  private final Path staging;
  /** Unfinished runs' work folders found beside the output, replaced on success. */
  private final List<Path> leftovers;
  private State state = State.PREPARED;
  /** The output's parent, when this run had to create it (removed again on failure). */
  private Path createdParent;

  private OutputCommitter(FileSystem fs, Path output, String shown, boolean overwrite,
      String jobId, List<Path> leftovers) {
    this.fs = fs;
    this.output = output;
    this.shown = shown;
    this.overwrite = overwrite;
    this.id = jobId;
    this.work = sibling(output, UNFINISHED, jobId);
    this.staging = new Path(new Path(work, TEMPORARY), jobId);
    this.leftovers = leftovers;
  }

  /**
   * Checks that a run may write {@code output}, touching nothing: refuses, in one line, an
   * output that is a file, the root, a folder holding what this tool did not write, or (without
   * {@code overwrite}) a folder that is not empty or beside which an unfinished run's work
   * folder lies.
   */
  public static OutputCommitter prepare(FileSystem fs, Path output, boolean overwrite,
      String jobId) throws IOException {
    // Parsed again from text: a Path made from a URI keeps a trailing slash ("a/"), whose
    // name would then be empty and whose work folder would land inside it.
    Path out = fs.makeQualified(new Path(output.toString()));
    if (out.getParent() == null || out.getName().isEmpty()) {
      throw new IllegalArgumentException(output + " is the root of its file system; name a"
          + " folder under it");
    }
    List<Path> leftovers = leftovers(fs, out);
    String unfinished = leftovers.isEmpty() ? null : "an unfinished run's work folder lies"
        + " beside it (" + leftovers.get(0).getName() + ": that run was killed, or is still"
        + " running)";
    boolean notEmpty = false;
    if (fs.exists(out)) {
      FileStatus st = fs.getFileStatus(out);
      if (!st.isDirectory()) {
        throw new IllegalArgumentException(output + " is a file, not a folder; it is never"
            + " replaced, --overwrite or not");
      }
      FileStatus[] entries = fs.listStatus(out);
      if (entries.length > 0) {
        String foreign = foreign(fs, entries);
        if (foreign != null) {
          throw new IllegalArgumentException(output + " holds " + foreign + ", which this"
              + " tool did not write; --overwrite replaces only an archive, a decompressed"
              + " output or an unfinished run's files: choose another --output");
        }
        notEmpty = true;
        if (fs.exists(new Path(out, TEMPORARY))) {
          unfinished = "it holds an unfinished run's staging (" + TEMPORARY + ": that run was"
              + " killed, or is still running)";
        }
      }
    }
    if (!overwrite && (notEmpty || unfinished != null)) {
      throw new IllegalArgumentException(output + (notEmpty ? " already exists and is not empty"
          : " does not exist") + (unfinished != null ? (notEmpty ? "; " : ", but ")
          + unfinished : "") + "; give --overwrite to replace "
          + (notEmpty && unfinished != null ? "them" : "it")
          + " once the new output is complete");
    }
    return new OutputCommitter(fs, out, output.toString(), overwrite, jobId, leftovers);
  }

  /** The work folders of unfinished runs into {@code out} (qualified) that lie beside it. */
  static List<Path> leftovers(FileSystem fs, Path out) throws IOException {
    List<Path> found = new ArrayList<>();
    Path parent = out.getParent();
    if (parent != null && fs.exists(parent)) {
      String prefix = "." + out.getName() + UNFINISHED;
      for (FileStatus f : fs.listStatus(parent, p -> p.getName().startsWith(prefix))) {
        found.add(f.getPath());
      }
    }
    return found;
  }

  /**
   * The first entry of a listing that this tool did not write, as a quoted name, or null. A
   * folder {@code part-NNNNN} may hold only PNG files named by image index, {@code _temporary}
   * anything (an unfinished run's staging), and any other file or folder must be one that the
   * listing's {@link #FILES} names (images written under their own names).
   */
  static String foreign(FileSystem fs, FileStatus[] entries) throws IOException {
    java.util.Set<String> files = new java.util.HashSet<>();
    java.util.Set<String> folders = new java.util.HashSet<>();
    for (FileStatus e : entries) {
      if (e.isFile() && e.getPath().getName().equals(FILES) && e.getLen() <= MAX_FILES_BYTES) {
        listed(fs, e.getPath(), files, folders);
      }
    }
    for (FileStatus e : entries) {
      String name = e.getPath().getName();
      if (e.isDirectory() && name.equals(TEMPORARY)) {
        continue;
      }
      if (e.isFile() && OURS.matcher(name).matches()) {
        continue;
      }
      if (e.isDirectory() && PART_FOLDER.matcher(name).matches() && !folders.contains(name)) {
        for (FileStatus png : fs.listStatus(e.getPath())) {
          if (!png.isFile() || !PNG.matcher(png.getPath().getName()).matches()) {
            return "'" + name + "/" + png.getPath().getName() + "'";
          }
        }
        continue;
      }
      String found = notListed(fs, e, name, files, folders);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The files a {@link #FILES} lists, and the folders they lie in. */
  private static void listed(FileSystem fs, Path list, java.util.Set<String> files,
      java.util.Set<String> folders) throws IOException {
    try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
        fs.open(list), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        files.add(line);
        for (int slash = line.indexOf('/'); slash > 0; slash = line.indexOf('/', slash + 1)) {
          folders.add(line.substring(0, slash));
        }
      }
    }
  }

  /** The first file or folder under {@code e} (at {@code relative}) not listed, or null. */
  private static String notListed(FileSystem fs, FileStatus e, String relative,
      java.util.Set<String> files, java.util.Set<String> folders) throws IOException {
    if (e.isFile() && files.contains(relative)) {
      return null;
    }
    if (!e.isDirectory() || !folders.contains(relative)) {
      return "'" + relative + "'";
    }
    for (FileStatus child : fs.listStatus(e.getPath())) {
      String found = notListed(fs, child, relative + "/" + child.getPath().getName(), files,
          folders);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** A work or replaced-output folder beside the output: hidden, named after it. */
  static Path sibling(Path output, String kind, String jobId) {
    return new Path(output.getParent(), "." + output.getName() + kind + jobId);
  }

  /** The output folder, qualified. */
  public Path output() {
    return output;
  }

  /** Makes the run's work folder and its staging area. The output is not touched. */
  public synchronized void create() throws IOException {
    if (state != State.PREPARED) {
      throw new IllegalStateException("create() once, after prepare()");
    }
    Path parent = output.getParent();
    if (!fs.exists(parent)) {
      createdParent = parent;
    }
    state = State.RUNNING;
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
   * area (the job failed, finished or was replaced), a late or zombie attempt fails here
   * instead of leaving files behind. Hadoop's local file system creates missing parents even in
   * {@code createNonRecursive}, so local paths are created with {@code CREATE_NEW} instead, which
   * the kernel refuses in a folder that is gone.
   */
  public static OutputStream createAttempt(Path attempt, Configuration conf) throws IOException {
    return createNew(attempt.getFileSystem(conf), attempt);
  }

  /** Creates a new file in a folder that must exist (see {@link #createAttempt}). */
  static OutputStream createNew(FileSystem fs, Path attempt) throws IOException {
    java.nio.file.Path local = local(fs, attempt);
    if (local != null) {
      try {
        return Files.newOutputStream(local, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
      } catch (NoSuchFileException e) {
        throw gone(attempt);
      } catch (FileAlreadyExistsException e) {
        throw new IOException(attempt + " exists already: written twice");
      }
    }
    if (!fs.exists(attempt.getParent())) {
      throw gone(attempt);
    }
    return fs.createNonRecursive(attempt, false, 1 << 16, fs.getDefaultReplication(attempt),
        fs.getDefaultBlockSize(attempt), null);
  }

  /** Makes a task attempt's folder, only while the staging area exists. */
  public static void mkdirAttempt(Path attempt, Configuration conf) throws IOException {
    FileSystem fs = attempt.getFileSystem(conf);
    java.nio.file.Path local = local(fs, attempt);
    if (local != null) {
      try {
        Files.createDirectory(local);
        return;
      } catch (NoSuchFileException e) {
        throw gone(attempt);
      }
    }
    if (!fs.exists(attempt.getParent())) {
      throw gone(attempt);
    }
    if (!fs.mkdirs(attempt)) {
      throw new IOException("could not create " + attempt);
    }
  }

  private static IOException gone(Path attempt) {
    return new IOException("the folder of " + attempt.getName() + " is gone: its run ended,"
        + " failed, or was replaced by another run");
  }

  /** The local path of {@code p}, or null when its file system is not the local one. */
  public static java.nio.file.Path local(FileSystem fs, Path p) {
    if (!"file".equals(fs.getUri().getScheme())) {
      return null;
    }
    return java.nio.file.Path.of(fs.makeQualified(p).toUri());
  }

  /** Moves one task's winning attempt into the work folder as {@code finalName}. */
  public void commit(String attempt, String finalName) throws IOException {
    Path from = new Path(attempt);
    Path to = new Path(work, finalName);
    if (!fs.makeQualified(from.getParent()).equals(fs.makeQualified(staging))) {
      throw new IllegalStateException("attempt " + attempt + " is not under " + staging);
    }
    if (fs.exists(to)) {
      throw new IllegalStateException(to + " was committed twice");
    }
    if (!fs.rename(from, to)) {
      throw new IOException(fs.exists(work) ? "could not rename " + from + " to " + to
          : "this run's work folder " + work + " was removed (by another run with"
          + " --overwrite?); nothing was written");
    }
  }

  /**
   * Moves the files of one task's winning attempt folder into the work folder, each under its
   * own name (a relative path; its folders are made as needed). A name that another part has
   * committed already, or that is also another's folder, is an error: nothing is replaced.
   */
  public void commitFiles(String attempt, String[] names) throws IOException {
    Path from = new Path(attempt);
    if (!fs.makeQualified(from.getParent()).equals(fs.makeQualified(staging))) {
      throw new IllegalStateException("attempt " + attempt + " is not under " + staging);
    }
    java.nio.file.Path localFrom = local(fs, from);
    java.nio.file.Path localWork = local(fs, work);
    for (String name : names) {
      String twice = "the archive names '" + name + "' twice, or both as a file and as a"
          + " folder; nothing was written";
      if (localFrom != null) {
        java.nio.file.Path to = localWork.resolve(name);
        try {
          Files.createDirectories(to.getParent());
          Files.move(localFrom.resolve(name), to);
        } catch (FileAlreadyExistsException e) {
          throw new IllegalStateException(twice);
        }
        continue;
      }
      Path to = new Path(work, name);
      if (fs.exists(to) || fs.exists(to.getParent()) && fs.getFileStatus(to.getParent())
          .isFile()) {
        throw new IllegalStateException(twice);
      }
      fs.mkdirs(to.getParent());
      if (!fs.rename(new Path(from, name), to)) {
        throw new IOException("could not rename " + new Path(from, name) + " to " + to);
      }
    }
  }

  /**
   * Makes the folders of {@code relative} (a file's path) under a task attempt's folder, one at
   * a time, so that none is made once the attempt's folder is gone (see {@link #createAttempt}).
   */
  public static void mkdirsUnder(Path attempt, String relative, Configuration conf)
      throws IOException {
    int slash = relative.lastIndexOf('/');
    if (slash < 0) {
      return;
    }
    FileSystem fs = attempt.getFileSystem(conf);
    java.nio.file.Path local = local(fs, attempt);
    if (local == null) {
      if (!fs.exists(attempt)) {
        throw gone(attempt);
      }
      fs.mkdirs(new Path(attempt, relative.substring(0, slash)));
      return;
    }
    java.nio.file.Path folder = local;
    for (String part : relative.substring(0, slash).split("/")) {
      folder = folder.resolve(part);
      try {
        Files.createDirectory(folder);
      } catch (FileAlreadyExistsException e) {
        // made for an earlier image
      } catch (NoSuchFileException e) {
        throw gone(attempt);
      }
    }
  }

  /** A file this run has committed, readable until it succeeds or aborts. */
  public Path committed(String name) {
    return new Path(work, name);
  }

  /** Streams {@code out} into a file of the output: under a temporary name, then renamed. */
  public void writeFile(String name, Writer writer) throws IOException {
    Path tmp = new Path(staging, name + ".driver");
    try (OutputStream out = createNew(fs, tmp)) {
      writer.write(out);
    }
    Path to = new Path(work, name);
    if (!fs.rename(tmp, to)) {
      throw new IOException("could not rename " + tmp + " to " + to);
    }
  }

  /**
   * Ends a job that succeeded: deletes the staging area, writes {@code _SUCCESS}, then swaps the
   * work folder in as the output. The output is checked again first: a folder that another
   * run wrote meanwhile is replaced only with {@code --overwrite} and only if this tool wrote
   * it. Should the swap fail half-way, the old output is renamed back.
   */
  public synchronized void succeed() throws IOException {
    if (state != State.RUNNING) {
      throw new IllegalStateException("this run was " + state.name().toLowerCase(Locale.ROOT)
          + " before it could succeed");
    }
    fs.delete(new Path(work, TEMPORARY), true);
    createNew(fs, new Path(work, SUCCESS)).close();
    Path old = null;
    if (fs.exists(output)) {
      FileStatus[] entries = fs.getFileStatus(output).isDirectory() ? fs.listStatus(output)
          : null;
      if (entries == null) {
        throw new IllegalStateException(output + " became a file while this run ran; this"
            + " run's output was discarded");
      }
      if (entries.length == 0) {
        fs.delete(output, false);
      } else {
        String foreign = foreign(fs, entries);
        if (!overwrite || foreign != null) {
          throw new IllegalStateException(output + " was written by someone else while this"
              + " run ran" + (foreign != null ? " (it holds " + foreign + ")" : "")
              + "; this run's output was discarded and " + output + " left as it is");
        }
        old = sibling(output, REPLACED, id);
        if (!fs.rename(output, old)) {
          throw new IOException("could not move " + output + " aside to replace it");
        }
      }
    }
    if (!fs.rename(work, output)) {
      if (old != null && !fs.exists(output)) {
        fs.rename(old, output);
      }
      throw new IOException("could not rename " + work + " to " + output);
    }
    state = State.COMMITTED;
    if (old != null) {
      fs.delete(old, true);
    }
    for (Path p : leftovers) {
      // Only a folder of what this tool writes: nothing else is ever deleted. A run still going
      // may remove its own folder meanwhile (it fails, finding the output replaced): gone is
      // as good as deleted, and this run's output is complete whatever happens here.
      try {
        if (fs.getFileStatus(p).isDirectory() && foreign(fs, fs.listStatus(p)) == null) {
          fs.delete(p, true);
        }
      } catch (java.io.FileNotFoundException gone) {
        // removed by its own run
      }
    }
  }

  /**
   * Ends a job that failed or was stopped: deletes the work folder (and a parent this run
   * created, if empty); the output is left as it was. Idempotent; does nothing once the run has
   * committed. Errors here are added to {@code cause} (if any), which the caller rethrows.
   */
  public synchronized void abort(Throwable cause) {
    if (state == State.COMMITTED || state == State.ABORTED) {
      return;
    }
    boolean started = state == State.RUNNING;
    state = State.ABORTED;
    if (!started) {
      return;
    }
    try {
      // A task still finishing may add a file while the folder is deleted: try again.
      for (int i = 0; i < 3 && fs.exists(work); i++) {
        fs.delete(work, true);
      }
      if (createdParent != null && fs.exists(createdParent)
          && fs.listStatus(createdParent).length == 0) {
        fs.delete(createdParent, false);
      }
    } catch (IOException | RuntimeException e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
    }
  }

  /** What became of the output, for a run stopped by a signal. */
  public synchronized String outcome() {
    return state == State.COMMITTED ? shown + " was already complete and stays"
        : shown + " was left as it was";
  }

  /** Writes one file's contents. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }
}
