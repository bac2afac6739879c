package io.bbans.codec;

import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.ans.Message;
import io.bbans.codec.bitsback.Chain;
import io.bbans.codec.bitsback.TileScale;
import io.bbans.codec.bitsback.Tiles;
import io.bbans.codec.container.Shard;
import io.bbans.codec.container.ShardHeader;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Architecture;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.VaeModel;
import java.util.function.IntConsumer;

/**
 * Images to a shard file and back: a model ({@code model}) and its bits-back chain
 * ({@code bitsback}) code the images, the container ({@code container}) frames the result.
 * The packages depend one way: {@code ans} (the message and distributions) below
 * {@code model} (parameters only), below {@code bitsback} (codecs and the chain), with
 * {@code container} (the file format) beside; this class is the one place that joins them.
 */
public final class ShardCodec {
  private static final IntConsumer NO_PROGRESS = n -> { };

  private ShardCodec() {}

  /**
   * Codes {@code images} with {@code model} on {@code lanes} lanes from {@code seed}, or stores
   * them ({@link Shard#STORED}) where the coded shard would be larger than their pixels.
   */
  public static byte[] encode(VaeModel model, ImageSet images, int lanes, long seed) {
    return encode(model, images, lanes, seed, true, TileScale.Kind.NEWEST, NO_PROGRESS);
  }

  /** As {@link #encode}, telling {@code progress} how many images each batch coded. */
  public static byte[] encode(VaeModel model, ImageSet images, int lanes, long seed,
      IntConsumer progress) {
    return encode(model, images, lanes, seed, true, TileScale.Kind.NEWEST, progress);
  }

  /**
   * Codes {@code images} as {@link #encode} does but never stores them: the chain's own bytes,
   * whatever their size (what the golden tests pin and the benchmarks time).
   */
  public static byte[] encodeCoded(VaeModel model, ImageSet images, int lanes, long seed) {
    return encode(model, images, lanes, seed, false, TileScale.Kind.NEWEST, NO_PROGRESS);
  }

  /**
   * As {@link #encodeCoded(VaeModel, ImageSet, int, long)}, tiles with at most what
   * {@code kind} says they carry, as older builds wrote them: NONE for shard version 3, SCALE
   * for version 5.
   */
  public static byte[] encodeCoded(VaeModel model, ImageSet images, int lanes, long seed,
      TileScale.Kind kind) {
    return encode(model, images, lanes, seed, false, kind, NO_PROGRESS);
  }

  private static byte[] encode(VaeModel model, ImageSet images, int lanes, long seed,
      boolean mayStore, TileScale.Kind most, IntConsumer progress) {
    Architecture a = model.architecture();
    if (images.count() == 0) { // no sizes to keep: a shard of the model's size, as ever
      checkShape(model, images.rows(), images.cols());
    }
    if (images.channels() != a.channels()) {
      throw new IllegalArgumentException("the images are " + channelText(images.channels())
          + ", the model codes " + channelText(a.channels()));
    }
    // images of the model's size are written as they always were; any other sizes, and colour,
    // as tiles
    boolean ownSize = Tiles.ownSize(a, images);
    if (lanes < 1 || lanes > Message.MAX_LANES) {
      throw new IllegalArgumentException("lanes must be in [1, " + Message.MAX_LANES + "]");
    }
    int[][] sizes = images.sizes();
    if (images.count() > Shard.MAX_IMAGES || images.pixelCount() > Shard.MAX_PIXELS
        || (!ownSize && Tiles.count(sizes[0], sizes[1], a.rows(), a.cols()) > Shard.MAX_TILES)) {
      throw new IllegalArgumentException(images.count() + " images are too many for one shard;"
          + " use more partitions");
    }
    Likelihood likelihood = a.likelihood();
    int onValue = 0;
    if (likelihood == Likelihood.BERNOULLI) {
      onValue = images.binaryOnValue();
      if (onValue == 0) {
        throw new IllegalArgumentException("a bernoulli model codes binary images: every pixel"
            + " 0 or 1, or every pixel 0 or 255");
      }
    }
    // tiles carry their settings where the model can use them (shard versions 5 and 6)
    TileScale.Kind kind = TileScale.used(a, images) ? most : TileScale.Kind.NONE;
    byte[] payload = Chain.encode(model.quantized(), images, onValue != 0, lanes, seed,
        kind, progress).flatten();
    boolean stored = mayStore
        && payload.length > Shard.storedBytes(1, (int) images.pixelCount(), onValue);
    if (stored) {
      payload = Shard.storedPayload(images, onValue);
    }
    if (ownSize) {
      return Shard.write(stored ? Shard.STORED : Shard.VERSION, model.sha256(), a.rows(),
          a.cols(), images.count(), lanes, seed, likelihood, onValue, payload);
    }
    int version = stored ? Shard.TILED_STORED : switch (kind) {
      case NONE -> Shard.TILED;
      case SCALE -> Shard.TILED_SCALED;
      case FEEDBACK -> Shard.TILED_FEEDBACK;
    };
    return Shard.writeTiled(version, model.sha256(), a.rows(), a.cols(), sizes[0], sizes[1],
        a.channels(), lanes, seed, likelihood, onValue, payload);
  }

