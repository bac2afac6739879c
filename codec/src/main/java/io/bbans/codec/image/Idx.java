package io.bbans.codec.image;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of the MNIST family for unsigned-byte image arrays: magic {@code 0x00000803},
 * then the image count, rows and columns as big-endian u32, then the pixels. Gzipped files are
 * recognised by their magic and read through.
 */
public final class Idx {
  static final int MAGIC_UBYTE_3D = 0x0803;
  /** Largest image side accepted: bounds what a header may make us allocate. */
  public static final int MAX_SIDE = 4096;

  private Idx() {}

  /** Reads a whole IDX image file, gzipped or not; {@code name} is used in error messages. */
  public static ImageSet read(InputStream raw, String name) throws IOException {
    InputStream in = new BufferedInputStream(raw);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      in = new BufferedInputStream(new GZIPInputStream(in));
    }
    Header h = header(in.readNBytes(16), name);
    long bytes = h.bodyBytes();
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new ImageFormatException(name + ": " + h.count + " images of " + h.rows + "x"
          + h.cols + " do not fit in one array; split the file");
    }
    // Read what is really there before trusting the header's count.
    ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(bytes, 1 << 24));
    copyBody(in, h, body, name);
    return new ImageSet((int) h.count, h.rows, h.cols, body.toByteArray());
  }

  /** The count and shape an IDX image header declares, checked. */
  public static final class Header {
    public final long count;
    public final int rows;
    public final int cols;

    Header(long count, int rows, int cols) {
      this.count = count;
      this.rows = rows;
      this.cols = cols;
    }

    /** Bytes of pixels that follow the header. */
    public long bodyBytes() {
      return count * rows * cols;
    }
  }

  /**
   * Parses the 16 bytes of an IDX header (fewer means the file is too short); {@code name} is
   * used in error messages.
   */
  public static Header header(byte[] header, String name) {
    if (header.length < 16) {
      throw new ImageFormatException(name + ": not an IDX image file (" + header.length
          + " bytes, the header alone is 16)");
    }
    ByteBuffer h = ByteBuffer.wrap(header);
    int magic = h.getInt();
    if (magic != MAGIC_UBYTE_3D) {
      throw new ImageFormatException(String.format(
          "%s: not an IDX file of 8-bit images (magic 0x%08x, expected 0x%08x)", name, magic,
          MAGIC_UBYTE_3D));
    }
    long count = Integer.toUnsignedLong(h.getInt());
    long rows = Integer.toUnsignedLong(h.getInt());
    long cols = Integer.toUnsignedLong(h.getInt());
    if (rows < 1 || cols < 1 || rows > MAX_SIDE || cols > MAX_SIDE) {
      throw new ImageFormatException(name + ": image shape " + rows + "x" + cols
          + " outside 1.." + MAX_SIDE);
    }
    return new Header(count, (int) rows, (int) cols);
  }

  /**
   * Copies the pixels that follow header {@code h} from {@code in} to {@code out}: exactly as
   * many bytes as it declares, else an {@link ImageFormatException} (truncated, or more).
   */
  public static void copyBody(InputStream in, Header h, OutputStream out, String name)
      throws IOException {
    long bytes = h.bodyBytes();
    byte[] chunk = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(chunk)) > 0) {
      total += n;
      if (total > bytes) {
        throw new ImageFormatException(name + ": more bytes than the " + h.count + " images of "
            + h.rows + "x" + h.cols + " its header declares");
      }
      out.write(chunk, 0, n);
    }
    if (total < bytes) {
      throw new ImageFormatException(name + ": truncated: header declares " + h.count
          + " images (" + bytes + " bytes) but only " + total + " bytes follow");
    }
  }

  /** Writes {@code images} as an uncompressed IDX file. */
  public static void write(ImageSet images, OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    writeHeader(d, images.count(), images.rows(), images.cols());
    d.write(images.pixels());
    d.flush();
  }

  /**
   * Writes the 16-byte header of an IDX file of {@code count} images (an unsigned 32-bit
   * count: up to 2^32 - 1) of rows x cols; the pixels follow.
   */
  public static void writeHeader(DataOutputStream d, long count, int rows, int cols)
      throws IOException {
    d.writeInt(MAGIC_UBYTE_3D);
    d.writeInt((int) count);
    d.writeInt(rows);
    d.writeInt(cols);
  }
}
