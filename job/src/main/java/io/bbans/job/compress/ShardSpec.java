package io.bbans.job.compress;

import java.io.Serializable;

/** What one compress task codes: partition {@code index}, images [first, first + count). */
public final class ShardSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  public int index;
  public long first;
  public int count;

  public ShardSpec(int index, long first, int count) {
    this.index = index;
    this.first = first;
    this.count = count;
  }

  /** Splits {@code total} images into {@code partitions} contiguous ranges of near-equal size. */
  public static ShardSpec[] split(long total, int partitions) {
    ShardSpec[] specs = new ShardSpec[partitions];
    for (int p = 0; p < partitions; p++) {
      long from = total * p / partitions;
      long to = total * (p + 1) / partitions;
      specs[p] = new ShardSpec(p, from, (int) (to - from));
    }
    return specs;
  }
}
