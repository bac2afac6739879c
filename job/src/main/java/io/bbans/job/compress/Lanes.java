package io.bbans.job.compress;

import io.bbans.codec.bitsback.Tiles;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.VaeModel;

/**
 * How many lanes a shard gets when the user does not say. More lanes code faster (the network
 * runs on a batch of one image per lane) up to about 64, but every lane costs its initial bits:
 * about 350 bits that get no bits back, plus 64 bits of final head (BENCHMARKS.md, "Initial
 * bits"). The rule keeps that cost near 0.5% of the shard at the model's rate (its recorded
 * held-out rate, else a typical one for the observation model): 64 lanes for thousands of 8-bit
 * images, a handful for small or binary shards.
 */
public final class Lanes {
  public static final int MAX = 4096;
  /** Lanes beyond this gave no more speed on a 2-core machine. */
  static final int AUTO_MAX = 64;
  static final double BITS_PER_LANE = 420;
  static final double TARGET_OVERHEAD = 0.005;

  private Lanes() {}

  public static int auto(int images, int dims, Likelihood likelihood) {
    return auto(images, (long) images * dims, typical(likelihood));
  }

  /** The lanes for {@code images} of {@code dims} pixels at about {@code bitsPerDim}. */
  public static int auto(int images, int dims, double bitsPerDim) {
    return auto(images, (long) images * dims, bitsPerDim);
  }

  /**
   * The lanes for {@code tiles} (one lane codes one tile at a time) holding {@code pixels},
   * coded at about {@code bitsPerDim}.
   */
  static int auto(long tiles, long pixels, double bitsPerDim) {
    double budget = TARGET_OVERHEAD * pixels * bitsPerDim / BITS_PER_LANE;
    return (int) Math.max(1, Math.min(AUTO_MAX, Math.min(tiles, Math.floor(budget))));
  }

  /**
   * The lanes for coding {@code images} with {@code model}: each lane codes one of the images'
   * tiles of the model's size at a time (an image of that size is one tile).
   */
  public static int auto(ImageSet images, VaeModel model) {
    int[][] sizes = images.sizes();
    long tiles = Tiles.count(sizes[0], sizes[1], model.architecture().rows(),
        model.architecture().cols());
    return auto(tiles, images.pixelCount(), rate(model));
  }

  /** The lanes for {@code model}, from the held-out rate its training recorded if it did. */
  public static int auto(int images, int dims, VaeModel model) {
    return auto(images, dims, rate(model));
  }

  /** The held-out rate {@code model}'s training recorded, else a typical one for its kind. */
  private static double rate(VaeModel model) {
    String rate = model.metadata().get("heldOutNegativeElboBitsPerDim");
    try {
      double r = rate == null ? Double.NaN : Double.parseDouble(rate);
      if (r > 0 && r < 64) {
        return r;
      }
    } catch (NumberFormatException e) {
      // a model file with a hand-written rate: use the typical one
    }
    return typical(model.architecture().likelihood());
  }

  private static double typical(Likelihood likelihood) {
    return likelihood == Likelihood.BERNOULLI ? 0.15 : 3.0;
  }
}
