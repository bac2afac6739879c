package io.bbans.job.stats;

import java.io.Serializable;

/** A stats task's figures for one shard. Baseline sizes are -1 when not computed. */
public final class ShardStats implements Serializable {
  private static final long serialVersionUID = 1L;

  public int index;
  public String file;
  public int images;
  public int lanes;
  public long originalBytes;
  public long compressedBytes;
  /** Sum over the shard's images of the model's negative ELBO, in bits. */
  public double negativeElboBits;
  public double decodeSeconds;
  public long gzipBytes = -1;
  public long bzip2Bytes = -1;
  public long xzBytes = -1;
  /** JPEG XL lossless of the images tiled into one strip; -1 without cjxl. */
  public long jpegXlBytes = -1;
  /** PNG of each image alone (ImageIO's writer, as decompress --format png writes them). */
  public long pngBytes = -1;
  /** WebP lossless ({@code cwebp -lossless -z 9}) of each image alone; -1 without cwebp. */
  public long webpBytes = -1;
}
