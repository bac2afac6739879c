package io.bbans.codec.model;

import io.bbans.codec.image.ImageSet;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.weightinit.impl.XavierInitScheme;

/**
 * Trains a {@link FloatVae} with ND4J SameDiff and Adam on the negative ELBO (one
 * reparameterised sample per image). Reproducible: weights start from ND4J's RNG seeded with
 * {@code seed}, and the shuffle and the posterior noise come from Java's SplittableRandom.
 */
public final class VaeTrainer {
  private static final double LN2 = Math.log(2);

  /** Training settings. */
  public static final class Options {
    public int epochs = 20;
    public int batchSize = 100;
    public double learningRate = 1e-3;
    /** Multiplies the learning rate once per epoch. */
    public double learningRateDecay = 0.95;
    public long seed = 1;
    /** At most this many training and held-out images are evaluated after each epoch. */
    public int heldOutPerEpoch = 2000;
    /**
     * Start from this model's float weights (same encoder and decoder shape); a context head
     * not in it starts as the identity (its output weights zero). Null: random weights.
     */
    public FloatVae init;
    /**
     * Train only the context head: the weights taken from {@link #init} stay fixed (a first
     * stage that can take a learning rate the encoder and decoder would not stand).
     */
    public boolean headOnly;
    /**
     * Return the weights of the epoch with the lowest held-out loss (epoch 0: those of
     * {@link #init}, before any step) rather than the last epoch's: what a few thousand images
     * need, which a model overfits within a few epochs. Without held-out images, the last.
     */
    public boolean keepBest;
    /**
     * Train each tile under the setting the encoder would pick for it ({@code
     * bitsback.TileScale}, shard format 5): before each epoch the current weights, quantised,
     * pick every training tile's setting, and the loss moves its log-scales and weights as the
     * coder will; the held-out loss that chooses the epoch is measured the same way. For a
     * model whose tiles carry settings, trained on tiles that compress codes as such.
     */
    public boolean tileSettings;
    /**
     * With {@link #tileSettings}, train under the settings of shard format 6: each tile's
     * setting picked with error feedback, and each sample's log-scales and means moved by its
     * feedback ({@code bitsback.Feedback}) as the coder will move them, worked out with the
     * same quantised weights before each epoch.
     */
    public boolean tileFeedback;
    /** Where the per-epoch line goes; null for none. */
    public PrintWriter progress = new PrintWriter(System.err, true);
  }

  /** The per-epoch record of a training run. */
  public static final class Epoch {
    public final int epoch;
    public final double trainBitsPerDim;
    public final double heldOutBitsPerDim;
    public final double imagesPerSecond;

    Epoch(int epoch, double trainBitsPerDim, double heldOutBitsPerDim, double imagesPerSecond) {
      this.epoch = epoch;
      this.trainBitsPerDim = trainBitsPerDim;
      this.heldOutBitsPerDim = heldOutBitsPerDim;
      this.imagesPerSecond = imagesPerSecond;
    }
  }

  private final Architecture arch;
  private final Options options;
  private final SameDiff sd;
  private final List<String[]> encoderVars = new ArrayList<>();
  private final List<String[]> decoderVars = new ArrayList<>();
  private final List<String[]> headVars = new ArrayList<>();
  private final Map<String, float[]> initial = new java.util.HashMap<>();
  private final List<Epoch> history = new ArrayList<>();
  /** The head's neighbour table ({@link Context#neighbourPlaces}), built once; null without. */
  private final int[][] neighbourAt;
  /** Where a tile-context model's neighbours outside the tile lie in its frame; else null. */
  private final int[][] frameAt;
  /** The epoch whose weights {@link #train} returned. */
  private int kept;
  /** Whether the head starts as a classical predictor (so epoch 0 can be the best). */
  private final boolean startsAsPredictor;

  public VaeTrainer(Architecture arch, Options options) {
    if ((options.tileSettings || options.tileFeedback)
        && !io.bbans.codec.bitsback.TileScale.applies(arch)) {
      throw new IllegalArgumentException(arch + " cannot code tiles with their settings");
    }
    if (options.tileFeedback && !options.tileSettings) {
      throw new IllegalArgumentException("error feedback trains with the tiles' settings");
    }
    this.arch = arch;
    this.options = options;
    Nd4j.getRandom().setSeed(options.seed);
    this.sd = SameDiff.create();
    this.neighbourAt = arch.hasContext() ? Context.neighbourPlaces(arch) : null;
    this.frameAt = Context.framePlaces(arch);
    this.startsAsPredictor = options.init == null && arch.hasContext()
        && arch.likelihood() == Likelihood.PIXEL8;
    if (options.init != null) {
      initialWeights(options.init);
    } else if (startsAsPredictor) {
      predictorStart();
    }
  }

  /** How far component {@code c} of a new mixture is nudged from the first: 0, -1, 1, -2, ... */
  private static double spread(int c) {
    return c == 0 ? 0 : (c % 2 == 1 ? -1 : 1) * ((c + 1) / 2);
  }

  /** The predictor start's log-scales and weight logits: sharp, middle, wide. */
  private static final double[] START_LOG_SCALE = {-1.2, 0.3, 3.0};
  private static final double[] START_WEIGHT = {0, -0.5, -2.5};

