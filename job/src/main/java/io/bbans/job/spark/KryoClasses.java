package io.bbans.job.spark;

import java.util.List;

/**
 * The classes one job sends through Kryo (its task inputs and results). Each job package lists
 * its own in an implementation named in {@code META-INF/services/io.bbans.job.spark.KryoClasses};
 * {@link BbansKryoRegistrator} registers them all, so this package needs to know none of them.
 */
public interface KryoClasses {
  List<Class<?>> classes();
}
