package io.bbans.job.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import org.apache.spark.SparkConf;

/**
 * The job's own settings, resolved once on the driver with one precedence, highest first:
 * <ol>
 *   <li>the command line ({@code --lanes 32});</li>
 *   <li>Spark configuration {@code spark.bbans.*} ({@code --conf spark.bbans.lanes=32} to
 *       spark-submit, or {@code -Dspark.bbans.lanes=32} to the embedded mode);</li>
 *   <li>the defaults file named by {@code spark.bbans.defaultsFile} ({@code submit.sh} points
 *       it at {@code conf/bbans-defaults.conf}), in spark-defaults.conf syntax;</li>
 *   <li>the built-in default.</li>
 * </ol>
 * Keys are the same in both files: {@code spark.bbans.model}, {@code .lanes}, ...
 */
public final class JobSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String PREFIX = "spark.bbans.";
  public static final String DEFAULTS_FILE = PREFIX + "defaultsFile";

  private final Properties spark = new Properties();
  private final Properties file = new Properties();
  private final String fileName;

  private JobSettings(String fileName) {
    this.fileName = fileName;
  }

  /** Reads the {@code spark.bbans.*} keys of {@code conf} and the defaults file it names. */
  public static JobSettings from(SparkConf conf) {
    String fileName = conf.get(DEFAULTS_FILE, null);
    JobSettings s = new JobSettings(fileName);
    for (scala.Tuple2<String, String> kv : conf.getAllWithPrefix(PREFIX)) {
      s.spark.setProperty(PREFIX + kv._1(), kv._2());
    }
    if (fileName != null) {
      Path path = Path.of(fileName);
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(DEFAULTS_FILE + " names " + fileName
            + ", which is not a file");
      }
      try (InputStream in = Files.newInputStream(path)) {
        s.file.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("cannot read " + fileName + ": " + e.getMessage(), e);
      }
    }
    return s;
  }

  /** Settings with nothing but the built-in defaults (and what tests put in). */
  public static JobSettings empty() {
    return new JobSettings(null);
  }

  /** Sets {@code spark.bbans.key} as Spark configuration would; for tests. */
  public JobSettings with(String key, String value) {
    spark.setProperty(PREFIX + key, value);
    return this;
  }

  /** The value of {@code key}: {@code commandLine} if given, else the layers above. */
  public String get(String key, Object commandLine, String builtIn) {
    if (commandLine != null) {
      return commandLine.toString();
    }
    String v = spark.getProperty(PREFIX + key);
    if (v == null) {
      v = file.getProperty(PREFIX + key);
    }
    return v == null ? builtIn : v.trim();
  }

  public int getInt(String key, Integer commandLine, int builtIn) {
    return (int) integer(key, commandLine, builtIn, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  public long getLong(String key, Long commandLine, long builtIn) {
    return integer(key, commandLine, builtIn, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  private long integer(String key, Number commandLine, long builtIn, long min, long max) {
    String v = get(key, commandLine, Long.toString(builtIn));
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with where the value came from
    }
    throw new IllegalArgumentException(where(key, commandLine) + ": '" + v
        + "' is not an integer");
  }

  public boolean getBoolean(String key, Boolean commandLine, boolean builtIn) {
    String v = get(key, commandLine, Boolean.toString(builtIn)).toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(where(key, commandLine) + ": '" + v
          + "' is not true or false");
    }
    return Boolean.parseBoolean(v);
  }

  private String where(String key, Object commandLine) {
    if (commandLine != null) {
      return "--" + key;
    }
    if (spark.containsKey(PREFIX + key)) {
      return PREFIX + key;
    }
    return PREFIX + key + " in " + fileName;
  }
}