  /**
   * A model with a context head trained from random weights (8-bit pixels, colour or
   * grayscale) starts its head as a classical predictor, not as the identity on a random
   * decoder (which starts at tens of bits a subpixel and, in one epoch over 40,000 blocks of
   * photographs, had not learnt to use its neighbours): through the
   * skip connection each component's mean starts at the average of W and N of the subpixel's
   * own channel, whatever the decoder says. G and B also start from their pixel's earlier
   * channel, as a colour transform does: G's mean is its W-N average plus R's deviation from
   * R's own W-N average at this pixel (B likewise with G), which two hidden units gate on the
   * channel flags (a ReLU that is zero for the other channels, whose earlier-channel inputs
   * are not all coded). The components start at log-scales -1.2, 0.3 and 3 (a sharp one for
   * flat regions, a middle one, a wide one that keeps an edge's miss cheap), weighing 59%, 36%
   * and 5%; with two, the sharp and the wide; with more, the middle ones nudged apart; their
   * means a grey level apart so that their gradients differ. On 500 held-out blocks of
   * photographs the first start (log-scales near 1, no colour term) took 5.59 bits a subpixel
   * before any step, this one 2.52 (2.81 on 500 others, where xz takes 2.84). Training refines
   * it from there.
   */
  private void predictorStart() {
    int n = Context.inputs(arch);
    int own = n - arch.likelihood().outputsPerPixel(); // this subpixel's mean, then log-scale
    int h = arch.contextHidden();
    int channels = arch.channels();
    // Units 0 .. channels-2: channel k+1's deviation term from channel k, switched on by flag k.
    int gated = Math.min(channels - 1, h);
    int flags = Context.neighbours(arch);
    INDArray xavier = Nd4j.randn(DataType.FLOAT, n, h).muli(Math.sqrt(2.0 / (n + h)));
    float[] hiddenW = xavier.data().asFloat();
    float[] hiddenB = new float[h];
    for (int u = 0; u < gated; u++) {
      for (int i = 0; i < n; i++) {
        hiddenW[i * h + u] = 0;
      }
      // channel u: here, W, N
      int at = Context.offsets(arch).length + u * Context.COLOUR_OFFSETS.length;
      hiddenW[at * h + u] = 1;
      hiddenW[(at + 1) * h + u] = -0.5f;
      hiddenW[(at + 2) * h + u] = -0.5f;
      hiddenW[(flags + u) * h + u] = 4; // on (+2) for channel u+1, off (-2) otherwise
      hiddenB[u] = -2;
    }
    initial.put("ctx_hidden_w", hiddenW);
    initial.put("ctx_hidden_b", hiddenB);
    PixelOutputs outs = arch.outputs();
    String[] names = headOutputNames();
    for (int c = 0; c < outs.components(); c++) {
      double spread = spread(c);
      float[] mean = new float[n];
      mean[0] = 0.5f; // W (Context.OFFSETS[0])
      mean[1] = 0.5f; // N
      mean[own] = -1; // less the decoder's mean: the refined mean is the prediction
      float[] fromHidden = new float[h];
      for (int u = 0; u < gated; u++) {
        fromHidden[u] = 1;
        mean[flags + u] = -2; // the gate's +2 taken back
      }
      initial.put(names[outs.mean(c)] + "_w", fromHidden);
      initial.put(names[outs.mean(c)] + "_b", new float[1]);
      initial.put(names[outs.mean(c)] + "_skip_w", mean);
      initial.put(names[outs.mean(c)] + "_skip_b", new float[] {(float) (0.004 * spread)});
      float[] logScale = new float[n];
      logScale[own + 1] = -1;
      initial.put(names[outs.logScale(c)] + "_skip_w", logScale);
      int k = outs.components();
      // sharp first, wide last, the middle ones between (one alone: the middle)
      int role = k == 1 ? 1 : c == 0 ? 0 : c == k - 1 ? 2 : 1;
      initial.put(names[outs.logScale(c)] + "_skip_b", new float[] {(float) (START_LOG_SCALE[role]
          + (role == 1 && k > 3 ? 0.1 * spread : 0))});
      if (k > 1) {
        initial.put(names[outs.weight(c)] + "_skip_w", new float[n]);
        initial.put(names[outs.weight(c)] + "_skip_b", new float[] {(float) START_WEIGHT[role]});
      }
    }
  }

