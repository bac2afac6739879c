package io.bbans.job.compress;

import io.bbans.job.archive.ShardEntry;
import io.bbans.job.spark.KryoClasses;
import java.util.List;

/** What a compress job sends through Kryo: the shards to code and the tasks' commits. */
public final class CompressClasses implements KryoClasses {
  @Override
  public List<Class<?>> classes() {
    return List.of(ShardSpec.class, ShardSpec[].class, ShardCommit.class, ShardCommit[].class,
        ShardEntry.class, ShardEntry[].class);
  }
}
