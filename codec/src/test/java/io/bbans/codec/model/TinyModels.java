package io.bbans.codec.model;

import io.bbans.codec.image.ImageSet;
import java.util.SplittableRandom;

/** Small synthetic images and models for tests: fast to train, exercised like the real ones. */
public final class TinyModels {
  static final int SIDE = 8;

  private TinyModels() {}

  /** Blurry blobs on a dark background: structure a VAE can learn, some pixels at 0 and 255. */
  public static ImageSet blobs(int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] pixels = new byte[count * SIDE * SIDE];
    for (int i = 0; i < count; i++) {
      double cx = 1 + r.nextDouble() * (SIDE - 2);
      double cy = 1 + r.nextDouble() * (SIDE - 2);
      double radius = 1 + r.nextDouble() * 2;
      double bright = 150 + r.nextDouble() * 140;
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (radius * radius);
          double v = bright * Math.exp(-d2) + r.nextGaussian() * 3;
          pixels[i * SIDE * SIDE + y * SIDE + x] = (byte) Math.max(0, Math.min(255,
              Math.round(v)));
        }
      }
    }
    return new ImageSet(count, SIDE, SIDE, pixels);
  }

  static Architecture architecture(Likelihood likelihood) {
    return architecture(likelihood, 0);
  }

  static Architecture architecture(Likelihood likelihood, int context) {
    return architecture(likelihood, context, 1);
  }

  static Architecture architecture(Likelihood likelihood, int context, int mixture) {
    return new Architecture(SIDE, SIDE, likelihood, new int[] {32, 24}, 4, 8, 18, 18, context,
        mixture);
  }

  static FloatVae train(Likelihood likelihood, ImageSet images, int epochs) {
    return train(architecture(likelihood), images, epochs);
  }

  static FloatVae train(Architecture architecture, ImageSet images, int epochs) {
    VaeTrainer.Options o = new VaeTrainer.Options();
    o.epochs = epochs;
    o.batchSize = 50;
    o.learningRate = 3e-3;
    o.progress = null;
    return new VaeTrainer(architecture, o).train(images, images.range(0, 200));
  }

  /** A quantised model of the blobs (binarised for Bernoulli), trained briefly. */
  public static VaeModel model(Likelihood likelihood) {
    return model(likelihood, 0);
  }

  /** The same with a causal-context head of {@code context} hidden units (0: none). */
  public static VaeModel model(Likelihood likelihood, int context) {
    return model(likelihood, context, 1);
  }

  /** The same with a mixture of {@code mixture} logistics out of the head (8-bit pixels). */
  public static VaeModel model(Likelihood likelihood, int context, int mixture) {
    ImageSet images = images(likelihood);
    FloatVae f = train(architecture(likelihood, context, mixture), images, 25);
    return VaeModel.create(f, Quantizer.quantize(f, images),
        java.util.Map.of("purpose", "test"));
  }

  /** The blobs the tiny models learn, binarised for Bernoulli. */
  public static ImageSet images(Likelihood likelihood) {
    ImageSet images = blobs(1000, 1);
    return likelihood == Likelihood.BERNOULLI ? images.binarize(127) : images;
  }
}
