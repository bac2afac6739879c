package io.bbans.job.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.VaeModel;
import org.junit.jupiter.api.Test;

class LanesTest {
  @Test
  void lanesKeepTheInitialBitsNearHalfAPercentOfTheShard() {
    assertEquals(1, Lanes.auto(1, 784, Likelihood.PIXEL8));
    assertEquals(64, Lanes.auto(100_000, 784, Likelihood.PIXEL8));
    assertEquals(28, Lanes.auto(1000, 784, 3.0)); // 0.5% of 1000 * 784 * 3 bits / 420
    assertEquals(1, Lanes.auto(1000, 784, 0.134));
    assertEquals(12, Lanes.auto(10_000, 784, 0.134));
  }

  /** The bundled models record their held-out rates; lanes follow them. */
  @Test
  void aModelsRecordedRateChoosesItsLanes() throws Exception {
    VaeModel digits = VaeModel.load("mnist");
    double rate = Double.parseDouble(digits.metadata().get("heldOutNegativeElboBitsPerDim"));
    assertTrue(rate > 0.5 && rate < 2, "mnist held-out rate " + rate);
    assertEquals(Lanes.auto(1000, 784, rate), Lanes.auto(1000, 784, digits));
    assertTrue(Lanes.auto(1000, 784, digits) < Lanes.auto(1000, 784, Likelihood.PIXEL8));
  }

  /**
   * Images of any size: the budget counts their pixels, and a shard gets no more lanes than it
   * has tiles of the model's size; images of the model's size get what they always got.
   */
  @Test
  void lanesOfImagesOfAnySizeCountPixelsAndTiles() throws Exception {
    VaeModel fashion = VaeModel.load("fashion-mnist");
    io.bbans.codec.image.ImageSet own = new io.bbans.codec.image.ImageSet(1000, 28, 28,
        new byte[784_000]);
    assertEquals(Lanes.auto(1000, 784, fashion), Lanes.auto(own, fashion));
    // three photos of 300x200: 3 * 11 * 8 = 264 tiles, 180,000 pixels
    io.bbans.codec.image.ImageSet photos = io.bbans.codec.image.ImageSet.mixed(
        new int[] {300, 200, 300}, new int[] {200, 300, 200}, new byte[180_000]);
    assertEquals(Lanes.auto(180_000 / 784, 784, fashion), Lanes.auto(photos, fashion));
    // one tiny image is one tile: one lane
    io.bbans.codec.image.ImageSet tiny = io.bbans.codec.image.ImageSet.mixed(new int[] {3, 2},
        new int[] {3, 2}, new byte[13]);
    assertEquals(1, Lanes.auto(tiny, fashion));
  }
}
