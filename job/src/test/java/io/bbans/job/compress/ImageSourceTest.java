package io.bbans.job.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
public class ImageSourceTest {
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
  void grayAndOneBitPngsGiveTheSamplesTheyShow() throws Exception {
    int[] shape = new int[4];
    byte[] gray = ImageSource.PngFolder.decode(png(5, 9, BufferedImage.TYPE_BYTE_GRAY), "g", -1,
        -1, -1, shape);
    assertArrayEquals(new int[] {5, 9, 8, 1}, shape);
    for (int i = 0; i < 45; i++) {
      assertTrue((gray[i] & 0xFF) == (((i % 9) * 7 + i / 9) & 0xFF));
    }
    byte[] bits = ImageSource.PngFolder.decode(png(4, 4, BufferedImage.TYPE_BYTE_BINARY), "b", 4,
        4, -1, shape);
    for (int i = 0; i < 16; i++) {
      assertTrue((bits[i] & 0xFF) == ((i % 4 + i / 4) & 1) * 255, "1-bit: 0 and 255");
    }
  }

  @Test
  void otherKindWrongShapeAndHugeHeadersAreRefused() throws Exception {
    int[] shape = new int[4];
    ImageFormatException colour = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(png(4, 4, BufferedImage.TYPE_INT_RGB), "c", -1, -1,
            -1, 1, shape, null));
    assertTrue(colour.getMessage().startsWith("c: colour, the other images are grayscale"),
        colour.getMessage());
    ImageFormatException gray = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(png(4, 4, BufferedImage.TYPE_BYTE_GRAY), "g", -1, -1,
            -1, 3, shape, null));
    assertTrue(gray.getMessage().startsWith("g: grayscale, the other images are colour"),
        gray.getMessage());
    ImageFormatException wrong = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(png(4, 4, BufferedImage.TYPE_BYTE_GRAY), "w", 28, 28,
            -1, shape));
    assertTrue(wrong.getMessage().contains("but 28x28 when compress listed it"), wrong.getMessage());

    // A PNG whose header claims 200,000 x 200,000 pixels (40 GB): refused from the header.
    byte[] huge = png(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    ByteBuffer b = ByteBuffer.wrap(huge);
    b.putInt(16, 200_000).putInt(20, 200_000);
    CRC32 crc = new CRC32();
    crc.update(huge, 12, 17);
    b.putInt(29, (int) crc.getValue());
    ImageFormatException big = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(huge, "h", -1, -1, -1, shape));
    assertTrue(big.getMessage().contains("larger than 4096"), big.getMessage());

    ImageFormatException junk = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(new byte[] {1, 2, 3}, "j", -1, -1, -1, shape));
    assertTrue(junk.getMessage().contains("not a PNG"), junk.getMessage());
  }

  /** A PNG file of {@code image}, as ImageIO writes it. */
  static byte[] write(BufferedImage image, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), format);
    return out.toByteArray();
  }

  /** A grayscale image of {@code bits} bits (1, 2, 4: a gray-ramp palette, which ImageIO writes
   * as grayscale of that depth), sample (x + 2y) mod 2^bits. */
  public static BufferedImage gray(int bits, int rows, int cols) {
    int levels = 1 << bits;
    BufferedImage img;
    if (bits == 8) {
      img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
    } else if (bits == 16) {
      img = new BufferedImage(cols, rows, BufferedImage.TYPE_USHORT_GRAY);
    } else {
      byte[] ramp = new byte[levels];
      for (int v = 0; v < levels; v++) {
        ramp[v] = (byte) (v * 255 / (levels - 1));
      }
      img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_BINARY,
          new java.awt.image.IndexColorModel(bits, levels, ramp, ramp, ramp));
    }
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        img.getRaster().setSample(x, y, 0, (x + 2 * y) % levels);
      }
    }
    return img;
  }

  /** {@code png} with a chunk inserted right after its header chunk. */
  static byte[] withChunk(byte[] png, String type, byte[] data) {
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
    chunk.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .put(data);
    CRC32 crc = new CRC32();
    crc.update(chunk.array(), 4, 4 + data.length);
    chunk.putInt((int) crc.getValue());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, 33);
    out.writeBytes(chunk.array());
    out.write(png, 33, png.length - 33);
    return out.toByteArray();
  }

  /**
   * Every PNG kind: grayscale at 1, 2, 4 and 8 bits gives the samples it shows (s x 255 /
   * (2^bits - 1)); 8-bit RGB its samples, a palette image its colours; 8-bit grey with alpha
   * and RGBA their grey or colour samples, and their alpha apart; 16 bits, a transparency
   * chunk, and files that are not PNG whatever their name, are each refused in one line naming
   * the kind.
   */
  @Test
  void everyPngKindIsExactOrRefused() throws Exception {
    int[] shape = new int[4];
    for (int bits : new int[] {1, 2, 4, 8}) {
      byte[] png = write(gray(bits, 3, 5), "png");
      PngKind kind = PngKind.of(png, "k");
      assertTrue(kind.colorType == PngKind.GRAY && kind.bitDepth == bits, "written as meant");
      byte[] px = ImageSource.PngFolder.decode(png, "g" + bits, -1, -1, -1, shape);
      assertArrayEquals(new int[] {3, 5, bits, 1}, shape);
      for (int i = 0; i < 15; i++) {
        int sample = (i % 5 + 2 * (i / 5)) % (1 << bits);
        assertTrue((px[i] & 0xFF) == sample * 255 / ((1 << bits) - 1), bits + "-bit, " + i);
      }
    }
    BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
    java.awt.image.ComponentColorModel grayAlpha = new java.awt.image.ComponentColorModel(
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
        java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
    BufferedImage ga = new BufferedImage(grayAlpha, grayAlpha.createCompatibleWritableRaster(4,
        4), false, null);
    byte[] red = {(byte) 255, 0};
    byte[] none = {0, 0};
    BufferedImage palette = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_BINARY,
        new java.awt.image.IndexColorModel(1, 2, red, none, none));
    // RGB comes as its samples, a palette image as its palette's colours, three a pixel
    rgb.getRaster().setPixel(1, 2, new int[] {10, 200, 30});
    byte[] colour = ImageSource.PngFolder.decode(write(rgb, "png"), "c", -1, -1, -1, shape);
    assertArrayEquals(new int[] {4, 4, 8, 3}, shape);
    assertEquals(48, colour.length);
    assertArrayEquals(new byte[] {10, (byte) 200, 30}, java.util.Arrays.copyOfRange(colour,
        (2 * 4 + 1) * 3, (2 * 4 + 1) * 3 + 3));
    palette.getRaster().setSample(3, 0, 0, 1);
    byte[] fromPalette = ImageSource.PngFolder.decode(write(palette, "png"), "p", -1, -1, -1,
        shape);
    assertArrayEquals(new int[] {4, 4, 8, 3}, shape);
    assertArrayEquals(new byte[] {(byte) 255, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(
        fromPalette, 6, 12), "the palette's red (index 0), then its black (index 1)");
    // grey with alpha and RGBA: the grey or colour samples, the alpha samples apart
    ga.getRaster().setPixel(2, 1, new int[] {77, 130});
    ga.getRaster().setPixel(0, 3, new int[] {5, 255});
    byte[][] alpha = new byte[1][];
    byte[] grey = ImageSource.PngFolder.decode(write(ga, "png"), "ga", -1, -1, -1, -1, shape,
        alpha);
    assertArrayEquals(new int[] {4, 4, 8, 1}, shape);
    assertEquals(77, grey[4 + 2]);
    assertEquals(5, grey[12]);
    assertEquals(130, alpha[0][4 + 2] & 0xFF);
    assertEquals(255, alpha[0][12] & 0xFF);
    assertEquals(0, alpha[0][0]);
    BufferedImage rgba = new BufferedImage(4, 4, BufferedImage.TYPE_4BYTE_ABGR);
    rgba.getRaster().setPixel(3, 1, new int[] {10, 200, 30, 99});
    byte[] rgbaPng = write(rgba, "png");
    assertEquals(PngKind.RGBA, PngKind.of(rgbaPng, "k").colorType, "written as RGBA");
    byte[] colourOfRgba = ImageSource.PngFolder.decode(rgbaPng, "rgba", -1, -1, -1, -1, shape,
        alpha);
    assertArrayEquals(new int[] {4, 4, 8, 3}, shape);
    assertArrayEquals(new byte[] {10, (byte) 200, 30}, java.util.Arrays.copyOfRange(
        colourOfRgba, (4 + 3) * 3, (4 + 3) * 3 + 3));
    assertEquals(99, alpha[0][4 + 3]);
    assertEquals(16, alpha[0].length);
    ImageSource.PngFolder.decode(write(rgb, "png"), "c", -1, -1, -1, -1, shape, alpha);
    assertEquals(null, alpha[0], "no alpha channel, no alpha plane");
    BufferedImage rgba16 = new BufferedImage(new java.awt.image.ComponentColorModel(
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), true, false,
        java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_USHORT),
        java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_USHORT,
            4, 4, 4, null), false, null);
    BufferedImage rgb16 = new BufferedImage(new java.awt.image.ComponentColorModel(
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), false, false,
        java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT),
        java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_USHORT,
            4, 4, 3, null), false, null);
    Object[][] refused = {
        {write(gray(16, 4, 4), "png"), PngKind.GRAY, 16, "16-bit grayscale"},
        {write(rgb16, "png"), PngKind.RGB, 16, "16-bit RGB"},
        {withChunk(write(palette, "png"), "tRNS", new byte[] {0}), PngKind.PALETTE, 1,
            "a palette image with a transparency chunk (tRNS)"},
        {withChunk(write(rgb, "png"), "tRNS", new byte[] {0, 1, 0, 2, 0, 3}), PngKind.RGB, 8,
            "RGB with a transparency chunk (tRNS)"},
        {write(rgba16, "png"), PngKind.RGBA, 16, "16-bit RGBA"},
        {withChunk(rgbaPng, "tRNS", new byte[] {0, 1, 0, 2, 0, 3}), PngKind.RGBA, 8,
            "RGBA with a transparency chunk (tRNS), which PNG does not allow"},
        {withChunk(write(gray(8, 4, 4), "png"), "tRNS", new byte[] {0, 7}), PngKind.GRAY, 8,
            "grayscale with a transparency chunk (tRNS)"},
        {withChunk(write(gray(2, 4, 4), "png"), "tRNS", new byte[] {0, 1}), PngKind.GRAY, 2,
            "grayscale with a transparency chunk (tRNS)"}};
    for (Object[] r : refused) {
      byte[] png = (byte[]) r[0];
      PngKind kind = PngKind.of(png, "k");
      assertTrue(kind.colorType == (int) r[1] && kind.bitDepth == (int) r[2],
          "written as meant: " + r[3] + " was type " + kind.colorType + " at " + kind.bitDepth);
      ImageFormatException e = assertThrows(ImageFormatException.class,
          () -> ImageSource.PngFolder.decode(png, "x.png", -1, -1, -1, shape), (String) r[3]);
      assertTrue(e.getMessage().startsWith("x.png: " + r[3]), e.getMessage());
    }
    for (String[] other : new String[][] {{"jpg", "it is a JPEG file"},
        {"bmp", "it is a BMP file"}, {"gif", "it is a GIF file"}}) {
      ImageFormatException e = assertThrows(ImageFormatException.class,
          () -> ImageSource.PngFolder.decode(write(rgb, other[0]), "x.png", -1, -1, -1, shape));
      assertTrue(e.getMessage().equals("x.png: not a PNG file (" + other[1] + "); files are"
          + " taken by their content, not their name"), e.getMessage());
    }
    byte[] four = write(gray(4, 3, 5), "png");
    ImageFormatException mixed = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(four, "y.png", 3, 5, 8, shape));
    assertTrue(mixed.getMessage().startsWith("y.png: 4-bit grayscale, the other images are"
        + " 8-bit"), mixed.getMessage());
    ImageFormatException cut = assertThrows(ImageFormatException.class,
        () -> ImageSource.PngFolder.decode(java.util.Arrays.copyOf(four, 20), "z.png", -1, -1,
            -1, shape));
    assertTrue(cut.getMessage().contains("cut short"), cut.getMessage());
  }
}
