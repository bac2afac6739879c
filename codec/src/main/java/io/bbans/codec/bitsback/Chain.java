package io.bbans.codec.bitsback;

import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.ans.Message;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Architecture;
import io.bbans.codec.model.Context;
import io.bbans.codec.model.QuantizedVae;
import java.util.function.IntConsumer;

/**
 * One bits-back chain over a sequence of images: images are coded in batches of {@code lanes},
 * image {@code i} on lane {@code i % lanes}, the last batch on as many lanes as it has images.
 * The chain starts from {@code Message.seeded(lanes, seed)}: clean words it borrows are never
 * stored, and decoding checks that it ends exactly there.
 */
public final class Chain {
  private Chain() {}

  /**
   * Images {@code from..from+batch} as one batch's symbols, lane-major ({@code [pixel][lane]}):
   * the pixel values, or for a binary model 0 for a 0 and 1 for anything else.
   */
  public static int[] symbols(ImageSet images, int from, int batch, boolean binary) {
    int d = images.dims();
    byte[] pixels = images.pixels();
    int[] symbols = new int[d * batch];
    for (int b = 0; b < batch; b++) {
      int at = (from + b) * d;
      for (int p = 0; p < d; p++) {
        int v = pixels[at + p] & 0xFF;
        symbols[p * batch + b] = binary ? (v == 0 ? 0 : 1) : v;
      }
    }
    return symbols;
  }

  /**
   * Codes {@code images} onto a message seeded with {@code seed}, telling {@code progress} how
   * many images each batch finished. Images of any size: the chain codes their tiles of the
   * model's size ({@link Tiles}), tile {@code t} on lane {@code t % lanes}; an image of the
   * model's size is one tile.
   */
  public static Message encode(QuantizedVae vae, ImageSet images, boolean binary, int lanes,
      long seed, IntConsumer progress) {
    return encode(vae, images, binary, lanes, seed, TileScale.Kind.NONE, progress);
  }

  /**
   * As {@link #encode(QuantizedVae, ImageSet, boolean, int, long, IntConsumer)}, with each
   * tile's setting of {@code kind} ({@link TileScale}).
   */
  public static Message encode(QuantizedVae vae, ImageSet images, boolean binary, int lanes,
      long seed, TileScale.Kind kind, IntConsumer progress) {
    Architecture a = vae.architecture();
    if (images.channels() != a.channels()) {
      throw new IllegalArgumentException("images of " + images.channels()
          + " channels for a model of " + a.channels());
    }
    Tiles tiles = Tiles.of(images, a.rows(), a.cols());
    Tiles.Schedule schedule = tiles.schedule(lanes, a.tileContext());
    Message m = Message.seeded(lanes, seed);
    int done = 0;
    for (int e = 0; e < schedule.batches(); e++) {
      Tiles.Batch tb = schedule.batch(e);
      VaeCodec.forBatch(vae, tb.size(), tb.padding(), frames(a, tb, images.pixels()), kind)
          .push(m, tb.symbols(images, binary));
      int now = schedule.imagesCoded(e);
      progress.accept(now - done);
      done = now;
    }
    return m;
  }

  /** A tile-context model's frames of a batch's tiles from {@code pixels}; else null. */
  static int[] frames(Architecture a, Tiles.Batch tb, byte[] pixels) {
    return a.tileContext() ? tb.frames(pixels, Context.frameTop(a), Context.frameSide(a)) : null;
  }

  /**
   * Decodes {@code count} images of {@code rows x cols} off {@code m}, the batches in reverse,
   * and checks that the chain ends at its seeded start. For a binary model a 1 becomes
   * {@code onValue}.
   */
  public static ImageSet decode(QuantizedVae vae, Message m, int count, int rows, int cols,
      int onValue, IntConsumer progress) {
    int[] r = new int[count];
    int[] c = new int[count];
    java.util.Arrays.fill(r, rows);
    java.util.Arrays.fill(c, cols);
    ImageSet images = decode(vae, m, r, c, onValue, progress);
    return count == 0 ? new ImageSet(0, rows, cols, vae.architecture().channels(), new byte[0])
        : images;
  }

  /**
   * Decodes images of the given sizes off {@code m}, the batches in reverse, and checks that
   * the chain ends at its seeded start. For a binary model a 1 becomes {@code onValue}.
   */
  public static ImageSet decode(QuantizedVae vae, Message m, int[] rows, int[] cols,
      int onValue, IntConsumer progress) {
    return decode(vae, m, rows, cols, onValue, TileScale.Kind.NONE, progress);
  }

  /** As the above, for a chain coded with each tile's setting of {@code kind}. */
  public static ImageSet decode(QuantizedVae vae, Message m, int[] rows, int[] cols,
      int onValue, TileScale.Kind kind, IntConsumer progress) {
    Architecture a = vae.architecture();
    int lanes = m.lanes();
    long seed = m.seed();
    Tiles tiles = Tiles.of(rows, cols, a.channels(), a.rows(), a.cols());
    Tiles.Schedule schedule = tiles.schedule(lanes, a.tileContext());
    byte[] pixels = new byte[(int) tiles.pixels()];
    int one = onValue == 0 ? 1 : onValue;
    int done = 0;
    for (int e = schedule.batches() - 1; e >= 0; e--) {
      Tiles.Batch tb = schedule.batch(e);
      tb.place(VaeCodec.forBatch(vae, tb.size(), tb.padding(), frames(a, tb, pixels), kind)
          .pop(m), pixels, one);
      int now = schedule.imagesDecoded(e);
      progress.accept(now - done);
      done = now;
    }
    if (!m.equals(Message.seeded(lanes, seed))) {
      throw new CorruptStreamException("the chain did not end at its seeded start: the shard is"
          + " corrupt or was coded with another model");
    }
    return ImageSet.mixed(rows, cols, a.channels(), pixels);
  }
}
