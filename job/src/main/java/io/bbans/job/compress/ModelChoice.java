package io.bbans.job.compress;

import io.bbans.codec.bitsback.CodeLength;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.Likelihood;
import io.bbans.codec.model.VaeModel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which of some models codes a set of images best: each model's quantised negative ELBO on up
 * to {@link #IMAGES} of them, spread over the set. What {@code compress} without {@code --model}
 * and {@code train} without {@code --init} choose by.
 */
public final class ModelChoice {
  /** Images the models are compared on. */
  public static final int IMAGES = 200;

  /** The name of the model with the lowest rate. */
  public final String best;
  /** Each model's rate, bits/dim, in the order the models were given. */
  public final Map<String, Double> rates;
  /** Images the rates were measured on. */
  public final int images;

  private ModelChoice(String best, Map<String, Double> rates, int images) {
    this.best = best;
    this.rates = rates;
    this.images = images;
  }

  /**
   * The model of {@code candidates} (name to model, none empty) that codes {@code images} best;
   * a Bernoulli model sees them as bits (0 and 255 become 0 and 1).
   */
  public static ModelChoice of(Map<String, VaeModel> candidates, ImageSet images) {
    ImageSet some = images.every(Math.max(1, images.count() / IMAGES), true);
    some = some.range(0, Math.min(IMAGES, some.count()));
    Map<String, Double> rates = new LinkedHashMap<>();
    String best = null;
    for (Map.Entry<String, VaeModel> c : candidates.entrySet()) {
      boolean bits = c.getValue().architecture().likelihood() == Likelihood.BERNOULLI;
      ImageSet seen = bits && some.binaryOnValue() == 255 ? some.binarize(127) : some;
      double rate = CodeLength.bitsPerDim(c.getValue().quantized(), seen, 64, 1);
      rates.put(c.getKey(), rate);
      if (best == null || rate < rates.get(best)) {
        best = c.getKey();
      }
    }
    return new ModelChoice(best, rates, some.count());
  }

  /** The best model's rate. */
  public double rate() {
    return rates.get(best);
  }

  /** "name rate" of each model (but the best, if {@code withBest} is false), joined. */
  public String rates(boolean withBest, String separator) {
    return rates.entrySet().stream().filter(e -> withBest || !e.getKey().equals(best))
        .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(separator));
  }
}
