package io.bbans.job.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.image.ImageFormatException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** PNG input: exact pixels back, and a header's size checked before pixels are allocated. */
class ImageSourceTest {
  static byte[] png(int rows, int cols, int type) throws Exception {
    BufferedImage img = new BufferedImage(cols, rows, type);
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        img.getRaster().setSample(x, y, 0, type == BufferedImage.TYPE_BYTE_GRAY ? (x * 7 + y) & 0xFF : (x + y) & 1);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void grayAndOneBitPngsGiveTheirExactSamples() throws Exception {
    int[] shape = new int[2];
    byte[] gray = ImageSource.PngFolder.decode(png(5, 9, BufferedImage.TYPE_BYTE_GRAY), "g", -1,
        -1, shape);
    assertArrayEquals(new int[] {5, 9}, shape);
    for (int i = 0; i < 45; i++) {
      assertTrue((gray[i] & 0xFF) == (((i % 9) * 7 + i / 9) & 0xFF));
    }
    byte[] bits = ImageSource.PngFolder.decode(png(4, 4, BufferedImage.TYPE_BYTE_BINARY), "b", 4,
        4, shape);
    for (int i = 0; i < 16; i++) {
      assertTrue(bits[i] == ((i % 4 + i / 4) & 1));
    }
  }

  @Test
  void colourWrongShapeAndHugeHeadersAreRefused() throws Exception {
    int[] shape = new int[2];
    ImageFormatException colour = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(png(4, 4, BufferedImage.TYPE_INT_RGB), "c", -1, -1,
            shape));
    assertTrue(colour.getMessage().contains("grayscale"), colour.getMessage());
    ImageFormatException wrong = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(png(4, 4, BufferedImage.TYPE_BYTE_GRAY), "w", 28, 28,
            shape));
    assertTrue(wrong.getMessage().contains("the other images are 28x28"), wrong.getMessage());

    // A PNG whose header claims 200,000 x 200,000 pixels (40 GB): refused from the header.
    byte[] huge = png(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    ByteBuffer b = ByteBuffer.wrap(huge);
    b.putInt(16, 200_000).putInt(20, 200_000);
    CRC32 crc = new CRC32();
    crc.update(huge, 12, 17);
    b.putInt(29, (int) crc.getValue());
    ImageFormatException big = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(huge, "h", -1, -1, shape));
    assertTrue(big.getMessage().contains("larger than 4096"), big.getMessage());

    ImageFormatException junk = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(new byte[] {1, 2, 3}, "j", -1, -1, shape));
    assertTrue(junk.getMessage().contains("not a PNG"), junk.getMessage());
  }
}
