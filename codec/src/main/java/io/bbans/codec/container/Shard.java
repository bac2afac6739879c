package io.bbans.codec.container;

import io.bbans.codec.ans.Codec;
import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.ans.Message;
import io.bbans.codec.bitsback.VaeCodec;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.ForwardPass;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.QuantizedVae;
import io.bbans.codec.model.VaeModel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.IntConsumer;

/**
 * The shard file: one bits-back chain over a sequence of images.
 *
 * <p>Layout, big-endian: magic {@code BBANSSHD} (8 bytes); u16 format version; the model's
 * SHA-256 (32 bytes); u32 rows, cols, image count, lanes; u64 seed; u8 observation model
 * (0 Bernoulli, 1 8-bit); u8 the pixel value of a 1 for binary images (1 or 255; 0 for 8-bit);
 * u64 payload length; the payload (the flattened {@link Message}); SHA-256 of all that precedes
 * it (32 bytes).
 *
 * <p>Images are coded in batches of {@code lanes}, image {@code i} on lane {@code i % lanes},
 * the last batch on as many lanes as it has images. The chain starts from
 * {@code Message.seeded(lanes, seed)}: clean words it borrows are never stored, and the decoder
 * checks that it ends exactly there.
 *
 * <p>Version 2, <em>stored</em>, is the same layout with the images' pixels as the payload
 * instead of the chain: one byte a pixel for 8-bit images, one bit a pixel (most significant
 * first, the last byte zero-padded) for binary ones. {@link #encode} writes it where the chain
 * would be larger than that (a model that does not fit the images), so a shard is never larger
 * than its pixels plus header and checksum. Coded shards stay version 1, byte for byte.
 */
public final class Shard {
  static final byte[] MAGIC = "BBANSSHD".getBytes(StandardCharsets.US_ASCII);
  /** A coded shard: the bits-back chain. */
  public static final int VERSION = 1;
  /** A stored shard: the pixels themselves, where coding would have made them larger. */
  public static final int STORED = 2;
  static final int HEADER_BYTES = 76;
  static final int TRAILER_BYTES = 32;
  /** Bounds what a header may claim, whatever its checksum: 2^24 images, 2^30 pixels. */
  public static final int MAX_IMAGES = 1 << 24;
  public static final long MAX_PIXELS = 1L << 30;

  private Shard() {}

  /**
   * Codes {@code images} with {@code model} on {@code lanes} lanes from {@code seed}, or stores
   * them (version 2) where the coded shard would be larger than their pixels.
   */
  public static byte[] encode(VaeModel model, ImageSet images, int lanes, long seed,
      ForwardPass pass) {
    return encode(model, images, lanes, seed, pass, true, NO_PROGRESS);
  }

  /** As {@link #encode}, telling {@code progress} how many images each batch coded. */
  public static byte[] encode(VaeModel model, ImageSet images, int lanes, long seed,
      ForwardPass pass, IntConsumer progress) {
    return encode(model, images, lanes, seed, pass, true, progress);
  }

  private static final IntConsumer NO_PROGRESS = n -> { };

  /**
   * Codes {@code images} as {@link #encode} does but never stores them: the chain's own bytes,
   * whatever their size (what the golden tests pin and the benchmarks time).
   */
  public static byte[] encodeCoded(VaeModel model, ImageSet images, int lanes, long seed,
      ForwardPass pass) {
    return encode(model, images, lanes, seed, pass, false, NO_PROGRESS);
  }

