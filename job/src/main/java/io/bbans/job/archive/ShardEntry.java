package io.bbans.job.archive;

import java.io.Serializable;

/**
 * One shard of an archive as the manifest lists it: which images it holds, how it was coded,
 * and the checksums that tie it to its images. Only what the format needs: what a run took is
 * in the compress task's commit message ({@code compress.ShardCommit}) and the log, not here.
 */
public final class ShardEntry implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Partition number, also the order of the shards. */
  public int index;
  /** File name inside the archive folder: {@code part-00000.bbshard}. */
  public String file;
  /** Global index of the first image; shards cover [0, images) contiguously. */
  public long firstImage;
  public int images;
  public int lanes;
  public long seed;
  /** Pixel bytes of the images (count x rows x cols). */
  public long originalBytes;
  /** Bytes of the shard file. */
  public long compressedBytes;
  public String pixelsSha256;
  public String shardSha256;
  /**
   * The images' file names ({@link Names}), kept beside the shard when they came from a folder
   * of PNG files: the file ({@code part-NNNNN.names}), its size and SHA-256; null, 0 and null
   * when the input had no names (an IDX file).
   */
  public String namesFile;
  public long namesBytes;
  public String namesSha256;

  /**
   * A table's columns other than the image ({@code table.TableInput}), kept beside the shard
   * as a Parquet file ({@code part-NNNNN.kept.parquet}): its size and SHA-256; null, 0 and
   * null when the archive came from no table, or a table of images alone.
   */
  public String keptFile;
  public long keptBytes;
  public String keptSha256;

  /**
   * The alpha channels of the shard's images that had one ({@link Alpha}), kept beside it: the
   * file ({@code part-NNNNN.alpha}), its size and SHA-256; null, 0 and null when none had.
   */
  public String alphaFile;
  public long alphaBytes;
  public String alphaSha256;

  public static String keptFileName(int index) {
    return String.format(java.util.Locale.ROOT, "part-%05d.kept.parquet", index);
  }

  public static String fileName(int index) {
    return String.format(java.util.Locale.ROOT, "part-%05d.bbshard", index);
  }

  public double bitsPerDim() {
    return originalBytes == 0 ? 0 : 8.0 * compressedBytes / originalBytes;
  }
}
