package io.bbans.codec.bitsback;

import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.ans.Message;
import io.bbans.codec.image.ImageSet;
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

  /** Codes {@code images} onto a message seeded with {@code seed}, telling each batch's size. */
  public static Message encode(QuantizedVae vae, ImageSet images, boolean binary, int lanes,
      long seed, IntConsumer progress) {
    Message m = Message.seeded(lanes, seed);
    for (int from = 0; from < images.count(); from += lanes) {
      int batch = Math.min(lanes, images.count() - from);
      VaeCodec.forBatch(vae, batch).push(m, symbols(images, from, batch, binary));
      progress.accept(batch);
    }
    return m;
  }

  /**
   * Decodes {@code count} images of {@code rows x cols} off {@code m}, the batches in reverse,
   * and checks that the chain ends at its seeded start. For a binary model a 1 becomes
   * {@code onValue}.
   */
  public static ImageSet decode(QuantizedVae vae, Message m, int count, int rows, int cols,
      int onValue, IntConsumer progress) {
    int lanes = m.lanes();
    long seed = m.seed();
    int dims = rows * cols;
    byte[] pixels = new byte[count * dims];
    int one = onValue == 0 ? 1 : onValue;
    int last = count == 0 ? 0 : (count - 1) / lanes * lanes;
    for (int from = last; from >= 0 && count > 0; from -= lanes) {
      int batch = Math.min(lanes, count - from);
      int[] symbols = VaeCodec.forBatch(vae, batch).pop(m);
      for (int b = 0; b < batch; b++) {
        int at = (from + b) * dims;
        for (int p = 0; p < dims; p++) {
          pixels[at + p] = (byte) (symbols[p * batch + b] * one);
        }
      }
      progress.accept(batch);
    }
    if (!m.equals(Message.seeded(lanes, seed))) {
      throw new CorruptStreamException("the chain did not end at its seeded start: the shard is"
          + " corrupt or was coded with another model");
    }
    return new ImageSet(count, rows, cols, pixels);
  }
}
