package io.bbans.codec.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.TinyModels;
import io.bbans.codec.model.VaeModel;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShardTest {
  static VaeModel pixel;
  static VaeModel binary;

  @BeforeAll
  static void models() {
    pixel = TinyModels.model(Likelihood.PIXEL8);
    binary = TinyModels.model(Likelihood.BERNOULLI);
  }

  @Test
  void roundTripsOverCountsAndLanes() {
    ImageSet all = TinyModels.blobs(200, 9);
    for (int lanes : new int[] {1, 2, 16, 33}) {
      for (int count : new int[] {0, 1, lanes - 1, lanes, lanes + 1, 3 * lanes + 5}) {
        ImageSet images = all.range(0, count);
        byte[] shard = ShardCodec.encode(pixel, images, lanes, 42 + lanes);
        ImageSet back = ShardCodec.decode(shard, pixel);
        assertArrayEquals(images.pixels(), back.pixels(), "lanes=" + lanes + " count=" + count);
        assertEquals(count, Shard.read(shard).count());
      }
    }
  }

  @Test
  void binaryImagesComeBackWithTheirExactValues() {
    ImageSet bits = TinyModels.blobs(70, 10).binarize(127);
    byte[] full = bits.pixels().clone();
    for (int i = 0; i < full.length; i++) {
      full[i] = (byte) (full[i] == 1 ? 255 : 0);
    }
    for (ImageSet images : new ImageSet[] {bits, new ImageSet(70, bits.rows(), bits.cols(), full)}) {
      byte[] shard = ShardCodec.encode(binary, images, 8, 1);
      assertArrayEquals(images.pixels(), ShardCodec.decode(shard, binary).pixels());
    }
    assertThrows(IllegalArgumentException.class,
        () -> ShardCodec.encode(binary, TinyModels.blobs(3, 1), 8, 1));
  }

  /**
   * Images the model does not fit (noise) would code larger than their pixels: the shard is
   * stored instead (version 2), one byte a pixel, or one bit for binary images, and comes back
   * exactly; images it fits stay coded (version 1). A stored shard is checked like any other.
   */
  @Test
  void aShardTheModelWouldEnlargeIsStoredAndComesBackExactly() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    ImageSet shape = TinyModels.blobs(1, 1);
    int dims = shape.dims();
    byte[] noise = new byte[37 * dims];
    r.nextBytes(noise);
    ImageSet images = new ImageSet(37, shape.rows(), shape.cols(), noise);
    byte[] shard = ShardCodec.encode(pixel, images, 8, 3);
    assertEquals(Shard.STORED, Shard.read(shard).version());
    assertEquals(Shard.HEADER_BYTES + noise.length + Shard.TRAILER_BYTES, shard.length);
    assertArrayEquals(noise, ShardCodec.decode(shard, pixel).pixels());
    for (int i = 0; i < shard.length; i += 5) {
      byte[] bad = shard.clone();
      bad[i] ^= 1 << (i & 7);
      assertThrows(CorruptStreamException.class,
          () -> ShardCodec.decode(bad, pixel), "byte " + i);
    }
    assertEquals(Shard.VERSION, Shard.read(ShardCodec.encode(pixel, TinyModels.blobs(50, 2), 8,
        1)).version(), "images the model fits stay coded");

    byte[] bits = new byte[3 * dims];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = (byte) (r.nextBoolean() ? 255 : 0);
    }
    ImageSet binaryNoise = new ImageSet(3, shape.rows(), shape.cols(), bits);
    byte[] packed = ShardCodec.encode(binary, binaryNoise, 4, 9);
    assertEquals(Shard.STORED, Shard.read(packed).version());
    assertEquals(Shard.HEADER_BYTES + (bits.length + 7) / 8 + Shard.TRAILER_BYTES,
        packed.length);
    assertArrayEquals(bits, ShardCodec.decode(packed, binary).pixels());
  }

  @Test
  void everyByteFlipAndTruncationIsACorruptStream() {
    byte[] shard = ShardCodec.encode(pixel, TinyModels.blobs(5, 12), 4, 3);
    for (int at = 0; at < shard.length; at++) {
      byte[] bad = shard.clone();
      bad[at] ^= (byte) 0x5A;
      assertThrows(CorruptStreamException.class, () -> ShardCodec.decode(bad, pixel),
          "flip at " + at);
    }
    for (int length = 0; length < shard.length; length++) {
      byte[] cut = Arrays.copyOf(shard, length);
      assertThrows(CorruptStreamException.class,
          () -> ShardCodec.decode(cut, pixel), "length " + length);
    }
    byte[] longer = Arrays.copyOf(shard, shard.length + 3);
    assertThrows(CorruptStreamException.class,
        () -> ShardCodec.decode(longer, pixel));
  }

  @Test
  void aShardRefusesAnotherModelNamingBoth() {
    byte[] shard = ShardCodec.encode(pixel, TinyModels.blobs(5, 13), 4, 3);
    VaeModel other = TinyModels.model(Likelihood.PIXEL8); // same training, same bytes
    assertEquals(pixel.sha256(), other.sha256(), "training is reproducible");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShardCodec.decode(shard, binary));
    assertTrue(e.getMessage().contains(pixel.sha256()) && e.getMessage().contains(binary.sha256()),
        e.getMessage());
  }

  /** The shard costs the model's code length plus a small fixed overhead, less borrowed bits. */
  @Test
  void rateIsTheCodeLengthPlusFixedOverhead() {
    ImageSet images = TinyModels.blobs(2000, 14);
    int lanes = 16;
    byte[] shard = ShardCodec.encode(pixel, images, lanes, 7);
    double codeLength = 0;
    for (int from = 0; from < images.count(); from += lanes) {
      for (double bits : CodeLength.bits(pixel.quantized(), images, from, lanes, 7)) {
        codeLength += bits;
      }
    }
    double actual = shard.length * 8.0;
    double overhead = (Shard.HEADER_BYTES + Shard.TRAILER_BYTES + 22 + 8 * lanes + 4) * 8.0;
    assertEquals(codeLength + overhead, actual, 0.02 * codeLength,
        "shard " + actual + " bits, code length " + codeLength);
  }
}