  private static String channelText(int channels) {
    return channels == 1 ? "grayscale" : channels == 3 ? "RGB" : channels + "-channel";
  }

  private static void checkShape(VaeModel model, int rows, int cols) {
    if (rows != model.architecture().rows() || cols != model.architecture().cols()) {
      throw new IllegalArgumentException("images are " + rows + "x" + cols + ", the model codes "
          + model.architecture().rows() + "x" + model.architecture().cols());
    }
  }

  /**
   * Decodes a shard with {@code model}. Refuses a shard made with another model, and throws
   * {@link CorruptStreamException} for a corrupt one: the checksum catches damage, and the final
   * check that the chain ends at its seeded start catches anything else.
   */
  public static ImageSet decode(byte[] shard, VaeModel model) {
    return decode(Shard.read(shard), shard, model, NO_PROGRESS);
  }

  /**
   * As {@link #decode(byte[], VaeModel)} for a shard whose header {@link Shard#read} has
   * already read and checked, telling {@code progress} how many images each batch decoded.
   */
  public static ImageSet decode(ShardHeader h, byte[] shard, VaeModel model,
      IntConsumer progress) {
    if (!h.modelSha256().equals(model.sha256())) {
      throw new IllegalArgumentException("the shard was coded with model " + h.modelSha256()
          + ", not with the given model " + model.sha256());
    }
    checkShape(model, h.rows(), h.cols());
    if (h.likelihood() != model.architecture().likelihood()
        || h.channels() != model.architecture().channels()) {
      throw new CorruptStreamException("shard observation model " + h.likelihood().id()
          + " differs from its model's", 66);
    }
    if (Shard.isStored(h)) {
      ImageSet images = Shard.unstore(shard, h);
      progress.accept(images.count());
      return images;
    }
    Message m = Message.unflatten(Shard.body(shard, h));
    if (m.lanes() != h.lanes() || !m.isSeeded() || m.seed() != h.seed()) {
      throw new CorruptStreamException("payload lanes or seed differ from the header",
          h.bodyOffset());
    }
    if (Shard.isTileScaled(h) && !TileScale.applies(model.architecture())) {
      throw new CorruptStreamException("the shard codes tiles with their scales, which its"
          + " model cannot (it needs a context head and tiles of at least "
          + TileScale.MIN_SAMPLES + " samples)", 8);
    }
    if (Shard.isTiled(h)) {
      TileScale.Kind kind = Shard.hasFeedback(h) ? TileScale.Kind.FEEDBACK
          : Shard.isTileScaled(h) ? TileScale.Kind.SCALE : TileScale.Kind.NONE;
      return Chain.decode(model.quantized(), m, h.sizes()[0], h.sizes()[1], h.onValue(), kind,
          progress);
    }
    return Chain.decode(model.quantized(), m, h.count(), h.rows(), h.cols(), h.onValue(),
        progress);
  }
}
