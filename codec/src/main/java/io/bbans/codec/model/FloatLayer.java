package io.bbans.codec.model;

/** One dense layer of the float network as trained: {@code y = x W + b}, W in x out row-major. */
final class FloatLayer {
  final int in;
  final int out;
  final boolean relu;
  final float[] weights;
  final float[] bias;

  FloatLayer(int in, int out, boolean relu, float[] weights, float[] bias) {
    if (weights.length != in * out || bias.length != out) {
      throw new IllegalArgumentException("layer arrays do not match " + in + "x" + out);
    }
    this.in = in;
    this.out = out;
    this.relu = relu;
    this.weights = weights;
    this.bias = bias;
  }

  /** Forward pass in double of {@code batch} rows; used for calibration and evaluation only. */
  double[] forward(double[] input, int batch) {
    double[] y = new double[batch * out];
    for (int b = 0; b < batch; b++) {
      int inBase = b * in;
      int outBase = b * out;
      for (int j = 0; j < out; j++) {
        y[outBase + j] = bias[j];
      }
      for (int k = 0; k < in; k++) {
        double a = input[inBase + k];
        if (a == 0) {
          continue;
        }
        int wBase = k * out;
        for (int j = 0; j < out; j++) {
          y[outBase + j] += weights[wBase + j] * a;
        }
      }
      if (relu) {
        for (int j = 0; j < out; j++) {
          y[outBase + j] = Math.max(0, y[outBase + j]);
        }
      }
    }
    return y;
  }
}
