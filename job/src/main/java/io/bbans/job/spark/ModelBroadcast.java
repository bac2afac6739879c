package io.bbans.job.spark;

import io.bbans.codec.model.VaeModel;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The model reaches the executors once, as one broadcast of its file's bytes (a few MB), and is
 * parsed once per executor JVM, however many tasks run there: tasks look it up here by the
 * broadcast's id.
 */
public final class ModelBroadcast {
  private static final ConcurrentHashMap<Long, VaeModel> PARSED = new ConcurrentHashMap<>();

  private ModelBroadcast() {}

  public static Broadcast<byte[]> send(JavaSparkContext sc, VaeModel model) {
    return sc.broadcast(model.bytes());
  }

  /** The model in this JVM, parsed from the broadcast on first use. */
  public static VaeModel get(Broadcast<byte[]> model, String name) {
    return PARSED.computeIfAbsent(model.id(), id -> VaeModel.read(model.value(), name));
  }

  /** Forgets a broadcast's model once its job is done. */
  public static void release(Broadcast<byte[]> model) {
    PARSED.remove(model.id());
    model.destroy();
  }
}
