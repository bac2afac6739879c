package io.bbans.job.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.job.spark.Sessions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output protocol on local paths with the file system the job uses (Hadoop's raw local one,
 * as {@link Sessions#conf} configures it): what {@code --overwrite} may replace, that the
 * output changes only at the swap, and that a late attempt cannot recreate a staging area.
 */
class OutputCommitterTest {
  @TempDir
  java.nio.file.Path dir;
  Configuration conf;
  FileSystem fs;

  @BeforeEach
  void fileSystem() throws IOException {
    conf = Sessions.hadoopConf(Sessions.conf("OutputCommitterTest")
        .setMaster("local[1]"));
    fs = new Path(dir.toUri()).getFileSystem(conf);
    assertEquals("RawLocalFileSystem", fs.getClass().getSimpleName());
  }

  Path path(String name) {
    return new Path(dir.resolve(name).toUri());
  }

  /** An archive's files, as a finished compress leaves them. */
  java.nio.file.Path archive(String name, String content) throws IOException {
    java.nio.file.Path a = Files.createDirectories(dir.resolve(name));
    Files.writeString(a.resolve("part-00000.bbshard"), content);
    Files.writeString(a.resolve("manifest.json"), "{" + content + "}");
    Files.createFile(a.resolve("_SUCCESS"));
    return a;
  }

  static Map<String, String> contents(java.nio.file.Path folder) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<java.nio.file.Path> s = Files.walk(folder)) {
      for (java.nio.file.Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(folder.relativize(p).toString(), Files.readString(p));
      }
    }
    return m;
  }

  List<String> hidden() throws IOException {
    try (Stream<java.nio.file.Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  OutputCommitter run(String output, boolean overwrite, String shard) throws IOException {
    OutputCommitter c = OutputCommitter.prepare(fs, path(output), overwrite, "job-" + shard);
    c.create();
    Path attempt = OutputCommitter.attemptPath(c.staging(), "part-00000.bbshard", 0, 1);
    try (OutputStream out = OutputCommitter.createAttempt(attempt, conf)) {
      out.write(shard.getBytes(StandardCharsets.UTF_8));
    }
    c.commit(attempt.toString(), "part-00000.bbshard");
    c.writeFile("manifest.json", out -> out.write("{}".getBytes(StandardCharsets.UTF_8)));
    return c;
  }

  @Test
  void aFolderOfTheUsersIsNeverReplaced() throws IOException {
    java.nio.file.Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("notes.txt"), "mine");
    for (boolean overwrite : new boolean[] {false, true}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OutputCommitter.prepare(fs, path("docs"), overwrite, "j"));
      assertTrue(e.getMessage().contains("'notes.txt', which this tool did not write"),
          e.getMessage());
    }
    // Inside a decompressed shard's PNG folder too.
    java.nio.file.Path png = archive("pngs", "x").resolve("part-00001");
    Files.createDirectories(png);
    Files.writeString(png.resolve("000000001.png"), "png");
    Files.writeString(png.resolve("holiday.jpg"), "mine");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutputCommitter.prepare(fs, path("pngs"), true, "j"));
    assertTrue(e.getMessage().contains("'part-00001/holiday.jpg'"), e.getMessage());
    Files.writeString(dir.resolve("file"), "mine");
    e = assertThrows(IllegalArgumentException.class,
        () -> OutputCommitter.prepare(fs, path("file"), true, "j"));
    assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    assertEquals("mine", Files.readString(dir.resolve("file")));
    assertEquals(Map.of("notes.txt", "mine"), contents(docs));
  }

  @Test
  void anArchiveIsReplacedOnlyWithOverwriteAndOnlyWhenTheNewOneIsComplete() throws IOException {
    java.nio.file.Path a = archive("a", "old");
    Map<String, String> before = contents(a);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutputCommitter.prepare(fs, path("a"), false, "j"));
    assertTrue(e.getMessage().endsWith(" already exists and is not empty; give --overwrite to"
        + " replace it once the new output is complete"), e.getMessage());

    OutputCommitter c = run("a", true, "new");
    assertEquals(before, contents(a), "nothing changes before the swap");
    c.abort(null);
    assertEquals(before, contents(a), "a failed run leaves the archive as it was");
    assertEquals(List.of(), hidden(), "and its work folder deleted");

    c = run("a", true, "new");
    c.succeed();
    assertEquals(Map.of("_SUCCESS", "", "manifest.json", "{}", "part-00000.bbshard", "new"),
        contents(a));
    assertEquals(List.of(), hidden(), "the old archive and the work folder are gone");
    c.abort(null);
    assertEquals("new", Files.readString(a.resolve("part-00000.bbshard")),
        "an abort after the swap changes nothing");
  }

  @Test
  void anOutputWrittenByAnotherRunMeanwhileIsNotReplacedWithoutOverwrite() throws IOException {
    OutputCommitter mine = run("b", false, "mine");
    java.nio.file.Path theirs = archive("b", "theirs");
    IllegalStateException e = assertThrows(IllegalStateException.class, mine::succeed);
    assertTrue(e.getMessage().contains("was written by someone else while this run ran"),
        e.getMessage());
    mine.abort(e);
    assertEquals("theirs", Files.readString(theirs.resolve("part-00000.bbshard")));
    assertEquals(List.of(), hidden());
  }

  @Test
  void anUnfinishedRunIsNamedAndReplacedOnlyWithOverwrite() throws IOException {
    OutputCommitter killed = run("c", false, "killed");
    // killed -9: no abort, its work folder stays beside the output.
    assertEquals(1, hidden().size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutputCommitter.prepare(fs, path("c"), false, "j"));
    assertTrue(e.getMessage().startsWith(path("c") + " does not exist, but an unfinished run's"
        + " work folder lies beside it (.c.bbans-unfinished-job-killed: that run was killed, or"
        + " is still running); give --overwrite"), e.getMessage());
    ManifestException m = assertThrows(ManifestException.class,
        () -> Archive.open(path("c").toString(), conf));
    assertTrue(m.getMessage().contains("no such archive folder (the work folder of a run that"
        + " was killed"), m.getMessage());

    OutputCommitter again = run("c", true, "again");
    assertEquals(2, hidden().size());
    again.succeed();
    assertEquals(List.of(), hidden(), "the killed run's work folder is replaced with it");
    assertEquals("again", Files.readString(dir.resolve("c/part-00000.bbshard")));
    // The killed run's late commit finds its folder gone and writes nothing.
    IOException late = assertThrows(IOException.class, killed::succeed);
    assertTrue(late.getMessage().contains("is gone"), late.getMessage());
    assertEquals("again", Files.readString(dir.resolve("c/part-00000.bbshard")));

    // An older version's staging inside the output.
    Files.createDirectories(dir.resolve("c/_temporary/compress-x"));
    e = assertThrows(IllegalArgumentException.class,
        () -> OutputCommitter.prepare(fs, path("c"), false, "j"));
    assertTrue(e.getMessage().contains("it holds an unfinished run's staging (_temporary"),
        e.getMessage());
  }

  /**
   * A run still going when another replaces its output with --overwrite: it finds the output
   * replaced, fails and removes its own work folder, maybe while the replacing run is removing
   * it too. The replacing run succeeds either way.
   */
  @Test
  void aLeftoverThatItsOwnRunRemovesMeanwhileIsNoError() throws IOException {
    OutputCommitter running = run("e", false, "running");
    OutputCommitter replacing = run("e", true, "replacing");
    running.abort(null);
    replacing.succeed();
    assertEquals("replacing", Files.readString(dir.resolve("e/part-00000.bbshard")));
    assertEquals(List.of(), hidden());
  }

  /**
   * A zombie attempt, on local paths, after the driver deleted the staging area: it fails and
   * recreates nothing. (Hadoop's own createNonRecursive on the raw local file system would
   * create the missing folders.)
   */
  @Test
  void aLateAttemptCannotRecreateTheStagingArea() throws IOException {
    OutputCommitter c = run("d", false, "x");
    Path staging = new Path(c.staging());
    c.abort(null);
    assertFalse(fs.exists(staging));
    Path attempt = OutputCommitter.attemptPath(c.staging(), "part-00001.bbshard", 1, 7);
    IOException e = assertThrows(IOException.class,
        () -> OutputCommitter.createAttempt(attempt, conf).close());
    assertTrue(e.getMessage().contains("is gone"), e.getMessage());
    Path folder = OutputCommitter.attemptPath(c.staging(), "part-00001", 1, 8);
    e = assertThrows(IOException.class, () -> OutputCommitter.mkdirAttempt(folder, conf));
    assertTrue(e.getMessage().contains("is gone"), e.getMessage());
    assertFalse(fs.exists(staging.getParent()), "no staging area recreated");
    assertEquals(List.of(), hidden());
    assertFalse(Files.exists(dir.resolve("d")));
  }

  @Test
  void outputsOverTheirInputAreRefused() throws IOException {
    java.nio.file.Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("x.png"), "mine");
    Files.createSymbolicLink(dir.resolve("link"), in);
    String i = in.toString();
    assertRefused(i, i, "is the same as");
    assertRefused(i, i + "/", "is the same as");
    assertRefused(i, dir.resolve("link").toString(), "is the same as");
    assertRefused(i, i + "/sub/out", "lies inside");
    assertRefused(i, dir.resolve("link/out").toString(), "lies inside");
    assertRefused(i, "file://" + i + "/../in/out", "lies inside");
    assertRefused(in.resolve("x.png").toString(), i, "contains");
    assertRefused(i, dir.toString(), "contains");
    // A name that only starts the same is elsewhere.
    Overlap.refuse("--input", i, "--output", i + "-out", conf);
    Overlap.refuse("--input", i, "--output", dir.resolve("other").toString(), conf);
  }

  void assertRefused(String input, String output, String why) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Overlap.refuse("--input", input, "--output", output, conf), output);
    assertEquals("--output " + output + " " + why + " --input " + input + "; the run would"
        + " write over what it reads: choose another --output", e.getMessage());
  }

  @Test
  void theRootIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OutputCommitter.prepare(fs, new Path("file:///"), true, "j"));
    assertTrue(e.getMessage().contains("root"), e.getMessage());
  }
}
