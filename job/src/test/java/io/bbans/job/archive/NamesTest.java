package io.bbans.job.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The names kept beside a shard: what is written reads back; what could escape is refused. */
class NamesTest {
  @Test
  void namesRoundTripInOrder() {
    String[] names = {"b.png", "a/é x.PNG", "a/b/c.png", "z#%20.png"};
    assertArrayEquals(names, Names.decode(Names.encode(names), 4, "t"));
    assertArrayEquals(new String[0], Names.decode(Names.encode(new String[0]), 0, "t"));
  }

  @Test
  void namesThatWouldLeaveTheOutputOrMeanSomethingElseAreRefused() {
    for (String bad : new String[] {"", "/etc/x.png", "../x.png", "a/../../x.png", "a//b.png",
        "./a.png", "a\\b.png", "c:x.png", "a\nb.png", "a.txt", "_temporary/x.png",
        "x".repeat(Names.MAX_NAME_BYTES) + ".png"}) {
      assertNotNull(Names.problem(bad), bad);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Names.decode(gzip(bad + "\n"), 1, "part-00000.names"), bad);
      assertTrue(e.getMessage().startsWith("part-00000.names"), e.getMessage());
    }
    assertNull(Names.problem("dir/_temporary/x.png"));
  }

  @Test
  void twiceOrAsBothFileAndFolderIsRefused() {
    for (String list : new String[] {"a.png\na.png\n", "a.png\na.png/b.png\n",
        "a.png/b.png\na.png\n"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Names.decode(gzip(list), 2, "n"), list);
      assertTrue(e.getMessage().contains("twice") || e.getMessage().contains("folder"),
          e.getMessage());
    }
  }

  @Test
  void wrongCountsTruncationAndBombsAreRefused() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Names.decode(gzip("a.png\n"), 2, "n")).getMessage().contains("1 names for 2"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Names.decode(gzip("a.png"), 1, "n")).getMessage().contains("truncated"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Names.decode(gzip(""), 1, "n")).getMessage().contains("truncated"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Names.decode(new byte[] {1, 2, 3}, 1, "n")).getMessage()
        .contains("not a readable names file"));
    byte[] full = Names.encode(new String[] {"a.png", "b.png"});
    assertThrows(IllegalArgumentException.class,
        () -> Names.decode(java.util.Arrays.copyOf(full, full.length - 9), 2, "n"));
    // Two names may inflate to at most 2 x 4,097 bytes: a megabyte of zeros is stopped there.
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Names.decode(gzip("a".repeat(1 << 20)), 2, "n")).getMessage()
        .contains("longer than"));
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