  /** The trained weights of {@code init} under the variable names this graph gives them. */
  private void initialWeights(FloatVae init) {
    Architecture a = init.architecture();
    if (a.rows() != arch.rows() || a.cols() != arch.cols() || a.likelihood() != arch.likelihood()
        || !java.util.Arrays.equals(a.hidden(), arch.hidden()) || a.latent() != arch.latent()) {
      throw new IllegalArgumentException("the initial model is " + a + ", not " + arch);
    }
    for (int i = 0; i + 1 < init.encoder.length; i++) {
      put("enc" + i, init.encoder[i], 0, init.encoder[i].out);
    }
    FloatLayer last = init.encoder[init.encoder.length - 1];
    put("enc_mean", last, 0, arch.latent());
    put("enc_logsd", last, arch.latent(), arch.latent());
    for (int i = 0; i + 1 < init.decoder.length; i++) {
      put("dec" + i, init.decoder[i], 0, init.decoder[i].out);
    }
    last = init.decoder[init.decoder.length - 1];
    if (arch.likelihood() == Likelihood.PIXEL8) {
      put("dec_mean", last, 0, arch.dims());
      put("dec_logscale", last, arch.dims(), arch.dims());
    } else {
      put("dec_logit", last, 0, arch.dims());
    }
    if (init.head.length == 3 && a.window() < arch.window() && a.channels() == arch.channels()) {
      // a wider window starts as the narrower one: zero weights on the neighbours it adds
      init = init.widened(arch.window());
    }
    if (init.head.length == 3 && arch.contextHidden() == a.contextHidden()
        && init.head[0].in == Context.inputs(arch)) {
      put("ctx_hidden", init.head[0], 0, init.head[0].out);
      String[] names = headOutputNames();
      if (a.mixture() == arch.mixture()) {
        for (int o = 0; o < names.length; o++) {
          put(names[o], init.head[1], o, 1);
          put(names[o] + "_skip", init.head[2], o, 1);
        }
      } else if (a.mixture() == 1 && arch.mixture() > 1) {
        // Every component starts as the single logistic, nudged apart (means by multiples of
        // 0.02 * 256, log-scales of 0.1) so that their gradients differ; the first weighs 96%
        // (weight logits 0, -4, -4, ...), so the mixture starts near the single logistic.
        PixelOutputs outs = arch.outputs();
        PixelOutputs one = a.outputs();
        int n = Context.inputs(arch);
        for (int c = 0; c < outs.components(); c++) {
          double spread = spread(c);
          String mean = names[outs.mean(c)];
          put(mean, init.head[1], one.mean(0), 1);
          put(mean + "_skip", init.head[2], one.mean(0), 1);
          initial.get(mean + "_b")[0] += (float) (0.02 * spread);
          String logScale = names[outs.logScale(c)];
          put(logScale, init.head[1], one.logScale(0), 1);
          put(logScale + "_skip", init.head[2], one.logScale(0), 1);
          initial.get(logScale + "_b")[0] += (float) (0.1 * spread);
          String weight = names[outs.weight(c)];
          initial.put(weight + "_w", new float[arch.contextHidden()]);
          initial.put(weight + "_b", new float[] {c == 0 ? 0 : -4});
          initial.put(weight + "_skip_w", new float[n]);
          initial.put(weight + "_skip_b", new float[1]);
        }
      }
    } else if (init.head.length == 3 && arch.contextHidden() > a.contextHidden()
        && a.mixture() == arch.mixture() && init.head[0].in == Context.inputs(arch)) {
      widerHead(init);
    }
  }