  private static byte[] encode(VaeModel model, ImageSet images, int lanes, long seed,
      ForwardPass pass, boolean mayStore, IntConsumer progress) {
    QuantizedVae vae = model.quantized();
    checkShape(model, images.rows(), images.cols());
    if (lanes < 1 || lanes > Message.MAX_LANES) {
      throw new IllegalArgumentException("lanes must be in [1, " + Message.MAX_LANES + "]");
    }
    if (images.count() > MAX_IMAGES || (long) images.count() * images.dims() > MAX_PIXELS) {
      throw new IllegalArgumentException(images.count() + " images are too many for one shard;"
          + " use more partitions");
    }
    int onValue = 0;
    int[] symbols = new int[images.pixels().length];
    if (model.architecture().likelihood() == Likelihood.BERNOULLI) {
      onValue = images.binaryOnValue();
      if (onValue == 0) {
        throw new IllegalArgumentException("a bernoulli model codes binary images: every pixel"
            + " 0 or 1, or every pixel 0 or 255");
      }
      for (int i = 0; i < symbols.length; i++) {
        symbols[i] = (images.pixels()[i] & 0xFF) == 0 ? 0 : 1;
      }
    } else {
      for (int i = 0; i < symbols.length; i++) {
        symbols[i] = images.pixels()[i] & 0xFF;
      }
    }
    int dims = images.dims();
    Message m = Message.seeded(lanes, seed);
    for (int from = 0; from < images.count(); from += lanes) {
      int batch = Math.min(lanes, images.count() - from);
      VaeCodec.forBatch(vae, batch, pass)
          .push(m, Arrays.copyOfRange(symbols, from * dims, (from + batch) * dims));
      progress.accept(batch);
    }
    byte[] payload = m.flatten();
    int version = VERSION;
    long stored = storedBytes(symbols.length, onValue);
    if (mayStore && payload.length > stored) {
      payload = store(symbols, onValue);
      version = STORED;
    }
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + payload.length + TRAILER_BYTES);
    out.put(MAGIC);
    out.putShort((short) version);
    out.put(HexFormat.of().parseHex(model.sha256()));
    out.putInt(images.rows());
    out.putInt(images.cols());
    out.putInt(images.count());
    out.putInt(lanes);
    out.putLong(seed);
    out.put((byte) model.architecture().likelihood().ordinal());
    out.put((byte) onValue);
    out.putLong(payload.length);
    out.put(payload);
    out.put(Sha256.of(out.array(), out.position()));
    return out.array();
  }

  /** Bytes of a stored payload of {@code pixels}: one a pixel, or one bit for binary images. */
  static long storedBytes(long pixels, int onValue) {
    return onValue == 0 ? pixels : (pixels + 7) / 8;
  }

  private static byte[] store(int[] symbols, int onValue) {
    byte[] out = new byte[(int) storedBytes(symbols.length, onValue)];
    if (onValue == 0) {
      for (int i = 0; i < symbols.length; i++) {
        out[i] = (byte) symbols[i];
      }
    } else {
      for (int i = 0; i < symbols.length; i++) {
        out[i >>> 3] |= (byte) (symbols[i] << (7 - (i & 7)));
      }
    }
    return out;
  }

  /** Whether a shard, already checked by {@link #readHeader}, is stored rather than coded. */
  public static boolean isStored(ShardHeader h) {
    return h.version() == STORED;
  }

  private static void checkShape(VaeModel model, int rows, int cols) {
    if (rows != model.architecture().rows() || cols != model.architecture().cols()) {
      throw new IllegalArgumentException("images are " + rows + "x" + cols + ", the model codes "
          + model.architecture().rows() + "x" + model.architecture().cols());
    }
  }

  /**
   * Reads and checks a shard's header: magic, version, length and checksum. Throws
   * {@link CorruptStreamException} with the byte offset for anything a writer of this format
   * could not have produced.
   */
  public static ShardHeader readHeader(byte[] shard) {
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
    if (version != VERSION && version != STORED) {
      throw new CorruptStreamException("shard format version " + version + "; this build reads"
          + " versions " + VERSION + " and " + STORED, MAGIC.length);
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
    if (!Arrays.equals(Sha256.of(shard, shard.length - TRAILER_BYTES), 0, 32, shard,
        shard.length - TRAILER_BYTES, shard.length)) {
      throw new CorruptStreamException("shard checksum mismatch: the file is corrupt",
          shard.length - TRAILER_BYTES);
    }
    // The checksum matches, so what follows guards against a crafted file, not bit rot.
    if (rows < 1 || cols < 1 || count < 0 || count > MAX_IMAGES
        || (long) rows * cols * count > MAX_PIXELS) {
      throw new CorruptStreamException("shard claims " + count + " images of " + rows + "x" + cols
          + ", outside what one shard may hold", 42);
    }
    if (lanes < 1 || lanes > Message.MAX_LANES) {
      throw new CorruptStreamException("shard claims " + lanes + " lanes", 54);
    }
    if (likelihood >= Likelihood.values().length) {
      throw new CorruptStreamException("unknown observation model " + likelihood, 66);
    }
    Likelihood l = Likelihood.values()[likelihood];
    if (l == Likelihood.BERNOULLI ? onValue != 1 && onValue != 255 : onValue != 0) {
      throw new CorruptStreamException("bad binary pixel value " + onValue, 67);
    }
    if (version == STORED && payload != storedBytes((long) rows * cols * count, onValue)) {
      throw new CorruptStreamException("stored shard of " + count + " images of " + rows + "x"
          + cols + " has a payload of " + payload + " bytes", 68);
    }
    return new ShardHeader(version, HexFormat.of().formatHex(model), rows, cols, count, lanes,
        seed, l, onValue, payload);
  }

  /**
   * Decodes a shard with {@code model}. Refuses a shard made with another model, and throws
   * {@link CorruptStreamException} for a corrupt one: the checksum catches damage, and the final
   * check that the chain ends at its seeded start catches anything else.
   */
  public static ImageSet decode(byte[] shard, VaeModel model, ForwardPass pass) {
    return decode(shard, model, pass, NO_PROGRESS);
  }

  /** As {@link #decode}, telling {@code progress} how many images each batch decoded. */
  public static ImageSet decode(byte[] shard, VaeModel model, ForwardPass pass,
      IntConsumer progress) {
    ShardHeader h = readHeader(shard);
    if (!h.modelSha256().equals(model.sha256())) {
      throw new IllegalArgumentException("the shard was coded with model " + h.modelSha256()
          + ", not with the given model " + model.sha256());
    }
    checkShape(model, h.rows(), h.cols());
    if (h.likelihood() != model.architecture().likelihood()) {
      throw new CorruptStreamException("shard observation model " + h.likelihood().id()
          + " differs from its model's", 66);
    }
    if (isStored(h)) {
      ImageSet images = unstore(shard, h);
      progress.accept(images.count());
      return images;
    }
    Message m = Message.unflatten(Arrays.copyOfRange(shard, HEADER_BYTES,
        shard.length - TRAILER_BYTES));
    if (m.lanes() != h.lanes() || !m.isSeeded() || m.seed() != h.seed()) {
      throw new CorruptStreamException("payload lanes or seed differ from the header",
          HEADER_BYTES);
    }
    int dims = h.rows() * h.cols();
    int count = h.count();
    byte[] pixels = new byte[count * dims];
    int lanes = h.lanes();
    int last = count == 0 ? 0 : (count - 1) / lanes * lanes;
    for (int from = last; from >= 0 && count > 0; from -= lanes) {
      int batch = Math.min(lanes, count - from);
      Codec<int[]> codec = VaeCodec.forBatch(model.quantized(), batch, pass);
      int[] symbols = codec.pop(m);
      for (int i = 0; i < symbols.length; i++) {
        pixels[from * dims + i] = (byte) (h.onValue() == 0 ? symbols[i] : symbols[i] * h.onValue());
      }
      progress.accept(batch);
    }
    if (!m.equals(Message.seeded(lanes, h.seed()))) {
      throw new CorruptStreamException("the chain did not end at its seeded start: the shard is"
          + " corrupt or was coded with another model");
    }
    return new ImageSet(count, h.rows(), h.cols(), pixels);
  }

  /** The pixels of a stored shard (its payload length already checked by readHeader). */
  private static ImageSet unstore(byte[] shard, ShardHeader h) {
    int n = h.count() * h.rows() * h.cols();
    byte[] pixels = new byte[n];
    if (h.onValue() == 0) {
      System.arraycopy(shard, HEADER_BYTES, pixels, 0, n);
    } else {
      for (int i = 0; i < n; i++) {
        int bit = (shard[HEADER_BYTES + (i >>> 3)] >>> (7 - (i & 7))) & 1;
        pixels[i] = (byte) (bit * h.onValue());
      }
      int tail = n & 7;
      if (tail != 0 && (shard[HEADER_BYTES + n / 8] & (0xFF >>> tail)) != 0) {
        throw new CorruptStreamException("stored shard's padding bits are not zero",
            HEADER_BYTES + n / 8);
      }
    }
    return new ImageSet(h.count(), h.rows(), h.cols(), pixels);
  }
}
