package io.bbans.codec.container;

import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.ans.Message;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.util.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The shard file format, and only the format: {@code ShardCodec} codes the images and calls
 * {@link #write}; {@link #read} parses and checks a file in one pass over its bytes.
 *
 * <p>Layout, big-endian: magic {@code BBANSSHD} (8 bytes); u16 format version; the model's
 * SHA-256 (32 bytes); u32 rows, cols, image count, lanes; u64 seed; u8 observation model
 * (0 Bernoulli, 1 8-bit); u8 the pixel value of a 1 for binary images (1 or 255; 0 for 8-bit);
 * u64 payload length; the payload (the flattened {@link Message} of
 * {@code bitsback.Chain}); SHA-256 of all that precedes it (32 bytes).
 *
 * <p>Version 2, <em>stored</em>, is the same layout with the images' pixels as the payload
 * instead of the chain: one byte a pixel for 8-bit images, one bit a pixel (most significant
 * first, the last byte zero-padded) for binary ones, written where the chain would be larger
 * than that (a model that does not fit the images), so a shard is never larger
 * than its pixels plus header and checksum. Coded shards stay version 1, byte for byte.
 *
 * <p>Versions 3 (coded) and 4 (stored) hold images of any sizes, coded as tiles of the model's
 * size: rows and cols in the header are the tile's, and the payload starts with the images'
 * sizes, as runs of LEB128 unsigned varints {@code (images, rows, cols)} (one run for a set of
 * one size; adjacent runs differ), then the chain or the stored pixels (one image after
 * another, row-major). Images of the model's own size are still written as version 1 or 2.
 *
 * <p>Version 5 is version 3 whose chain codes each tile with a setting of its scale that the
 * encoder picked for it ({@code bitsback.TileScale}, 6 or 8 bits after the tile's pixels),
 * written for images coded as tiles by a model of 8-bit pixels with a context head on tiles of
 * at least 256 samples; other models still write version 3. Builds before it refuse it by its
 * number.
 *
 * <p>Version 6 is version 5 whose settings carry 4 bits more, the strengths of each pixel's
 * error feedback ({@code bitsback.Feedback}; 10 or 12 bits a tile): what this build writes
 * where it wrote version 5. It reads versions 3 and 5 as before.
 *
 * <p>Colour (RGB) shards are always versions 3, 4 or 5, with observation model 2 (8-bit RGB, which
 * older builds refuse as unknown): the sizes are in pixels, the stored payload holds each
 * pixel's R, G and B bytes in turn.
 */
public final class Shard {
  static final byte[] MAGIC = "BBANSSHD".getBytes(StandardCharsets.US_ASCII);
  /** A coded shard: the bits-back chain. */
  public static final int VERSION = 1;
  /** A stored shard: the pixels themselves, where coding would have made them larger. */
  public static final int STORED = 2;
  /** A coded shard of images of any sizes, as tiles of the model's size. */
  public static final int TILED = 3;
  /** A stored shard of images of any sizes. */
  public static final int TILED_STORED = 4;
  /** A coded shard of images of any sizes whose tiles each carry a scale (TileScale). */
  public static final int TILED_SCALED = 5;
  /** Version 5 whose tiles' settings also carry their error feedback's strengths. */
  public static final int TILED_FEEDBACK = 6;
  /** The newest version this build reads. */
  public static final int NEWEST = TILED_FEEDBACK;
  public static final int HEADER_BYTES = 76;
  static final int TRAILER_BYTES = 32;
  /** Bounds what a header may claim, whatever its checksum: 2^24 images, 2^30 pixels. */
  public static final int MAX_IMAGES = 1 << 24;
  public static final long MAX_PIXELS = 1L << 30;
  /** Bounds the chain's work a header may claim: 2^22 tiles of the model's size. */
  public static final long MAX_TILES = 1L << 22;
  /** The observation-model byte of an RGB shard (8-bit samples, three a pixel). */
  static final int RGB = 2;

  private Shard() {}

  /**
   * The shard file of a payload: {@code version} {@link #VERSION} for a flattened message,
   * {@link #STORED} for {@link #storedPayload}.
   */
  public static byte[] write(int version, String modelSha256, int rows, int cols, int count,
      int lanes, long seed, Likelihood likelihood, int onValue, byte[] payload) {
    return write(version, modelSha256, rows, cols, count, lanes, seed, likelihood.ordinal(),
        onValue, payload);
  }

  private static byte[] write(int version, String modelSha256, int rows, int cols, int count,
      int lanes, long seed, int observation, int onValue, byte[] payload) {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payload.length + TRAILER_BYTES);
    out.put(MAGIC);
    out.putShort((short) version);
    out.put(HexFormat.of().parseHex(modelSha256));
    out.putInt(rows);
    out.putInt(cols);
    out.putInt(count);
    out.putInt(lanes);
    out.putLong(seed);
    out.put((byte) observation);
    out.put((byte) onValue);
    out.putLong(payload.length);
    out.put(payload);
    out.put(Sha256.of(out.array(), out.position()));
    return out.array();
  }

  /**
   * The shard file of images of any sizes ({@link #TILED} or {@link #TILED_STORED}):
   * {@code tileRows x tileCols} is the model's size, {@code body} the flattened message or the
   * stored pixels, written after the sizes.
   */
  public static byte[] writeTiled(boolean stored, String modelSha256, int tileRows,
      int tileCols, int[] rows, int[] cols, int lanes, long seed, Likelihood likelihood,
      int onValue, byte[] body) {
    return writeTiled(stored ? TILED_STORED : TILED, modelSha256, tileRows, tileCols, rows,
        cols, 1, lanes, seed, likelihood, onValue, body);
  }

  /**
   * As the above for images of {@code channels} samples a pixel (3: RGB, 8-bit), as
   * {@code version} {@link #TILED}, {@link #TILED_STORED}, {@link #TILED_SCALED} or
   * {@link #TILED_FEEDBACK} (both 8-bit).
   */
  public static byte[] writeTiled(int version, String modelSha256, int tileRows,
      int tileCols, int[] rows, int[] cols, int channels, int lanes, long seed,
      Likelihood likelihood, int onValue, byte[] body) {
    if (channels != 1 && (channels != 3 || likelihood != Likelihood.PIXEL8)) {
      throw new IllegalArgumentException(channels + " channels of " + likelihood.id());
    }
    if (version != TILED && version != TILED_STORED
        && (!isTileScaled(version) || likelihood != Likelihood.PIXEL8)) {
      throw new IllegalArgumentException("no tiled shard version " + version + " of "
          + likelihood.id());
    }
    java.io.ByteArrayOutputStream table = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < rows.length; ) {
      int j = i;
      while (j < rows.length && rows[j] == rows[i] && cols[j] == cols[i]) {
        j++;
      }
      varint(table, j - i);
      varint(table, rows[i]);
      varint(table, cols[i]);
      i = j;
    }
    byte[] payload = new byte[table.size() + body.length];
    System.arraycopy(table.toByteArray(), 0, payload, 0, table.size());
    System.arraycopy(body, 0, payload, table.size(), body.length);
    return write(version, modelSha256, tileRows, tileCols, rows.length, lanes, seed,
        channels == 3 ? RGB : likelihood.ordinal(), onValue, payload);
  }

  private static void varint(java.io.ByteArrayOutputStream out, int v) {
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  /** Bytes of a stored payload of {@code pixels}: one a pixel, or one bit for binary images. */
  static long storedBytes(long pixels, int onValue) {
    return onValue == 0 ? pixels : (pixels + 7) / 8;
  }

  /** Bytes of the stored payload of {@code count} images of {@code dims} pixels. */
  public static long storedBytes(int count, int dims, int onValue) {
    return storedBytes((long) count * dims, onValue);
  }

  /** The stored payload of images: their bytes, or for binary ones a bit a pixel. */
  public static byte[] storedPayload(ImageSet images, int onValue) {
    byte[] pixels = images.pixels();
    if (onValue == 0) {
      return pixels.clone();
    }
    byte[] out = new byte[(int) storedBytes(pixels.length, onValue)];
    for (int i = 0; i < pixels.length; i++) {
      int bit = pixels[i] == 0 ? 0 : 1;
      out[i >>> 3] |= (byte) (bit << (7 - (i & 7)));
    }
    return out;
  }

  /** Whether a shard, already checked by {@link #read}, is stored rather than coded. */
  public static boolean isStored(ShardHeader h) {
    return h.version() == STORED || h.version() == TILED_STORED;
  }

  /** Whether a shard holds images of any sizes, as tiles ({@link ShardHeader#sizes}). */
  public static boolean isTiled(ShardHeader h) {
    return isTiled(h.version());
  }

  private static boolean isTiled(int version) {
    return version == TILED || version == TILED_STORED || isTileScaled(version);
  }

  private static boolean isTileScaled(int version) {
    return version == TILED_SCALED || version == TILED_FEEDBACK;
  }

  /**
   * Whether a shard's chain codes each tile with its setting ({@link #TILED_SCALED} or
   * {@link #TILED_FEEDBACK}).
   */
  public static boolean isTileScaled(ShardHeader h) {
    return isTileScaled(h.version());
  }

  /** Whether its tiles' settings carry the error feedback's strengths ({@link #TILED_FEEDBACK}). */
  public static boolean hasFeedback(ShardHeader h) {
    return h.version() == TILED_FEEDBACK;
  }

  /**
   * Reads and checks a shard's header: magic, version, length and checksum, in one pass over
   * the bytes that also gives the whole file's SHA-256 ({@link ShardHeader#fileSha256}, what a
   * manifest names it by). Throws {@link CorruptStreamException} with the byte offset for
   * anything a writer of this format could not have produced.
   */
  public static ShardHeader read(byte[] shard) {
    if (shard.length < MAGIC.length
        || !Arrays.equals(MAGIC, 0, MAGIC.length, shard, 0, MAGIC.length)) {
      throw new CorruptStreamException("not a bbans shard (wrong magic)", 0);
    }
    if (shard.length < HEADER_BYTES + TRAILER_BYTES) {
      throw new CorruptStreamException("truncated shard: " + shard.length + " bytes, the header"
          + " and checksum alone take " + (HEADER_BYTES + TRAILER_BYTES), shard.length);
    }
    ByteBuffer in = ByteBuffer.wrap(shard);
    in.position(MAGIC.length);
    int version = in.getShort() & 0xFFFF;
    if (version < VERSION || version > NEWEST) {
      throw new CorruptStreamException("shard format version " + version + "; this build reads"
          + " versions " + VERSION + " to " + NEWEST, MAGIC.length);
    }
    byte[] model = new byte[32];
    in.get(model);
    int rows = in.getInt();
    int cols = in.getInt();
    int count = in.getInt();
    int lanes = in.getInt();
    long seed = in.getLong();
    int likelihood = in.get() & 0xFF;
    int onValue = in.get() & 0xFF;
    long payload = in.getLong();
    long present = shard.length - HEADER_BYTES - TRAILER_BYTES;
    if (payload != present) {
      throw new CorruptStreamException("shard declares a payload of " + payload + " bytes but "
          + present + " are present (truncated or extended)", 68);
    }
    MessageDigest sha = Sha256.digest();
    sha.update(shard, 0, shard.length - TRAILER_BYTES);
    byte[] body;
    try {
      body = ((MessageDigest) sha.clone()).digest();
    } catch (CloneNotSupportedException e) {
      body = Sha256.of(shard, shard.length - TRAILER_BYTES);
    }
    sha.update(shard, shard.length - TRAILER_BYTES, TRAILER_BYTES);
    String fileSha256 = HexFormat.of().formatHex(sha.digest());
    if (!Arrays.equals(body, 0, 32, shard, shard.length - TRAILER_BYTES, shard.length)) {
      throw new CorruptStreamException("shard checksum mismatch: the file is corrupt",
          shard.length - TRAILER_BYTES);
    }
    // The checksum matches, so what follows guards against a crafted file, not bit rot.
    boolean tiled = isTiled(version);
    // each image of a tiled shard is at least one tile
    if (rows < 1 || cols < 1 || count < 0 || count > MAX_IMAGES || (long) rows * cols > MAX_PIXELS
        || (!tiled && (long) rows * cols * count > MAX_PIXELS) || (tiled && count > MAX_TILES)) {
      throw new CorruptStreamException("shard claims " + count + " images of " + rows + "x" + cols
          + ", outside what one shard may hold", 42);
    }
    if (lanes < 1 || lanes > Message.MAX_LANES) {
      throw new CorruptStreamException("shard claims " + lanes + " lanes", 54);
    }
    int channels = 1;
    if (likelihood == RGB && tiled) {
      channels = 3;
      likelihood = Likelihood.PIXEL8.ordinal();
    } else if (likelihood >= Likelihood.values().length) {
      throw new CorruptStreamException("unknown observation model " + likelihood, 66);
    }
    Likelihood l = Likelihood.values()[likelihood];
    if (isTileScaled(version) && l != Likelihood.PIXEL8) {
      throw new CorruptStreamException("a shard of tiles with their scales holds 8-bit pixels,"
          + " not " + l.id(), 66);
    }
    if (l == Likelihood.BERNOULLI ? onValue != 1 && onValue != 255 : onValue != 0) {
      throw new CorruptStreamException("bad binary pixel value " + onValue, 67);
    }
    if (version == STORED && payload != storedBytes((long) rows * cols * count, onValue)) {
      throw new CorruptStreamException("stored shard of " + count + " images of " + rows + "x"
          + cols + " has a payload of " + payload + " bytes", 68);
    }
    int[][] sizes = null;
    int bodyAt = HEADER_BYTES;
    if (tiled) {
      sizes = new int[2][];
      bodyAt = readSizes(shard, count, rows, cols, channels, sizes);
    }
    ShardHeader h = new ShardHeader(version, HexFormat.of().formatHex(model), rows, cols, count,
        lanes, seed, l, onValue, channels, payload, fileSha256, sizes, bodyAt);
    if (version == TILED_STORED
        && shard.length - TRAILER_BYTES - bodyAt != storedBytes(h.pixels(), onValue)) {
      throw new CorruptStreamException("stored shard of " + h.pixels() + " samples has "
          + (shard.length - TRAILER_BYTES - bodyAt) + " bytes of them", bodyAt);
    }
    return h;
  }

  /**
   * Reads the sizes of a tiled shard's images into {@code sizes} (heights, widths) and returns
   * where its body starts; refuses sizes no writer makes (an empty or repeated run, a side out
   * of range, more images, pixels or tiles of {@code tileRows x tileCols} than a shard holds).
   */
  private static int readSizes(byte[] shard, int count, int tileRows, int tileCols,
      int channels, int[][] sizes) {
    int end = shard.length - TRAILER_BYTES;
    int[] at = {HEADER_BYTES};
    int[] rows = new int[count];
    int[] cols = new int[count];
    long pixels = 0;
    long tiles = 0;
    for (int i = 0; i < count; ) {
      int start = at[0];
      long n = readVarint(shard, at, end);
      long r = readVarint(shard, at, end);
      long c = readVarint(shard, at, end);
      if (n < 1 || n > count - i || r < 1 || c < 1 || r > ImageSet.MAX_SIDE
          || c > ImageSet.MAX_SIDE || (i > 0 && r == rows[i - 1] && c == cols[i - 1])) {
        throw new CorruptStreamException("bad run of image sizes: " + n + " images of " + r
            + "x" + c, start);
      }
      pixels += n * r * c * channels;
      tiles += n * ((r + tileRows - 1) / tileRows) * ((c + tileCols - 1) / tileCols);
      if (pixels > MAX_PIXELS || tiles > MAX_TILES) {
        throw new CorruptStreamException("shard claims more pixels or tiles than a shard may"
            + " hold", start);
      }
      java.util.Arrays.fill(rows, i, i + (int) n, (int) r);
      java.util.Arrays.fill(cols, i, i + (int) n, (int) c);
      i += (int) n;
    }
    sizes[0] = rows;
    sizes[1] = cols;
    return at[0];
  }

  /** An unsigned LEB128 varint of at most five bytes, below 2^31, before {@code end}. */
  private static long readVarint(byte[] b, int[] at, int end) {
    long v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (at[0] >= end) {
        throw new CorruptStreamException("truncated image sizes", at[0]);
      }
      int x = b[at[0]++] & 0xFF;
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        if (v > Integer.MAX_VALUE || (x == 0 && shift > 0)) {
          throw new CorruptStreamException("bad varint in image sizes", at[0] - 1);
        }
        return v;
      }
    }
    throw new CorruptStreamException("varint too long in image sizes", at[0]);
  }

  /** The payload of a shard {@link #read} has checked. */
  public static byte[] payload(byte[] shard) {
    return Arrays.copyOfRange(shard, HEADER_BYTES, shard.length - TRAILER_BYTES);
  }

  /** The payload after the image sizes (the whole payload but in a tiled shard). */
  public static byte[] body(byte[] shard, ShardHeader h) {
    return Arrays.copyOfRange(shard, h.bodyOffset(), shard.length - TRAILER_BYTES);
  }

  /** The pixels of a stored shard (its payload length already checked by {@link #read}). */
  public static ImageSet unstore(byte[] shard, ShardHeader h) {
    int n = (int) h.pixels();
    int at = h.bodyOffset();
    byte[] pixels = new byte[n];
    if (h.onValue() == 0) {
      System.arraycopy(shard, at, pixels, 0, n);
    } else {
      for (int i = 0; i < n; i++) {
        int bit = (shard[at + (i >>> 3)] >>> (7 - (i & 7))) & 1;
        pixels[i] = (byte) (bit * h.onValue());
      }
      int tail = n & 7;
      if (tail != 0 && (shard[at + n / 8] & (0xFF >>> tail)) != 0) {
        throw new CorruptStreamException("stored shard's padding bits are not zero",
            at + n / 8);
      }
    }
    return isTiled(h) ? ImageSet.mixed(h.sizes()[0], h.sizes()[1], h.channels(), pixels)
        : new ImageSet(h.count(), h.rows(), h.cols(), pixels);
  }
}
