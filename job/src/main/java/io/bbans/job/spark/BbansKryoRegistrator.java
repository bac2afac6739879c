package io.bbans.job.spark;

import com.esotericsoftware.kryo.Kryo;
import io.bbans.job.archive.ShardEntry;
import io.bbans.job.compress.ShardSpec;
import io.bbans.job.decompress.DecodedPart;
import io.bbans.job.stats.ShardStats;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Every class the job sends through Kryo (task inputs and results), registered so that
 * {@code spark.kryo.registrationRequired} holds: an unregistered class is a failure in tests,
 * not a silent class name in every record. Kryo 4 cannot serialise records, so these are final
 * classes with plain fields.
 */
public final class BbansKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(ShardSpec.class);
    kryo.register(ShardSpec[].class);
    kryo.register(ShardEntry.class);
    kryo.register(ShardEntry[].class);
    kryo.register(DecodedPart.class);
    kryo.register(DecodedPart[].class);
    kryo.register(ShardStats.class);
    kryo.register(ShardStats[].class);
  }
}
