package io.bbans.codec.model;

/**
 * What p(x|z) needs per pixel, and where each value sits: the one layout of a pixel's
 * distribution parameters that the trainer's graph, the float network, the quantiser and the
 * integer network all use, made from what a model file holds (its observation model and
 * mixture size) rather than branched on in each of them.
 *
 * <ul>
 *   <li>Bits: one {@link Role#LOGIT}.
 *   <li>8-bit pixels: a mixture of {@code k} discretised logistics, the means of every
 *       component, then their log-scales, then (for {@code k > 1}) their weight logits. One
 *       logistic is the mixture of one, without a weight: mean, log-scale.
 * </ul>
 *
 * <p>A batch's parameters lie image-major in blocks of {@code dims}: value {@code j} of pixel
 * {@code p} of image {@code b} at {@link #at}. The latent decoder gives the first
 * {@link #baseCount} of them for every pixel (the mean and log-scale, or the logit); a context
 * head refines each output from its {@link #base} (weights from 0).
 */
public final class PixelOutputs {
  /**
   * What a value is, which fixes the range a refined one is clamped to (means to the head's
   * input range, log-scales to the logistic's, weight logits to +-{@link Context#WEIGHT_LIMIT};
   * a logit not after the head, as it is before), how the head's output scales to its units,
   * and which of the latent decoder's values it refines.
   */
  public enum Role {
    MEAN(Context.MEAN_MIN, Context.MEAN_MAX, Context.PIXEL_SCALE, 0),
    LOG_SCALE(FloatVae.LOG_SCALE_MIN, FloatVae.LOG_SCALE_MAX, 1, 1),
    WEIGHT(-Context.WEIGHT_LIMIT, Context.WEIGHT_LIMIT, 1, -1),
    LOGIT(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1, 0);

    final double lower;
    final double upper;
    final double headScale;
    final int base;

    Role(double lower, double upper, double headScale, int base) {
      this.lower = lower;
      this.upper = upper;
      this.headScale = headScale;
      this.base = base;
    }
  }

  private final Likelihood likelihood;
  private final int components;
  private final Role[] roles;

  PixelOutputs(Likelihood likelihood, int components) {
    this.likelihood = likelihood;
    this.components = components;
    if (likelihood == Likelihood.BERNOULLI) {
      roles = new Role[] {Role.LOGIT};
    } else {
      roles = new Role[components == 1 ? 2 : 3 * components];
      for (int c = 0; c < components; c++) {
        roles[c] = Role.MEAN;
        roles[components + c] = Role.LOG_SCALE;
        if (components > 1) {
          roles[2 * components + c] = Role.WEIGHT;
        }
      }
    }
  }

  public Likelihood likelihood() {
    return likelihood;
  }

  /** Logistics in an 8-bit pixel's mixture (1 for one logistic, and for bits). */
  public int components() {
    return components;
  }

  /** Values per pixel. */
  public int count() {
    return roles.length;
  }

  public Role role(int j) {
    return roles[j];
  }

  /** The mixture component value {@code j} belongs to (0 for a logit). */
  public int component(int j) {
    return likelihood == Likelihood.BERNOULLI ? 0 : j % components;
  }

  /** Index of component {@code c}'s mean, log-scale or weight logit. */
  public int mean(int c) {
    return c;
  }

  public int logScale(int c) {
    return components + c;
  }

  public int weight(int c) {
    if (components == 1) {
      throw new IllegalStateException("one logistic has no weight");
    }
    return 2 * components + c;
  }

  /** Values per pixel the latent decoder gives: mean and log-scale, or the logit. */
  public int baseCount() {
    return likelihood.outputsPerPixel();
  }

  /**
   * Which of the latent decoder's values value {@code j} refines ({@code < baseCount}), or -1
   * for a weight logit, which starts from 0.
   */
  public int base(int j) {
    return roles[j].base;
  }

  /** Where value {@code j} of pixel {@code p} of image {@code b} sits, {@code count} blocks. */
  public int at(int b, int j, int p, int dims) {
    return (b * roles.length + j) * dims + p;
  }

  /** The trainer's name for the context head's output {@code j}. */
  public String headOutputName(int j) {
    if (components == 1) {
      return roles[j] == Role.LOG_SCALE ? "ctx_logscale" : "ctx_mean";
    }
    String[] prefix = {"ctx_mean", "ctx_logscale", "ctx_weight", "ctx_logit"};
    return prefix[roles[j].ordinal()] + component(j);
  }

  /** The range a refined value {@code j} is clamped to, in real units ({@link Role}). */
  public double lower(int j) {
    return roles[j].lower;
  }

  public double upper(int j) {
    return roles[j].upper;
  }

  /** How the head's output {@code j} scales to the value's units: 256 for a mean, else 1. */
  public double headScale(int j) {
    return roles[j].headScale;
  }
}
