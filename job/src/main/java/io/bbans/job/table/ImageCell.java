package io.bbans.job.table;

import java.io.Serializable;

/**
 * One table row's image on its way to the task that codes its shard: where it came from (for
 * messages), its global index, and the image as the table holds it: encoded bytes (PNG), or
 * for Spark's image schema its raw samples with their height, width, channels and mode.
 */
public final class ImageCell implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The file (or DataFrame partition) and row in it, for messages. */
  public String file;
  public long row;
  /** The encoded image; or the raw samples of Spark's image schema; null for a null image. */
  public byte[] bytes;
  /** For Spark's image schema: height, width, channels and OpenCV mode; else 0. */
  public int height;
  public int width;
  public int channels;
  public int mode;

  public String where() {
    return file + ", row " + row;
  }
}
