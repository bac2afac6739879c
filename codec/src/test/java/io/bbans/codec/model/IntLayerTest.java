package io.bbans.codec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The blocked product of {@link IntLayer#forward}, by the scalar loops and by the vector kernels,
 * against the layer's definition computed in {@code long}: the same integers for shapes that are and are not multiples of the block and of
 * four, batches of 1 to 65, inputs from all zero to none zero, at the largest weights and inputs.
 */
class IntLayerTest {
  /** y_j = clamp(round_half_up((b_j + sum_k w_kj a_k) / 2^shift_j)), all in long. */
  static int[] reference(IntLayer l, int[] input, int batch, int[] shifts) {
    int[] y = new int[batch * l.out];
    long lo = l.relu ? 0 : -IntLayer.OUTPUT_LIMIT;
    long hi = l.relu ? IntLayer.HIDDEN_LIMIT : IntLayer.OUTPUT_LIMIT;
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < l.out; j++) {
        long v = l.bias[j];
        for (int k = 0; k < l.in; k++) {
          v += (long) l.weights[k * l.out + j] * input[b * l.in + k];
        }
        int s = shifts[j];
        if (s > 0) {
          v = (v + (1L << (s - 1))) >> s;
        }
        y[b * l.out + j] = (int) Math.max(lo, Math.min(hi, v));
      }
    }
    return y;
  }

  /**
   * The tests run with the Vector API module (the pom's argLine), so the vector kernels are what
   * they check, beside the scalar ones; {@code -Dbbans.vector=false} is the one way to skip them.
   */
  @Test
  void theVectorKernelsRunHere() {
    boolean off = System.getProperty("bbans.vector", "").equalsIgnoreCase("false");
    assertEquals(!off, Kernels.vector(), Kernels.describe());
  }

  @Test
  void blockedProductIsTheDefinition() {
    SplittableRandom r = new SplittableRandom(17);
    int[][] shapes = {{784, 300}, {300, 100}, {37, 5}, {IntLayer.BLOCK, 9}, {IntLayer.BLOCK + 1,
        3}, {1, 1}, {64, 73}};
    for (int[] shape : shapes) {
      int in = shape[0];
      int out = shape[1];
      for (boolean relu : new boolean[] {true, false}) {
        short[] w = new short[in * out];
        for (int i = 0; i < w.length; i++) {
          w[i] = (short) (r.nextInt(3) == 0 ? (r.nextBoolean() ? 32767 : -32767)
              : r.nextInt(-32767, 32768));
        }
        byte[] e = new byte[out];
        long[] bias = new long[out];
        int[] shifts = new int[out];
        for (int j = 0; j < out; j++) {
          e[j] = (byte) r.nextInt(0, 20);
          shifts[j] = e[j] + 8 - 4;
          bias[j] = r.nextLong(-(1L << 40), 1L << 40);
        }
        IntLayer layer = new IntLayer(in, out, relu, 8, 4, w, e, bias);
        for (int batch : new int[] {1, 3, 16, 65}) {
          for (double zeros : new double[] {1.0, 0.5, 0.0}) {
            int[] x = new int[batch * in];
            for (int i = 0; i < x.length; i++) {
              // up to 2^16 as pixels and activations are, and latent centres (Q16) both ways
              x[i] = r.nextDouble() < zeros ? 0 : r.nextInt(4) == 0 ? 65535
                  : r.nextInt(8) == 0 ? r.nextInt(-(1 << 19), 1 << 19) : r.nextInt(1, 65536);
            }
            String what = in + "x" + out + (relu ? " relu" : "") + ", batch " + batch
                + ", zeros " + zeros;
            int[] expected = reference(layer, x, batch, shifts);
            assertArrayEquals(expected, layer.forwardScalar(x, batch), what + ", scalar");
            assertArrayEquals(expected, layer.forward(x, batch), what);
            if (Kernels.vector()) {
              assertArrayEquals(expected, layer.forwardVector(x, batch), what + ", vector");
            }
          }
        }
      }
    }
  }
}
