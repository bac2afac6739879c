package io.bbans.job.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The file names of a shard's images, kept beside it ({@code part-NNNNN.names}) when they came
 * from a folder of PNG files, so that {@code decompress --format png} gives every image back
 * under its own name and sub-folder. The file is gzip (level 9) of the names in the shard's
 * order, one per line, each a path relative to the input folder with {@code /} between its
 * parts: {@code zcat part-00000.names} lists them.
 *
 * <p>Since a name becomes a path under the user's output folder, each is checked, when the input
 * is listed and again when an archive is read: a relative path of plain parts (no empty part,
 * no {@code .} or {@code ..}), no control character, backslash or colon, ending in
 * {@code .png}, not under {@code _temporary}; and no name twice, nor a name that is also
 * another's folder.
 */
public final class Names {
  /** The longest name kept, in UTF-8 bytes (Linux's PATH_MAX). */
  public static final int MAX_NAME_BYTES = 4096;

  private Names() {}

  public static String fileName(int index) {
    return String.format(Locale.ROOT, "part-%05d.names", index);
  }

  /** Why {@code name} cannot be kept and restored, or null if it can. */
  public static String problem(String name) {
    if (name.isEmpty()) {
      return "an empty name";
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "longer than " + MAX_NAME_BYTES + " bytes";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "a control character in the name";
      }
      if (c == '\\' || c == ':') {
        return "a '" + c + "' in the name (it would not mean the same on every file system)";
      }
    }
    if (name.startsWith("/")) {
      return "an absolute path";
    }
    String[] parts = name.split("/", -1);
    for (String p : parts) {
      if (p.isEmpty() || p.equals(".") || p.equals("..")) {
        return "not a plain relative path ('" + p + "' in it)";
      }
    }
    if (parts[0].equals(OutputCommitter.TEMPORARY)) {
      return "under " + OutputCommitter.TEMPORARY + ", where a run stages its files";
    }
    if (!name.toLowerCase(Locale.ROOT).endsWith(".png")) {
      return "not a .png file name";
    }
    return null;
  }

  /**
   * Adds {@code name} to {@code files}, and its folders to {@code folders}; throws when it is
   * there already, or when it is a folder of another name or another's folder is it.
   */
  static void claim(String name, Set<String> files, Set<String> folders, String where) {
    if (folders.contains(name) || !files.add(name)) {
      throw new IllegalArgumentException(where + ": '" + name + "' is named twice, or both as"
          + " a file and as a folder");
    }
    for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
      String folder = name.substring(0, slash);
      if (files.contains(folder)) {
        throw new IllegalArgumentException(where + ": '" + folder + "' is named both as a"
            + " file and as a folder");
      }
      folders.add(folder);
    }
  }

  /** The names file of a shard: gzip of the names, one a line. */
  public static byte[] encode(String[] names) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 1 << 16) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      for (String n : names) {
        gz.write(n.getBytes(StandardCharsets.UTF_8));
        gz.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return bytes.toByteArray();
  }

  /**
   * The names of a names file that must hold exactly {@code count}, each checked as above and
   * none twice; anything else is an {@link IllegalArgumentException} naming {@code where}.
   * Never inflates more than {@code count} longest names could take.
   */
  public static String[] decode(byte[] file, int count, String where) {
    long limit = (long) count * (MAX_NAME_BYTES + 1);
    byte[] text;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
      text = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 64));
      if (text.length > limit) {
        throw new IllegalArgumentException(where + ": longer than " + count + " names can be");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": not a readable names file (" + e.getMessage()
          + ")", e);
    }
    String all = new String(text, StandardCharsets.UTF_8);
    if (!all.isEmpty() && !all.endsWith("\n") || all.isEmpty() && count > 0) {
      throw new IllegalArgumentException(where + ": truncated (no end of line after the last"
          + " name)");
    }
    String[] names = all.isEmpty() ? new String[0] : all.substring(0, all.length() - 1)
        .split("\n", -1);
    if (names.length != count) {
      throw new IllegalArgumentException(where + ": " + names.length + " names for "
          + count + " images");
    }
    Set<String> files = new HashSet<>();
    Set<String> folders = new HashSet<>();
    for (int i = 0; i < names.length; i++) {
      String problem = problem(names[i]);
      if (problem != null) {
        throw new IllegalArgumentException(where + ": name " + i + " cannot be written: "
            + problem);
      }
      claim(names[i], files, folders, where);
    }
    return names;
  }
}
