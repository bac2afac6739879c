package io.bbans.job.spark;

import com.esotericsoftware.kryo.Kryo;
import java.util.ServiceLoader;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class the jobs send through Kryo, as each job package lists them
 * ({@link KryoClasses}), so that {@code spark.kryo.registrationRequired} holds: an
 * unregistered class is a failure in tests, not a silent class name in every record. The
 * service file's order makes the registration order, and so the class ids, the same in every
 * JVM. Kryo 4 cannot serialise records, so these are final classes with plain fields.
 */
public final class BbansKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    for (KryoClasses job : ServiceLoader.load(KryoClasses.class,
        BbansKryoRegistrator.class.getClassLoader())) {
      for (Class<?> c : job.classes()) {
        kryo.register(c);
      }
    }
  }
}
