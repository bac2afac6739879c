package io.bbans.job.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.image.ImageSet;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The alpha planes kept beside a shard: what is written reads back for the images it was
 * written for; anything else (another shard's images, cut short, bytes after, a bomb) is
 * refused in one line naming the file.
 */
class AlphaTest {
  static final ImageSet IMAGES = ImageSet.mixed(new int[] {2, 1, 3}, new int[] {3, 1, 2}, 3,
      new byte[(6 + 1 + 6) * 3]);

  static byte[][] planes() {
    return new byte[][] {{1, 2, 3, 4, 5, (byte) 255}, null, {0, 0, 9, 9, 0, 0}};
  }

  @Test
  void alphaRoundTripsAndNoneWritesNothing() {
    byte[] file = Alpha.encode(IMAGES, planes());
    assertArrayEquals(planes(), Alpha.decode(file, IMAGES, "t"));
    assertNull(Alpha.encode(IMAGES, new byte[3][]), "no image with alpha: no file");
  }

  @Test
  void anythingElseIsRefusedNamingTheFile() throws Exception {
    byte[] file = Alpha.encode(IMAGES, planes());
    ImageSet other = ImageSet.mixed(new int[] {2, 1, 3}, new int[] {3, 1, 3}, 3,
        new byte[(6 + 1 + 9) * 3]);
    ImageSet fewer = ImageSet.mixed(new int[] {2, 1}, new int[] {3, 1}, 3, new byte[7 * 3]);
    byte[] trailing = java.util.Arrays.copyOf(file, file.length + 1);
    byte[] wrongMagic = file.clone();
    wrongMagic[0] = 'X';
    byte[] version = file.clone();
    version[4] = 2;
    // three "no alpha" records, then far more bytes: bounded by the images' sizes
    byte[] bomb = file(3, new byte[3 + 50_000_000]);
    Object[][] cases = {
        {java.util.Arrays.copyOf(file, file.length - 3), IMAGES, "truncated"},
        {java.util.Arrays.copyOf(file, 7), IMAGES, "truncated"},
        {trailing, IMAGES, "bytes after the last image's alpha"},
        {file, other, "image 2's alpha is 3x2, the image 3x3"},
        {file, fewer, "alpha for 3 images, the shard holds 2"},
        {wrongMagic, IMAGES, "not an alpha file"},
        {version, IMAGES, "alpha file version 2"},
        {bomb, IMAGES, "bytes after the last image's alpha"},
        // a well-formed file whose every record says "no alpha", which no writer makes
        {file(3, new byte[3]), IMAGES, "an alpha file with no image's alpha"}};
    for (Object[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Alpha.decode((byte[]) c[0], (ImageSet) c[1], "part-00007.alpha"), (String) c[2]);
      assertTrue(e.getMessage().startsWith("part-00007.alpha: ")
          && e.getMessage().contains((String) c[2]), e.getMessage());
    }
  }

  /** An alpha file's header for {@code count} images, then zlib of {@code records}. */
  private static byte[] file(int count, byte[] records) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream head = new DataOutputStream(bytes);
    head.write(Alpha.MAGIC);
    head.writeByte(Alpha.VERSION);
    head.writeInt(count);
    try (DataOutputStream z = new DataOutputStream(new DeflaterOutputStream(bytes))) {
      z.write(records);
    }
    return bytes.toByteArray();
  }
}
