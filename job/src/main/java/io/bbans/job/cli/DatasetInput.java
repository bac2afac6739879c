package io.bbans.job.cli;

import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import java.io.IOException;
import java.nio.file.Path;

/** Reads the images a command works on, and fits them to a model's observation model. */
final class DatasetInput {
  private DatasetInput() {}

  static ImageSet read(Path path, Range range) throws IOException {
    ImageSet all = Datasets.read(path);
    if (range == null) {
      return all;
    }
    int[] r = range.resolve(all.count());
    return all.range(r[0], r[1]);
  }

  /**
   * The images as the observation model sees them: 8-bit as they are; for a Bernoulli model,
   * bits, from {@code --binarize} (pixel > threshold) or from images that are already binary
   * (every pixel 0 or 1, or 0 or 255).
   */
  static ImageSet forLikelihood(ImageSet images, Likelihood likelihood, Integer binarize) {
    if (likelihood == Likelihood.PIXEL8) {
      if (binarize != null) {
        throw new IllegalArgumentException("--binarize needs a bernoulli model");
      }
      return images;
    }
    if (binarize != null) {
      return images.binarize(binarize);
    }
    if (images.isBinary()) {
      return images;
    }
    ImageSet bits = images.binarize(127);
    if (isZeroOr255(images)) {
      return bits;
    }
    throw new IllegalArgumentException("the images are 8-bit, the model is bernoulli: "
        + "give --binarize THRESHOLD (e.g. 127)");
  }

  private static boolean isZeroOr255(ImageSet images) {
    for (byte p : images.pixels()) {
      int v = p & 0xFF;
      if (v != 0 && v != 255) {
        return false;
      }
    }
    return true;
  }
}
