package io.bbans.job.spark;

import io.bbans.codec.model.VaeModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The model reaches the executors once, as one broadcast of its file's bytes (a few MB), and is
 * parsed once per executor JVM, however many tasks run there: tasks look it up here by the
 * application and the broadcast's id. (By the id alone, a JVM that ran one SparkContext after
 * another, as the tests and a notebook do, found a model of the first context under an id the
 * second reused: its shards were refused as coded with another model.)
 *
 * <p>A JVM keeps the {@link #KEPT} models it used last and parses an older one again if a task
 * asks for it: {@link #release} runs in the driver only, so an executor of a long-lived
 * application (a notebook, a standing cluster, every {@code spark.read.format("bbans")}, whose
 * broadcast lives as long as its DataFrame) would otherwise hold every model of every job.
 */
public final class ModelBroadcast {
  /** Parsed models a JVM keeps, the most recently used. */
  static final int KEPT = 4;
  private static final Map<String, VaeModel> PARSED =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, VaeModel> eldest) {
          return size() > KEPT;
        }
      };

  private ModelBroadcast() {}

  public static Broadcast<byte[]> send(JavaSparkContext sc, VaeModel model) {
    return sc.broadcast(model.bytes());
  }

  /** The model in this JVM, parsed from the broadcast on first use. */
  public static VaeModel get(Broadcast<byte[]> model, String name) {
    String key = key(model);
    synchronized (PARSED) {
      VaeModel parsed = PARSED.get(key);
      if (parsed == null) {
        parsed = VaeModel.read(model.value(), name);
        PARSED.put(key, parsed);
      }
      return parsed;
    }
  }

  /** How many parsed models this JVM holds. */
  static int parsed() {
    synchronized (PARSED) {
      return PARSED.size();
    }
  }

  /** The application's id and the broadcast's: broadcast ids restart with each context. */
  private static String key(Broadcast<byte[]> model) {
    org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
    return (env == null ? "" : env.conf().get("spark.app.id", "")) + "/" + model.id();
  }

  /** Forgets a broadcast's model once its job is done. */
  public static void release(Broadcast<byte[]> model) {
    synchronized (PARSED) {
      PARSED.remove(key(model));
    }
    model.destroy();
  }
}
