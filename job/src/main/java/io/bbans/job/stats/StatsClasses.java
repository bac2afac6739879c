package io.bbans.job.stats;

import io.bbans.job.archive.ShardEntry;
import io.bbans.job.spark.KryoClasses;
import java.util.List;

/** What a stats job sends through Kryo: the manifest's shards and each one's figures. */
public final class StatsClasses implements KryoClasses {
  @Override
  public List<Class<?>> classes() {
    return List.of(ShardEntry.class, ShardEntry[].class, ShardStats.class, ShardStats[].class);
  }
}
