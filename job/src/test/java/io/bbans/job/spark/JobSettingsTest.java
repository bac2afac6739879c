package io.bbans.job.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One precedence: command line > --conf spark.bbans.* > defaults file > built-in. */
class JobSettingsTest {
  @TempDir
  Path dir;

  @Test
  void commandLineBeatsSparkConfBeatsFileBeatsBuiltIn() throws Exception {
    Path file = dir.resolve("bbans-defaults.conf");
    Files.writeString(file, "# comment\nspark.bbans.lanes 16\nspark.bbans.seed=5\n"
        + "spark.bbans.verify   false\n");
    SparkConf conf = new SparkConf(false)
        .set(JobSettings.DEFAULTS_FILE, file.toString())
        .set("spark.bbans.lanes", "32");
    JobSettings s = JobSettings.from(conf);
    assertEquals("8", s.get("lanes", 8, "auto"), "command line first");
    assertEquals("32", s.get("lanes", null, "auto"), "then spark.bbans.*");
    assertEquals(5, s.getLong("seed", null, 1), "then the defaults file");
    assertFalse(s.getBoolean("verify", null, true));
    assertEquals(0, s.getInt("partitions", null, 0), "then the built-in default");
    assertEquals("AUTO", s.get("pass", null, "AUTO"));
  }

  @Test
  void badValuesNameTheirSource() throws Exception {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "spark.bbans.seed abc\n");
    JobSettings s = JobSettings.from(new SparkConf(false)
        .set(JobSettings.DEFAULTS_FILE, file.toString())
        .set("spark.bbans.verify", "maybe"));
    IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
        () -> s.getLong("seed", null, 1));
    assertTrue(seed.getMessage().contains("spark.bbans.seed in " + file), seed.getMessage());
    IllegalArgumentException verify = assertThrows(IllegalArgumentException.class,
        () -> s.getBoolean("verify", null, true));
    assertTrue(verify.getMessage().startsWith("spark.bbans.verify:"), verify.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> JobSettings.from(new SparkConf(false).set(JobSettings.DEFAULTS_FILE,
            dir.resolve("nope.conf").toString())));
    assertTrue(missing.getMessage().contains("not a file"), missing.getMessage());
  }
}
