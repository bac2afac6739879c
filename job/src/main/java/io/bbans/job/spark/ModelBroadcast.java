package io.bbans.job.spark;

import io.bbans.codec.model.VaeModel;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The model reaches the executors once, as one broadcast of its file's bytes (a few MB), and is
 * parsed once per executor JVM, however many tasks run there: tasks look it up here by the
 * application and the broadcast's id. (By the id alone, a JVM that ran one SparkContext after
 * another, as the tests and a notebook do, found a model of the first context under an id the
 * second reused: its shards were refused as coded with another model.)
 */
public final class ModelBroadcast {
  private static final ConcurrentHashMap<String, VaeModel> PARSED = new ConcurrentHashMap<>();

  private ModelBroadcast() {}

  public static Broadcast<byte[]> send(JavaSparkContext sc, VaeModel model) {
    return sc.broadcast(model.bytes());
  }

  /** The model in this JVM, parsed from the broadcast on first use. */
  public static VaeModel get(Broadcast<byte[]> model, String name) {
    return PARSED.computeIfAbsent(key(model), k -> VaeModel.read(model.value(), name));
  }

  /** The application's id and the broadcast's: broadcast ids restart with each context. */
  private static String key(Broadcast<byte[]> model) {
    org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
    return (env == null ? "" : env.conf().get("spark.app.id", "")) + "/" + model.id();
  }

  /** Forgets a broadcast's model once its job is done. */
  public static void release(Broadcast<byte[]> model) {
    PARSED.remove(key(model));
    model.destroy();
  }
}