  /**
   * A head wider than {@code init}'s (--context more than its): its units as they were, the new
   * ones with small random input weights (a tenth of He's scale, seeded) and zero output
   * weights, so the wider head starts as exactly the narrower one and training grows the new
   * units from there.
   */
  private void widerHead(FloatVae init) {
    FloatLayer hidden = init.head[0];
    FloatLayer out = init.head[1];
    int n = hidden.in;
    int h = hidden.out;
    int wide = arch.contextHidden();
    SplittableRandom random = new SplittableRandom(options.seed ^ 0x57DE);
    float[] w = new float[n * wide];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < wide; j++) {
        w[k * wide + j] = j < h ? hidden.weights[k * h + j]
            : (float) (random.nextGaussian() * Math.sqrt(2.0 / n) * 0.1);
      }
    }
    initial.put("ctx_hidden_w", w);
    initial.put("ctx_hidden_b", java.util.Arrays.copyOf(hidden.bias, wide));
    String[] names = headOutputNames();
    for (int o = 0; o < names.length; o++) {
      float[] ow = new float[wide];
      for (int j = 0; j < h; j++) {
        ow[j] = out.weights[j * out.out + o];
      }
      initial.put(names[o] + "_w", ow);
      initial.put(names[o] + "_b", new float[] {out.bias[o]});
      put(names[o] + "_skip", init.head[2], o, 1);
    }
  }

  /** The context head's outputs ({@link PixelOutputs}), as variable names. */
  private String[] headOutputNames() {
    PixelOutputs outs = arch.outputs();
    String[] names = new String[outs.count()];
    for (int j = 0; j < names.length; j++) {
      names[j] = outs.headOutputName(j);
    }
    return names;
  }

  /** Columns {@code from..from+count} of a layer as the initial value of variable {@code name}. */
  private void put(String name, FloatLayer layer, int from, int count) {
    float[] w = new float[layer.in * count];
    float[] b = new float[count];
    for (int k = 0; k < layer.in; k++) {
      System.arraycopy(layer.weights, k * layer.out + from, w, k * count, count);
    }
    System.arraycopy(layer.bias, from, b, 0, count);
    initial.put(name + "_w", w);
    initial.put(name + "_b", b);
  }

  public List<Epoch> history() {
    return history;
  }

  /** The epoch whose weights {@link #train} returned: the last, or the best with keepBest. */
  public int keptEpoch() {
    return kept;
  }

  private SDVariable dense(String name, SDVariable in, int inWidth, int outWidth,
      List<String[]> vars) {
    return dense(name, in, inWidth, outWidth, vars, false);
  }

  /** A dense layer starting from the initial model's weights, else Xavier (or zero) ones. */
  private SDVariable dense(String name, SDVariable in, int inWidth, int outWidth,
      List<String[]> vars, boolean zero) {
    float[] w0 = initial.get(name + "_w");
    SDVariable w;
    SDVariable b;
    if (w0 != null) {
      INDArray wa = Nd4j.create(w0, new long[] {inWidth, outWidth}, 'c');
      INDArray ba = Nd4j.create(initial.get(name + "_b"), new long[] {1, outWidth}, 'c');
      boolean fixed = options.headOnly && !name.startsWith("ctx_");
      w = fixed ? sd.constant(name + "_w", wa) : sd.var(name + "_w", wa);
      b = fixed ? sd.constant(name + "_b", ba) : sd.var(name + "_b", ba);
    } else {
      // Zeros as an array: SameDiff's sd.zero(...) makes a variable its updater never trains.
      w = zero ? sd.var(name + "_w", Nd4j.zeros(DataType.FLOAT, inWidth, outWidth))
          : sd.var(name + "_w", new XavierInitScheme('c', inWidth, outWidth), DataType.FLOAT,
              inWidth, outWidth);
      b = sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, 1, outWidth));
    }
    vars.add(new String[] {w.name(), b.name()});
    return in.mmul(w).add(b);
  }

  /**
   * The context head: one row per pixel of its inputs ({@link Context}) from the decoded
   * neighbours and the latent decoder's scaled outputs {@code asInput} ({@code [-1, d]} each);
   * its outputs ({@link #headOutputNames}) back as {@code [-1, d]} each.
   */
  private SDVariable[] contextHead(SDVariable neighbours, SDVariable[] asInput) {
    int d = arch.dims();
    int h = arch.contextHidden();
    int n = Context.inputs(arch);
    // The latent decoder's (scaled) means or logits at the places around each pixel: their
    // image padded with zeros (2 rows above, 1 below, 2 columns each side), then one slice per
    // place, the outputs at that offset from every pixel. (ND4J's gather cannot do it: the
    // gradient of a gather along axis 1 names a helper variable the same every time.) Colour:
    // the image is rows x cols x channels; a place in the subpixel's own channel slices every
    // channel at once, a place in channel c slices c alone and repeats it for each channel.
    int rows = arch.rows();
    int cols = arch.cols();
    int channels = arch.channels();
    SDVariable padded = sd.nn.pad(asInput[0].reshape(-1, rows, cols, channels),
        sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {2, 1}, {2, 2}, {0, 0}})), 0.0);
    List<SDVariable> shifted = new ArrayList<>();
    for (int[] offset : Context.LATENT_OFFSETS) {
      shifted.add(sd.slice(padded, new int[] {0, 2 + offset[0], 2 + offset[1], 0}, -1, rows,
          cols, channels).reshape(-1, 1));
    }
    for (int c = 0; channels > 1 && c < channels; c++) {
      for (int[] offset : Context.COLOUR_OFFSETS) {
        SDVariable one = sd.slice(padded, new int[] {0, 2 + offset[0], 2 + offset[1], c}, -1,
            rows, cols, 1);
        SDVariable[] copies = new SDVariable[channels];
        java.util.Arrays.fill(copies, one);
        shifted.add(sd.concat(3, copies).reshape(-1, 1));
      }
    }
    SDVariable around = sd.concat(1, shifted.toArray(new SDVariable[0]));
    SDVariable[] columns = new SDVariable[2 + asInput.length];
    columns[0] = neighbours;
    columns[1] = around;
    for (int i = 0; i < asInput.length; i++) {
      columns[2 + i] = asInput[i].reshape(-1, 1);
    }
    SDVariable v = sd.concat(1, columns);
    SDVariable hidden = sd.nn.relu(dense("ctx_hidden", v, n, h, headVars), 0);
    String[] names = headOutputNames();
    List<String[]> out = new ArrayList<>();
    List<String[]> skip = new ArrayList<>();
    SDVariable[] refined = new SDVariable[names.length];
    for (int o = 0; o < names.length; o++) {
      SDVariable delta = dense(names[o], hidden, h, 1, out, true)
          .add(dense(names[o] + "_skip", v, n, 1, skip, true));
      refined[o] = delta.reshape(-1, d);
    }
    headVars.add(concat(out));
    headVars.add(concat(skip));
    return refined;
  }

  /** log P(value) under the discretised logistic, edge bins taking the tails. */
  private SDVariable logisticLogProb(SDVariable value, SDVariable mu, SDVariable logScale,
      SDVariable edge0, SDVariable edge255) {
    SDVariable inv = sd.math.exp(logScale.neg());
    SDVariable plus = value.add(0.5).sub(mu).mul(inv);
    SDVariable minus = value.sub(0.5).sub(mu).mul(inv);
    SDVariable lp0 = softplus(plus.neg()).neg();
    SDVariable lp255 = softplus(minus).neg();
    SDVariable mid = lp0.add(lp255).add(sd.math.log(sd.math.expm1(inv.neg()).neg()));
    SDVariable inner = edge0.add(edge255).rsub(1.0);
    return edge0.mul(lp0).add(edge255.mul(lp255)).add(inner.mul(mid));
  }

  /** log sum_c exp(t_c), elementwise, stable. */
  private SDVariable logSumExp(SDVariable[] t) {
    SDVariable m = t[0];
    for (int c = 1; c < t.length; c++) {
      m = sd.math.max(m, t[c]);
    }
    SDVariable sum = sd.math.exp(t[0].sub(m));
    for (int c = 1; c < t.length; c++) {
      sum = sum.add(sd.math.exp(t[c].sub(m)));
    }
    return m.add(sd.math.log(sum));
  }

  private SDVariable graph() {
    int d = arch.dims();
    int l = arch.latent();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, d);
    SDVariable value = sd.placeHolder("value", DataType.FLOAT, -1, d);
    SDVariable eps = sd.placeHolder("eps", DataType.FLOAT, -1, l);

    int[] enc = arch.encoderWidths();
    SDVariable h = x;
    for (int i = 0; i + 2 < enc.length; i++) {
      h = sd.nn.relu(dense("enc" + i, h, enc[i], enc[i + 1], encoderVars), 0);
    }
    int last = enc[enc.length - 2];
    // The output layer is two heads, exported as one layer: means, then log-sds.
    List<String[]> heads = new ArrayList<>();
    SDVariable mean = dense("enc_mean", h, last, l, heads);
    SDVariable logSd = dense("enc_logsd", h, last, l, heads);
    encoderVars.add(concat(heads));
    SDVariable z = mean.add(sd.math.exp(logSd).mul(eps));
    SDVariable kl = mean.mul(mean).add(sd.math.exp(logSd.mul(2))).sub(1.0).sub(logSd.mul(2))
        .sum(1).mul(0.5);

    int[] dec = arch.decoderWidths();
    h = z;
    for (int i = 0; i + 2 < dec.length; i++) {
      h = sd.nn.relu(dense("dec" + i, h, dec[i], dec[i + 1], decoderVars), 0);
    }
    last = dec[dec.length - 2];
    SDVariable logp;
    if (arch.likelihood() == Likelihood.PIXEL8) {
      SDVariable edge0 = sd.placeHolder("edge0", DataType.FLOAT, -1, d);
      SDVariable edge255 = sd.placeHolder("edge255", DataType.FLOAT, -1, d);
      List<String[]> out = new ArrayList<>();
      SDVariable mu = dense("dec_mean", h, last, d, out).add(1.0).mul(FloatVae.HALF_RANGE);
      SDVariable logScale = sd.math.clipByValue(dense("dec_logscale", h, last, d, out),
          FloatVae.LOG_SCALE_MIN, FloatVae.LOG_SCALE_MAX);
      decoderVars.add(concat(out));
      if (arch.hasContext()) {
        mu = sd.math.clipByValue(mu, Context.MEAN_MIN, Context.MEAN_MAX);
        SDVariable[] delta = contextHead(sd.placeHolder("nb", DataType.FLOAT, -1,
            neighbourColumns()), new SDVariable[] {mu.div(Context.PIXEL_SCALE), logScale});
        SDVariable[] p = refined(new SDVariable[] {mu, logScale}, delta);
        PixelOutputs outs = arch.outputs();
        int k = outs.components();
        if (options.tileSettings) {
          // each tile's setting, as TileScale.moved applies it (in real units, per tile)
          SDVariable offset = sd.placeHolder("tsOffset", DataType.FLOAT, -1, 1);
          SDVariable spread = sd.placeHolder("tsSpread", DataType.FLOAT, -1, 1);
          SDVariable sharpness = sd.placeHolder("tsSharpness", DataType.FLOAT, -1, 1);
          for (int c = 0; c < k; c++) {
            SDVariable ls = p[outs.logScale(c)];
            p[outs.logScale(c)] = ls.add(offset).sub(ls.sub(1.0).mul(spread));
            if (k > 1) {
              p[outs.weight(c)] = p[outs.weight(c)].mul(sharpness);
            }
          }
          if (options.tileFeedback) {
            // each sample's error feedback under its tile's setting (TileScale, real units)
            SDVariable fbScale = sd.placeHolder("fbScale", DataType.FLOAT, -1, d);
            SDVariable fbMean = sd.placeHolder("fbMean", DataType.FLOAT, -1, d);
            for (int c = 0; c < k; c++) {
              p[outs.logScale(c)] = p[outs.logScale(c)].add(fbScale);
              p[outs.mean(c)] = p[outs.mean(c)].add(fbMean);
            }
          }
        }
        if (k > 1) {
          SDVariable[] joint = new SDVariable[k];
          SDVariable[] weights = new SDVariable[k];
          for (int c = 0; c < k; c++) {
            weights[c] = p[outs.weight(c)];
            joint[c] = weights[c].add(logisticLogProb(value, p[outs.mean(c)],
                p[outs.logScale(c)], edge0, edge255));
          }
          logp = logSumExp(joint).sub(logSumExp(weights));
        } else {
          logp = logisticLogProb(value, p[outs.mean(0)], p[outs.logScale(0)], edge0, edge255);
        }
      } else {
        logp = logisticLogProb(value, mu, logScale, edge0, edge255);
      }
    } else {
      List<String[]> out = new ArrayList<>();
      SDVariable logit = dense("dec_logit", h, last, d, out);
      decoderVars.add(concat(out));
      if (arch.hasContext()) {
        logit = sd.math.clipByValue(logit, -Context.LOGIT_LIMIT, Context.LOGIT_LIMIT);
        SDVariable[] delta = contextHead(sd.placeHolder("nb", DataType.FLOAT, -1,
            neighbourColumns()), new SDVariable[] {logit.div(Context.LOGIT_SCALE)});
        logit = refined(new SDVariable[] {logit}, delta)[0];
      }
      logp = value.mul(softplus(logit.neg()).neg())
          .add(value.rsub(1.0).mul(softplus(logit).neg()));
    }
    SDVariable loss = logp.sum(1).neg().add(kl).mean().rename("loss");
    sd.setLossVariables("loss");
    return loss;
  }

  /**
   * The pixel's distribution parameters ({@link PixelOutputs}): each of the head's outputs
   * {@code delta} scaled to its value's units and added to the latent decoder's value it
   * refines ({@code base}: mean and log-scale, or the logit; a weight starts from 0), then
   * clamped to its range, as the float and the integer networks do.
   */
  private SDVariable[] refined(SDVariable[] base, SDVariable[] delta) {
    PixelOutputs outs = arch.outputs();
    SDVariable[] p = new SDVariable[outs.count()];
    for (int j = 0; j < p.length; j++) {
      SDVariable v = outs.headScale(j) == 1 ? delta[j] : delta[j].mul(outs.headScale(j));
      if (outs.base(j) >= 0) {
        v = base[outs.base(j)].add(v);
      }
      p[j] = Double.isInfinite(outs.lower(j)) ? v
          : sd.math.clipByValue(v, outs.lower(j), outs.upper(j));
    }
    return p;
  }

  /**
   * softplus(v) = relu(v) + log1p(exp(-|v|)): finite everywhere. ND4J's own softplus overflows
   * to infinity for large arguments, and an infinity times a zero mask is NaN.
   */
  private SDVariable softplus(SDVariable v) {
    return sd.nn.relu(v, 0).add(sd.math.log1p(sd.math.exp(sd.math.abs(v).neg())));
  }

  private static String[] concat(List<String[]> heads) {
    String[] names = new String[heads.size() * 2];
    for (int i = 0; i < heads.size(); i++) {
      names[i] = heads.get(i)[0];
      names[heads.size() + i] = heads.get(i)[1];
    }
    return names;
  }

  private String[] featureNames() {
    List<String> names = new ArrayList<>(List.of("x", "value", "eps"));
    if (arch.likelihood() == Likelihood.PIXEL8) {
      names.addAll(List.of("edge0", "edge255"));
    }
    if (arch.hasContext()) {
      names.add("nb");
    }
    if (options.tileSettings) {
      names.addAll(List.of("tsOffset", "tsSpread", "tsSharpness"));
    }
    if (options.tileFeedback) {
      names.addAll(List.of("fbScale", "fbMean"));
    }
    return names.toArray(new String[0]);
  }

  /**
   * A batch's inputs: images {@code order[from..]} (null order: {@code from..}), each under its
   * setting {@code settings[image]} where the model trains with them.
   */
  private INDArray[] features(ImageSet images, int[] order, int from, int batch,
      SplittableRandom random, TileSettings settings) {
    int d = arch.dims();
    int l = arch.latent();
    double scale = FloatVae.inputScale(arch.likelihood());
    float[] x = new float[batch * d];
    float[] value = new float[batch * d];
    float[] edge0 = new float[batch * d];
    float[] edge255 = new float[batch * d];
    float[] eps = new float[batch * l];
    int fs = Context.frameSamples(arch);
    int[] frames = arch.tileContext() ? new int[batch * fs] : null;
    for (int b = 0; b < batch; b++) {
      int image = order == null ? from + b : order[from + b];
      int[] tile = Context.tileValues(arch, images, image, 1);
      if (frames != null) {
        System.arraycopy(Context.frameValues(arch, images, image, 1), 0, frames, b * fs, fs);
      }
      for (int p = 0; p < d; p++) {
        int v = tile[p];
        x[b * d + p] = (float) (v * scale);
        value[b * d + p] = v;
        edge0[b * d + p] = v == 0 ? 1 : 0;
        edge255[b * d + p] = v == 255 ? 1 : 0;
      }
    }
    for (int i = 0; i < eps.length; i++) {
      eps[i] = (float) random.nextGaussian();
    }
    List<INDArray> f = new ArrayList<>(List.of(Nd4j.create(x, batch, d),
        Nd4j.create(value, batch, d), Nd4j.create(eps, batch, l)));
    if (arch.likelihood() == Likelihood.PIXEL8) {
      f.add(Nd4j.create(edge0, batch, d));
      f.add(Nd4j.create(edge255, batch, d));
    }
    if (arch.hasContext()) {
      int k = neighbourColumns();
      double nbScale = Context.neighbourScale(arch.likelihood());
      int channels = arch.channels();
      float[] nb = new float[batch * d * k];
      for (int b = 0; b < batch; b++) {
        for (int p = 0; p < d; p++) {
          int row = (b * d + p) * k;
          for (int j = 0; j < neighbourAt.length; j++) {
            int at = neighbourAt[j][p];
            int framed = at < 0 && frameAt != null ? frameAt[j][p] : -1;
            nb[row + j] = at >= 0 ? (float) (value[b * d + at] * nbScale)
                : framed >= 0 ? (float) (frames[b * fs + framed] * nbScale) : 0;
          }
          for (int i = neighbourAt.length; i < k; i++) {
            nb[row + i] = Context.flagged(p, channels, i - neighbourAt.length) ? 1 : 0;
          }
        }
      }
      f.add(Nd4j.create(nb, (long) batch * d, k));
    }
    if (options.tileSettings) {
      float[][] ts = new float[3][batch];
      for (int b = 0; b < batch; b++) {
        int setting = settings.settings[order == null ? from + b : order[from + b]];
        ts[0][b] = (float) io.bbans.codec.bitsback.TileScale.offset(setting);
        ts[1][b] = (float) io.bbans.codec.bitsback.TileScale.spread(setting);
        ts[2][b] = (float) io.bbans.codec.bitsback.TileScale.sharpness(setting);
      }
      for (float[] t : ts) {
        f.add(Nd4j.create(t, batch, 1));
      }
    }
    if (options.tileFeedback) {
      float[] scaleMoves = new float[batch * d];
      float[] meanMoves = new float[batch * d];
      for (int b = 0; b < batch; b++) {
        int image = order == null ? from + b : order[from + b];
        System.arraycopy(settings.logScaleMoves, image * d, scaleMoves, b * d, d);
        System.arraycopy(settings.meanMoves, image * d, meanMoves, b * d, d);
      }
      f.add(Nd4j.create(scaleMoves, batch, d));
      f.add(Nd4j.create(meanMoves, batch, d));
    }
    return f.toArray(new INDArray[0]);
  }

  /** Trains for {@code options.epochs} epochs and returns the trained float network. */
  public FloatVae train(ImageSet train, ImageSet heldOut) {
    checkShape(train);
    checkShape(heldOut);
    if (train.count() == 0) {
      throw new IllegalArgumentException("no training images");
    }
    graph();
    int batches = (train.count() + options.batchSize - 1) / options.batchSize;
    sd.setTrainingConfig(new TrainingConfig.Builder()
        .updater(new Adam(new ExponentialSchedule(ScheduleType.ITERATION, options.learningRate,
            Math.pow(options.learningRateDecay, 1.0 / batches))))
        .dataSetFeatureMapping(featureNames())
        .markLabelsUnused()
        .build());
    SplittableRandom random = new SplittableRandom(options.seed);
    int[] order = new int[train.count()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    boolean keepBest = options.keepBest && heldOut.count() > 0;
    FloatVae best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    kept = options.epochs;
    if (keepBest && (options.init != null || startsAsPredictor)) {
      bestLoss = bitsPerDim(heldOut);
      best = export();
      kept = 0;
      history.add(new Epoch(0, Double.NaN, bestLoss, Double.NaN));
      if (options.progress != null) {
        options.progress.printf(Locale.ROOT, "epoch 0 (the weights it starts from)  held-out"
            + " %.4f bits/dim (float -ELBO)%n", bestLoss);
        options.progress.flush();
      }
    }
    for (int epoch = 1; epoch <= options.epochs; epoch++) {
      // the settings the weights as they stand would give each training tile
      TileSettings trainSettings = options.tileSettings ? settings(train) : null;
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      long start = System.nanoTime();
      long lastLine = start;
      for (int from = 0; from < order.length; from += options.batchSize) {
        if (options.progress != null && System.nanoTime() - lastLine > 10_000_000_000L) {
          lastLine = System.nanoTime();
          double sofar = (lastLine - start) / 1e9;
          options.progress.printf(Locale.ROOT, "epoch %d/%d: %,d of %,d images, %.0f images/s,"
              + " about %.0f s left in this epoch%n", epoch, options.epochs, from, order.length,
              from / sofar, (order.length - from) * sofar / from);
          options.progress.flush();
        }
        int batch = Math.min(options.batchSize, order.length - from);
        INDArray[] f = features(train, order, from, batch, random, trainSettings);
        if (epoch == 1 && from == 0) {
          // The first step builds the gradient graph, which SameDiff lists on stdout.
          withoutOpListing(() -> sd.fit(new MultiDataSet(f, new INDArray[0])));
        } else {
          sd.fit(new MultiDataSet(f, new INDArray[0]));
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double trainBpd = bitsPerDim(train);
      double heldBpd = bitsPerDim(heldOut);
      Epoch e = new Epoch(epoch, trainBpd, heldBpd, order.length / seconds);
      history.add(e);
      if (options.progress != null) {
        options.progress.printf(Locale.ROOT,
            "epoch %d/%d  train %.4f  held-out %.4f bits/dim (float -ELBO)  %.0f images/s%n",
            epoch, options.epochs, trainBpd, heldBpd, e.imagesPerSecond);
        options.progress.flush();
      }
      if (keepBest && heldBpd < bestLoss) {
        bestLoss = heldBpd;
        best = export();
        kept = epoch;
      }
    }
    if (best == null) {
      return export();
    }
    if (options.progress != null && kept != options.epochs) {
      options.progress.printf(Locale.ROOT, "kept the weights of epoch %d, the lowest held-out"
          + " loss (%.4f bits/dim)%n", kept, bestLoss);
      options.progress.flush();
    }
    return best;
  }

  /**
   * Runs {@code step} with SameDiff's "Added differentiated op ..." lines (a bare println, one
   * per op of the gradient graph: thousands) dropped from stdout; every other line passes.
   */
  static void withoutOpListing(Runnable step) {
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    byte[] listing = "Added differentiated op ".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.io.OutputStream filter = new java.io.OutputStream() {
      @Override
      public void write(int b) {
        line.write(b);
        if (b == '\n') {
          flush();
        }
      }

      @Override
      public void flush() {
        byte[] text = line.toByteArray();
        line.reset();
        if (!java.util.Arrays.equals(text, 0, Math.min(text.length, listing.length), listing, 0,
            listing.length) && text.length > 0) {
          out.write(text, 0, text.length);
          out.flush();
        }
      }
    };
    java.io.PrintStream quiet = new java.io.PrintStream(filter, true,
        java.nio.charset.StandardCharsets.UTF_8);
    System.setOut(quiet);
    try {
      step.run();
    } finally {
      System.setOut(out);
      quiet.flush();
    }
  }

  private double lossOf(INDArray[] f) {
    String[] names = featureNames();
    Map<String, INDArray> feed = new java.util.HashMap<>();
    for (int i = 0; i < names.length; i++) {
      feed.put(names[i], f[i]);
    }
    return sd.output(feed, "loss").get("loss").getDouble(0);
  }

  /**
   * The loss on at most {@code heldOutPerEpoch} images spread evenly over {@code images}, in
   * bits/dim, with fixed noise. (The first ones alone were one photograph of a folder sorted by
   * photograph: 1.90 bits a subpixel there where all the held-out blocks took 2.76.)
   */
  private double bitsPerDim(ImageSet images) {
    int most = options.heldOutPerEpoch;
    if (images.count() == 0 || most <= 0) {
      return Double.NaN;
    }
    int step = (images.count() + most - 1) / most;
    ImageSet heldOut = step > 1 ? images.every(step, true) : images;
    int n = heldOut.count();
    SplittableRandom random = new SplittableRandom(options.seed ^ 0x5EED);
    TileSettings settings = options.tileSettings ? settings(heldOut) : null;
    double sum = 0;
    for (int from = 0; from < n; from += options.batchSize) {
      int batch = Math.min(options.batchSize, n - from);
      sum += lossOf(features(heldOut, null, from, batch, random, settings)) * batch;
    }
    return sum / n / (arch.dims() * LN2);
  }

  /**
   * The setting the encoder would pick for each of {@code images} with the weights as they
   * stand, quantised as the coder runs them ({@code TileScale.settings}, 16 lanes).
   */
  private TileSettings settings(ImageSet images) {
    QuantizedVae q = Quantizer.quantize(export(), images);
    float[] scale = options.tileFeedback ? new float[images.count() * arch.dims()] : null;
    float[] mean = options.tileFeedback ? new float[images.count() * arch.dims()] : null;
    return new TileSettings(io.bbans.codec.bitsback.TileScale.settings(q, images, 16,
        options.seed, scale, mean), scale, mean);
  }

  /**
   * Each image's setting, and with error feedback each sample's moves of its log-scales and
   * means ({@code [image * dims + sample]}; null without).
   */
  private static final class TileSettings {
    final int[] settings;
    final float[] logScaleMoves;
    final float[] meanMoves;

    TileSettings(int[] settings, float[] logScaleMoves, float[] meanMoves) {
      this.settings = settings;
      this.logScaleMoves = logScaleMoves;
      this.meanMoves = meanMoves;
    }
  }

  /** Columns of the "nb" input: the neighbours' values, then the channel flags (colour). */
  private int neighbourColumns() {
    return Context.neighbours(arch) + Context.indicators(arch.channels());
  }

  private void checkShape(ImageSet images) {
    if (images.channels() != arch.channels()) {
      throw new IllegalArgumentException("images have " + images.channels()
          + " channels, the model " + arch.channels());
    }
    int rows = Context.inputRows(arch);
    int cols = Context.inputCols(arch);
    if (images.rows() != rows || images.cols() != cols) {
      throw new IllegalArgumentException("images are " + images.rows() + "x" + images.cols()
          + ", the model " + (arch.tileContext() ? "reads frames of " : "is ") + rows + "x"
          + cols);
    }
  }

  private FloatVae export() {
    FloatLayer[] head = layers(headVars);
    if (head.length == 3) {
      head[0] = new FloatLayer(head[0].in, head[0].out, true, head[0].weights, head[0].bias);
      head[1] = new FloatLayer(head[1].in, head[1].out, false, head[1].weights, head[1].bias);
    }
    return new FloatVae(arch, layers(encoderVars), layers(decoderVars), head);
  }

  private FloatLayer[] layers(List<String[]> vars) {
    FloatLayer[] layers = new FloatLayer[vars.size()];
    for (int i = 0; i < layers.length; i++) {
      String[] names = vars.get(i);
      int heads = names.length / 2;
      List<INDArray> ws = new ArrayList<>();
      List<INDArray> bs = new ArrayList<>();
      for (int h = 0; h < heads; h++) {
        ws.add(sd.getVariable(names[h]).getArr());
        bs.add(sd.getVariable(names[heads + h]).getArr());
      }
      INDArray w = heads == 1 ? ws.get(0) : Nd4j.hstack(ws.toArray(new INDArray[0]));
      INDArray b = heads == 1 ? bs.get(0) : Nd4j.hstack(bs.toArray(new INDArray[0]));
      boolean relu = i < layers.length - 1;
      layers[i] = new FloatLayer((int) w.size(0), (int) w.size(1), relu,
          w.dup('c').data().asFloat(), b.dup('c').data().asFloat());
    }
    return layers;
  }
}
