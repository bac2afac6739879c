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
    switch (images.binaryOnValue()) {
      case 1:
        return images;
      case 255:
        return images.binarize(127);
      default:
        throw new IllegalArgumentException("the images are 8-bit, the model is bernoulli: "
            + "give --binarize THRESHOLD (e.g. 127)");
    }
  }
}
