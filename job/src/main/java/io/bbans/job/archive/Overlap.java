package io.bbans.job.archive;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses an output that would overwrite or land inside what a run reads: the same folder,
 * one inside the other either way. Paths are compared qualified (scheme and authority
 * included) and normalised; local paths with their symbolic links resolved as far as they
 * exist, so that a link to the input is the input.
 */
public final class Overlap {
  private Overlap() {}

  /**
   * Throws {@link IllegalArgumentException} naming both when {@code output} is {@code input},
   * lies inside it, or contains it.
   */
  public static void refuse(String inputName, String input, String outputName, String output,
      Configuration conf) throws IOException {
    refuse(inputName, input, outputName, output, output, conf);
  }

  /** As above, with the output shown as the user gave it ({@code shown}). */
  public static void refuse(String inputName, String input, String outputName, String output,
      String shown, Configuration conf) throws IOException {
    URI in = canonical(new Path(input), conf);
    URI out = canonical(new Path(output), conf);
    String why = null;
    if (trimmed(in).equals(trimmed(out))) {
      why = " is the same as ";
    } else if (within(out, in)) {
      why = " lies inside ";
    } else if (within(in, out)) {
      why = " contains ";
    }
    if (why != null) {
      throw new IllegalArgumentException(outputName + " " + shown + why + inputName + " "
          + input + "; the run would write over what it reads: choose another " + outputName);
    }
  }

  /** The path as a normalised URI, with local symbolic links resolved as far as they exist. */
  static URI canonical(Path p, Configuration conf) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    Path q = fs.makeQualified(p);
    java.nio.file.Path local = OutputCommitter.local(fs, q);
    if (local == null) {
      return q.toUri().normalize();
    }
    java.nio.file.Path abs = local.toAbsolutePath().normalize();
    java.nio.file.Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs.toUri();
    }
    return existing.toRealPath().resolve(existing.relativize(abs)).normalize().toUri();
  }

  /** Whether {@code inner} is strictly inside {@code outer}. */
  static boolean within(URI inner, URI outer) {
    if (!java.util.Objects.equals(inner.getScheme(), outer.getScheme())
        || !java.util.Objects.equals(inner.getAuthority(), outer.getAuthority())) {
      return false;
    }
    return trimmed(inner).startsWith(trimmed(outer) + "/");
  }

  /** The URI as text without a trailing slash (a folder's URI has one). */
  private static String trimmed(URI u) {
    String s = u.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
