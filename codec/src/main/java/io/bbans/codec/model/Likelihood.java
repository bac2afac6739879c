package io.bbans.codec.model;

/** The observation model p(x|z) of a VAE. */
public enum Likelihood {
  /** Binary pixels (0 or 1) under a Bernoulli per pixel; the decoder outputs one logit each. */
  BERNOULLI("bernoulli", 1),
  /** 8-bit pixels under a discretised logistic per pixel; the decoder outputs mean, log-scale. */
  PIXEL8("pixel8", 2);

  private final String id;
  private final int outputsPerPixel;

  Likelihood(String id, int outputsPerPixel) {
    this.id = id;
    this.outputsPerPixel = outputsPerPixel;
  }

  /** The name used on the command line and in model files. */
  public String id() {
    return id;
  }

  public int outputsPerPixel() {
    return outputsPerPixel;
  }

  public static Likelihood fromId(String id) {
    for (Likelihood l : values()) {
      if (l.id.equals(id)) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown likelihood '" + id + "' (bernoulli or pixel8)");
  }
}
