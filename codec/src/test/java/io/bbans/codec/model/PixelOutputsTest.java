package io.bbans.codec.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bbans.codec.model.PixelOutputs.Role;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one layout of a pixel's parameters, for each model format: the order the files, the
 * quantiser and the codecs rely on (the golden shards pin the integers), and the trainer's
 * variable names, which a model started from an older one must find.
 */
class PixelOutputsTest {
  private static Architecture arch(Likelihood l, int context, int mixture) {
    return new Architecture(28, 28, l, new int[] {16}, 4, 8, 12, 16, context, mixture);
  }

  @Test
  void eachFormatLaysOutItsValuesInTheOrderItsFilesHold() {
    PixelOutputs bits = arch(Likelihood.BERNOULLI, 8, 1).outputs();
    assertEquals(1, bits.count());
    assertEquals(Role.LOGIT, bits.role(0));
    assertEquals(0, bits.base(0));
    assertEquals("ctx_mean", bits.headOutputName(0));

    PixelOutputs one = arch(Likelihood.PIXEL8, 8, 1).outputs();
    assertArrayEquals(new Role[] {Role.MEAN, Role.LOG_SCALE}, roles(one));
    assertEquals(0, one.mean(0));
    assertEquals(1, one.logScale(0));
    assertEquals(2, one.baseCount());
    assertThrows(IllegalStateException.class, () -> one.weight(0), "one logistic, no weight");
    assertEquals("ctx_logscale", one.headOutputName(1));

    PixelOutputs three = arch(Likelihood.PIXEL8, 8, 3).outputs();
    assertArrayEquals(new Role[] {Role.MEAN, Role.MEAN, Role.MEAN, Role.LOG_SCALE,
        Role.LOG_SCALE, Role.LOG_SCALE, Role.WEIGHT, Role.WEIGHT, Role.WEIGHT}, roles(three));
    for (int c = 0; c < 3; c++) {
      assertEquals(c, three.component(three.mean(c)));
      assertEquals(c, three.component(three.weight(c)));
      assertEquals(0, three.base(three.mean(c)));
      assertEquals(1, three.base(three.logScale(c)));
      assertEquals(-1, three.base(three.weight(c)));
      assertEquals("ctx_weight" + c, three.headOutputName(three.weight(c)));
    }
    assertEquals(Context.PIXEL_SCALE, three.headScale(0));
    assertEquals(1, three.headScale(three.logScale(0)));
    assertEquals(-Context.WEIGHT_LIMIT, three.lower(three.weight(2)));
    assertEquals(Double.POSITIVE_INFINITY, bits.upper(0));
  }

  @Test
  void everyValueOfABatchHasItsOwnPlace() {
    PixelOutputs three = arch(Likelihood.PIXEL8, 8, 3).outputs();
    int dims = 28 * 28;
    Set<Integer> seen = new HashSet<>();
    for (int b = 0; b < 3; b++) {
      for (int j = 0; j < three.count(); j++) {
        for (int p = 0; p < dims; p++) {
          int at = three.at(b, j, p, dims);
          assertEquals(true, at >= 0 && at < 3 * three.count() * dims && seen.add(at));
        }
      }
    }
  }

  private static Role[] roles(PixelOutputs o) {
    Role[] r = new Role[o.count()];
    for (int j = 0; j < r.length; j++) {
      r[j] = o.role(j);
    }
    return r;
  }
}
