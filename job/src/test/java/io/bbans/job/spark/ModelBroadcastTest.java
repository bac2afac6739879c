package io.bbans.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bbans.codec.model.VaeModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;

/**
 * A JVM parses each broadcast model once while it uses it, and holds no more than
 * {@link ModelBroadcast#KEPT} of them however many broadcasts (jobs, reads) it has seen.
 */
class ModelBroadcastTest {
  @Test
  void aJvmKeepsTheModelsItUsedLastAndParsesOlderOnesAgain() throws Exception {
    VaeModel model = VaeModel.load("mnist-binary");
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[1]")
        .setAppName("model-broadcast-test").set("spark.ui.enabled", "false"))) {
      List<Broadcast<byte[]>> sent = new ArrayList<>();
      for (int i = 0; i < ModelBroadcast.KEPT + 3; i++) {
        sent.add(ModelBroadcast.send(sc, model));
        VaeModel first = ModelBroadcast.get(sent.get(i), "mnist-binary");
        assertSame(first, ModelBroadcast.get(sent.get(i), "mnist-binary"), "parsed once");
        assertEquals(model.sha256(), first.sha256());
        assertTrue(ModelBroadcast.parsed() <= ModelBroadcast.KEPT,
            "held " + ModelBroadcast.parsed());
      }
      // the first was let go; asked again, it is parsed again
      assertEquals(model.sha256(), ModelBroadcast.get(sent.get(0), "mnist-binary").sha256());
      for (Broadcast<byte[]> b : sent) {
        ModelBroadcast.release(b);
      }
    }
  }
}
