package io.bbans.job.decompress;

import io.bbans.job.archive.ShardEntry;
import io.bbans.job.spark.KryoClasses;
import java.util.List;

/** What a decompress job sends through Kryo: the manifest's shards and the decoded parts. */
public final class DecompressClasses implements KryoClasses {
  @Override
  public List<Class<?>> classes() {
    return List.of(ShardEntry.class, ShardEntry[].class, DecodedPart.class,
        DecodedPart[].class);
  }
}
