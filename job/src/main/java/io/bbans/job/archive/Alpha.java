package io.bbans.job.archive;

import io.bbans.codec.image.ImageSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The alpha channels of a shard's images, kept beside it ({@code part-NNNNN.alpha}) when some of
 * them came from PNG files with alpha (grey with alpha, RGBA): the models code the colour or
 * grey samples, and the alpha comes back exactly from here, so that {@code decompress --format
 * png} writes those images as they were. No model codes alpha: it is most often all opaque, or
 * a cut-out mask, both of which deflate to almost nothing.
 *
 * <p>The file: {@code BBAL}, a version byte (1), the shard's image count (4 bytes, big-endian),
 * then zlib (level 9) of one record per image in the shard's order: a byte 0 for an image with
 * no alpha channel, or 1 followed by its height and width (4 bytes each, which must be the
 * image's) and its alpha samples, row by row, one byte each.
 */
public final class Alpha {
  static final byte[] MAGIC = {'B', 'B', 'A', 'L'};
  static final int VERSION = 1;

  private Alpha() {}

  public static String fileName(int index) {
    return String.format(Locale.ROOT, "part-%05d.alpha", index);
  }

  /**
   * The alpha file of a shard whose images are {@code images}, {@code alpha[i]} image i's
   * alpha samples (rows x cols of them) or null where it has none; null when none has any.
   */
  public static byte[] encode(ImageSet images, byte[][] alpha) {
    if (alpha.length != images.count()) {
      throw new IllegalArgumentException(alpha.length + " alpha planes for " + images.count()
          + " images");
    }
    boolean any = false;
    for (byte[] a : alpha) {
      any |= a != null;
    }
    if (!any) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      DataOutputStream head = new DataOutputStream(bytes);
      head.write(MAGIC);
      head.writeByte(VERSION);
      head.writeInt(alpha.length);
      Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
      try (DataOutputStream z = new DataOutputStream(new DeflaterOutputStream(bytes, deflater,
          1 << 16))) {
        for (int i = 0; i < alpha.length; i++) {
          if (alpha[i] == null) {
            z.writeByte(0);
            continue;
          }
          if (alpha[i].length != (long) images.rows(i) * images.cols(i)) {
            throw new IllegalArgumentException("image " + i + " is " + images.rows(i) + "x"
                + images.cols(i) + ", its alpha plane " + alpha[i].length + " samples");
          }
          z.writeByte(1);
          z.writeInt(images.rows(i));
          z.writeInt(images.cols(i));
          z.write(alpha[i]);
        }
      } finally {
        deflater.end();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return bytes.toByteArray();
  }

  /**
   * The alpha planes of an alpha file whose shard decoded to {@code images}: one per image, null
   * where it has none. Anything but exactly the file {@link #encode} writes for these images (a
   * count or size that differs, a record cut short, bytes after the last) is an
   * {@link IllegalArgumentException} naming {@code where}; it never inflates more than the
   * images' own sizes could hold.
   */
  public static byte[][] decode(byte[] file, ImageSet images, String where) {
    int count = images.count();
    try {
      DataInputStream head = new DataInputStream(new ByteArrayInputStream(file));
      byte[] magic = new byte[MAGIC.length];
      head.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IllegalArgumentException(where + ": not an alpha file");
      }
      int version = head.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException(where + ": alpha file version " + version
            + "; this build reads version " + VERSION);
      }
      int n = head.readInt();
      if (n != count) {
        throw new IllegalArgumentException(where + ": alpha for " + n + " images, the shard"
            + " holds " + count);
      }
      byte[][] alpha = new byte[count][];
      boolean any = false;
      Inflater inflater = new Inflater();
      try (InputStream z = new InflaterInputStream(head, inflater, 1 << 16)) {
        DataInputStream in = new DataInputStream(z);
        for (int i = 0; i < count; i++) {
          int kind = in.readUnsignedByte();
          if (kind == 0) {
            continue;
          }
          if (kind != 1) {
            throw new IllegalArgumentException(where + ": image " + i + " has record kind "
                + kind + ", not 0 or 1");
          }
          int rows = in.readInt();
          int cols = in.readInt();
          if (rows != images.rows(i) || cols != images.cols(i)) {
            throw new IllegalArgumentException(where + ": image " + i + "'s alpha is " + rows
                + "x" + cols + ", the image " + images.rows(i) + "x" + images.cols(i));
          }
          alpha[i] = new byte[rows * cols];
          in.readFully(alpha[i]);
          any = true;
        }
        if (in.read() != -1 || inflater.getRemaining() > 0 || head.available() > 0) {
          throw new IllegalArgumentException(where + ": bytes after the last image's alpha");
        }
      } finally {
        inflater.end();
      }
      if (!any) {
        throw new IllegalArgumentException(where + ": an alpha file with no image's alpha");
      }
      return alpha;
    } catch (EOFException e) {
      throw new IllegalArgumentException(where + ": truncated", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": not a readable alpha file ("
          + e.getMessage() + ")", e);
    }
  }
}
