package io.bbans.codec.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Sets of images of one size or of mixed sizes, held in one array. */
class ImageSetTest {
  /** Images 2x3, 1x1 and 4x2 whose pixels count up from 0. */
  static ImageSet three() {
    byte[] pixels = new byte[6 + 1 + 8];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) i;
    }
    return ImageSet.mixed(new int[] {2, 1, 4}, new int[] {3, 1, 2}, pixels);
  }

  @Test
  void mixedSizesKeepEachImagesShapeAndPlace() {
    ImageSet s = three();
    assertFalse(s.uniform());
    assertEquals(3, s.count());
    assertEquals(15, s.pixelCount());
    assertEquals(6, s.offset(1));
    assertEquals(7, s.offset(2));
    assertEquals(15, s.offset(3));
    assertEquals(4, s.rows(2));
    assertEquals(2, s.cols(2));
    assertEquals(7, s.pixel(2, 0));
    assertThrows(IllegalStateException.class, s::rows, "no one shape");
    assertThrows(IllegalStateException.class, s::dims);
    assertEquals("mixed sizes (1..4 x 1..3)", s.shapeText());
    ImageSet same = ImageSet.mixed(new int[] {2, 2}, new int[] {3, 3}, new byte[12]);
    assertTrue(same.uniform(), "one size is a uniform set, whichever way it was made");
    assertEquals("2x3", same.shapeText());
    assertThrows(IllegalArgumentException.class,
        () -> ImageSet.mixed(new int[] {2}, new int[] {3}, new byte[5]), "6 pixels needed");
    assertThrows(IllegalArgumentException.class,
        () -> ImageSet.mixed(new int[] {0}, new int[] {3}, new byte[0]), "a side of 0");
  }

  @Test
  void rangesSubsetsAndConcatenationKeepSizesAndPixels() {
    ImageSet s = three();
    ImageSet tail = s.range(1, 3);
    assertArrayEquals(new int[] {1, 4}, tail.sizes()[0]);
    assertEquals(6, tail.pixel(0, 0));
    ImageSet again = ImageSet.concat(List.of(s.range(0, 1), tail));
    assertArrayEquals(s.pixels(), again.pixels());
    assertArrayEquals(s.sizes()[1], again.sizes()[1]);
    ImageSet every = s.every(2, false); // images 0 and 2
    assertArrayEquals(new int[] {3, 2}, every.sizes()[1]);
    assertEquals(7, every.pixel(1, 0));
    assertArrayEquals(s.sizes()[0], s.binarize(3).sizes()[0]);
  }

  @Test
  void wholeTilesLeaveOutTheEdgesThatAreNotWholeTiles() {
    // a 5x7 image counting up, and a 1x9 one with no whole 2x2 tile
    byte[] pixels = new byte[35 + 9];
    for (int i = 0; i < 35; i++) {
      pixels[i] = (byte) i;
    }
    ImageSet s = ImageSet.mixed(new int[] {5, 1}, new int[] {7, 9}, pixels);
    ImageSet tiles = s.wholeTiles(2, 2);
    assertEquals(2 * 3, tiles.count());
    assertTrue(tiles.uniform());
    assertArrayEquals(new byte[] {0, 1, 7, 8}, java.util.Arrays.copyOfRange(tiles.pixels(), 0, 4));
    // the last: rows 2..3, columns 4..5
    assertArrayEquals(new byte[] {18, 19, 25, 26},
        java.util.Arrays.copyOfRange(tiles.pixels(), 20, 24));
  }
}
