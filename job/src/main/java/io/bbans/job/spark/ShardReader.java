package io.bbans.job.spark;

import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.VaeModel;
import io.bbans.job.archive.Archive;
import io.bbans.job.archive.Manifest;
import io.bbans.job.archive.ShardEntry;
import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * What a task needs to read shards of one archive: the folder, the manifest without its shard
 * list (each task gets its own entry as data), the broadcast model and the Hadoop
 * configuration. Shipped to the executors in the task's closure.
 */
public final class ShardReader implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String folder;
  private final Manifest header;
  private final Broadcast<byte[]> model;
  private final SerializableConfiguration conf;

  public ShardReader(Archive archive, Broadcast<byte[]> model, Configuration conf) {
    this.folder = archive.folder();
    this.header = archive.manifest().withoutShards();
    this.model = model;
    this.conf = new SerializableConfiguration(conf);
  }

  /** The model, parsed once per executor JVM. */
  public VaeModel model() {
    return ModelBroadcast.get(model, header.modelName);
  }

  /** Bits a sample of the archive's PNG input had (8 for any other input). */
  public int bitDepth() {
    return header.bitDepth;
  }

  public Configuration conf() {
    return conf.value();
  }

  /** The file names of shard {@code s}'s images, checked; null if the archive keeps none. */
  public String[] names(ShardEntry s) throws IOException {
    return Archive.readNames(folder, s, conf.value());
  }

  /**
   * The alpha planes of shard {@code s}'s images, decoded to {@code images}, checked; null if
   * the shard keeps none.
   */
  public byte[][] alpha(ShardEntry s, ImageSet images) throws IOException {
    return Archive.readAlpha(folder, s, images, conf.value());
  }

  /** Checks shard {@code s}'s kept-columns file, where it has one (size and SHA-256). */
  public void checkKept(ShardEntry s) throws IOException {
    Archive.checkKept(folder, s, conf.value());
  }

  /** Reads shard {@code s}, decodes it and checks it against the manifest. */
  public ImageSet read(ShardEntry s) throws IOException {
    return read(s, n -> { });
  }

  /** As {@link #read(ShardEntry)}, telling {@code progress} the images of each batch. */
  public ImageSet read(ShardEntry s, java.util.function.IntConsumer progress)
      throws IOException {
    return Archive.decode(Archive.readShard(folder, s, conf.value()), s, header, model(),
        progress);
  }
}
