package io.bbans.job.compress;

import io.bbans.job.archive.ShardEntry;
import java.io.Serializable;
import java.util.Locale;

/**
 * What a compress task tells the driver when it has written its shard: the manifest row it
 * proposes, the attempt files the driver commits (or deletes), and what the task took, which
 * goes to the log and the report, not into the archive.
 */
public final class ShardCommit implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The shard's row of the manifest, as it will be written once committed. */
  public ShardEntry entry;
  /** The shard file the task wrote under its attempt name. */
  public String attempt;
  /** The names file the task wrote under its attempt name; null when the input has none. */
  public String namesAttempt;
  /** The attempt's alpha file ({@code archive.Alpha}); null where its images have none. */
  public String alphaAttempt;
  /** The shard holds its pixels: coding them would have made it larger. */
  public boolean stored;
  /** The shard's format version (1 to 4, {@code container.Shard}). */
  public int shardVersion = 1;
  /** The size of every image of the shard, or 0 and 0 when they differ. */
  public int rows;
  public int cols;
  /** Bits a sample the images had (a table's PNGs; 8 for other inputs). */
  public int bitDepth = 8;
  /** Where the shard was coded: Spark executor id, host and process id, for people. */
  public String codedBy = "";
  /** Seconds the task spent, in total and on each step. */
  public double seconds;
  public double readSeconds;
  public double modelSeconds;
  public double codeSeconds;
  public double verifySeconds;
  public double writeSeconds;

  /** One line for the log. */
  public String describe() {
    return String.format(Locale.ROOT, "%s: %d images, %d bytes%s, %s, %.3f s (read %.3f, model"
        + " %.3f, code %.3f, verify %.3f, write %.3f)", entry.file, entry.images,
        entry.compressedBytes, stored ? " (stored)" : "", codedBy, seconds, readSeconds,
        modelSeconds, codeSeconds, verifySeconds, writeSeconds);
  }
}
