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
}
