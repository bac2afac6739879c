package io.bbans.job.compress;

import io.bbans.codec.image.ImageFormatException;
import java.nio.ByteBuffer;

/**
 * What a PNG file holds, from its own bytes (never its name): the signature, the header chunk
 * (size, bit depth, colour type) and whether a transparency chunk comes before the image data.
 * {@link #refusal} says, in words for one line, why a kind cannot come back exactly here.
 *
 * <p>Grayscale at 1, 2, 4 and 8 bits is coded; "exactly" means the samples a PNG decoder gives
 * at the file's own bit depth: a 2-bit image comes back as a 2-bit image with the same values.
 * 8-bit RGB is coded as RGB, and a palette image as the RGB colours its palette gives each
 * pixel (it comes back as an 8-bit RGB PNG showing the same colours). 8-bit grey with alpha
 * and RGBA are coded as grey and RGB, their alpha samples kept beside the shard exactly
 * ({@code archive.Alpha}): they come back as 8-bit grey with alpha and RGBA. Everything else is
 * refused before any work: 16-bit samples (the models code 8 bits) and a transparency chunk
 * (the transparency would not come back).
 */
public final class PngKind {
  static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  static final int GRAY = 0;
  static final int RGB = 2;
  static final int PALETTE = 3;
  static final int GRAY_ALPHA = 4;
  static final int RGBA = 6;

  final int width;
  final int height;
  final int bitDepth;
  final int colorType;
  final boolean transparency;

  private PngKind(int width, int height, int bitDepth, int colorType, boolean transparency) {
    this.width = width;
    this.height = height;
    this.bitDepth = bitDepth;
    this.colorType = colorType;
    this.transparency = transparency;
  }

  /**
   * Reads the kind of PNG {@code bytes} (the whole file, or as much of its start as holds the
   * chunks before the image data); a file that is not a PNG is refused, naming what it is.
   */
  static PngKind of(byte[] bytes, String name) throws ImageFormatException {
    if (bytes.length < 8 || !ByteBuffer.wrap(bytes, 0, 8).equals(ByteBuffer.wrap(SIGNATURE))) {
      throw new ImageFormatException(name + ": not a PNG file" + what(bytes)
          + "; files are taken by their content, not their name");
    }
    if (bytes.length < 33) {
      throw new ImageFormatException(name + ": a PNG file cut short before the end of its"
          + " header (" + bytes.length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt(8) != 13 || b.getInt(12) != 0x49484452) {
      throw new ImageFormatException(name + ": a PNG file without its header chunk (IHDR)"
          + " first: corrupt");
    }
    int width = b.getInt(16);
    int height = b.getInt(20);
    int depth = bytes[24] & 0xFF;
    int type = bytes[25] & 0xFF;
    boolean trns = false;
    // The chunks after IHDR up to the first IDAT: where PLTE and tRNS must lie.
    for (int at = 33; at + 8 <= bytes.length; ) {
      long length = b.getInt(at) & 0xFFFFFFFFL;
      int chunk = b.getInt(at + 4);
      if (chunk == 0x49444154 || chunk == 0x49454E44) {
        break;
      }
      if (chunk == 0x74524E53) {
        trns = true;
      }
      if (at + 12 + length > bytes.length) {
        break;
      }
      at += (int) (12 + length);
    }
    return new PngKind(width, height, depth, type, trns);
  }

  /**
   * What a sample of {@code bitDepth} bits (1, 2, 4 or 8) is multiplied by to be coded as an
   * 8-bit value, s x 255 / (2^depth - 1): 255, 85, 17 or 1. The values it gives are those the
   * image shows (a 1-bit image is black and white, 0 and 255), and dividing gives it back.
   */
  public static int scale(int bitDepth) {
    return 255 / ((1 << bitDepth) - 1);
  }

  /**
   * Samples a pixel once decoded, its alpha apart: 1 for grayscale (with alpha or not), 3 for
   * RGB, RGBA and palette images.
   */
  int channels() {
    return colorType == RGB || colorType == PALETTE || colorType == RGBA ? 3 : 1;
  }

  /** Whether the image has an alpha channel (grey with alpha, RGBA), kept beside the shard. */
  boolean alpha() {
    return colorType == GRAY_ALPHA || colorType == RGBA;
  }

  /** Bits a decoded sample has: the file's depth, 8 for a palette's colours. */
  int sampleDepth() {
    return colorType == PALETTE ? 8 : bitDepth;
  }

  /** Why this kind cannot be coded and given back exactly, or null if it can. */
  String refusal() {
    if (transparency && (colorType == RGB || colorType == PALETTE)) {
      return (colorType == RGB ? "RGB" : "a palette image") + " with a transparency chunk"
          + " (tRNS), which would not come back; remove it first";
    }
    switch (colorType) {
      case GRAY:
        if (bitDepth == 16) {
          return "16-bit grayscale; the models code at most 8 bits a sample: convert it to 8"
              + " bits first if that loses nothing you need";
        }
        if (bitDepth != 1 && bitDepth != 2 && bitDepth != 4 && bitDepth != 8) {
          return "grayscale at " + bitDepth + " bits, which PNG does not define: corrupt";
        }
        return transparency ? "grayscale with a transparency chunk (tRNS), which would not"
            + " come back; remove it first" : null;
      case PALETTE:
        if (bitDepth != 1 && bitDepth != 2 && bitDepth != 4 && bitDepth != 8) {
          return "a palette image at " + bitDepth + " bits, which PNG does not define: corrupt";
        }
        return null;
      case RGB:
        if (bitDepth == 16) {
          return "16-bit RGB; the models code at most 8 bits a sample: convert it to 8 bits"
              + " first if that loses nothing you need";
        }
        return bitDepth == 8 ? null
            : "RGB at " + bitDepth + " bits, which PNG does not define: corrupt";
      case GRAY_ALPHA:
      case RGBA:
        String kind = colorType == RGBA ? "RGBA" : "grayscale with alpha";
        if (transparency) {
          return kind + " with a transparency chunk (tRNS), which PNG does not allow: corrupt";
        }
        if (bitDepth == 16) {
          return "16-bit " + kind + "; the models code at most 8 bits a sample: convert it to"
              + " 8 bits first if that loses nothing you need";
        }
        return bitDepth == 8 ? null
            : kind + " at " + bitDepth + " bits, which PNG does not define: corrupt";
      default:
        return "colour type " + colorType + ", which PNG does not define: corrupt";
    }
  }

  /** What a file that is not a PNG looks like it is, from its first bytes. */
  private static String what(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8
        && (b[2] & 0xFF) == 0xFF) {
      return " (it is a JPEG file)";
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return " (it is a BMP file)";
    }
    if (b.length >= 4 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
      return " (it is a GIF file)";
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return " (it is a WebP file)";
    }
    if (b.length == 0) {
      return " (it is empty)";
    }
    return "";
  }
}
