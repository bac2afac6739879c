package io.bbans.job.decompress;

import java.io.Serializable;

/** A decompress task's commit message: the attempt it wrote and what it decoded. */
public final class DecodedPart implements Serializable {
  private static final long serialVersionUID = 1L;

  public int index;
  /** Name in the output folder: {@code part-00000.idx}, or the folder {@code part-00000}. */
  public String file;
  public String attempt;
  /**
   * With {@code --format png} from an archive that keeps names: each image's file, relative to
   * the output, in the attempt folder under the same names; null otherwise.
   */
  public String[] names;
  public int images;
  public double seconds;
  public double decodeSeconds;
}
