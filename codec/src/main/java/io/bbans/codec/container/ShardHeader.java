package io.bbans.codec.container;

import io.bbans.codec.model.Likelihood;

/** The fixed fields at the start of a shard file, as read and validated by {@link Shard}. */
public final class ShardHeader {
  private final int version;
  private final String modelSha256;
  private final int rows;
  private final int cols;
  private final int count;
  private final int lanes;
  private final long seed;
  private final Likelihood likelihood;
  private final int onValue;
  private final int channels;
  private final long payloadBytes;
  private final String fileSha256;
  private final int[][] sizes;
  private final int bodyOffset;

  ShardHeader(int version, String modelSha256, int rows, int cols, int count, int lanes,
      long seed, Likelihood likelihood, int onValue, int channels, long payloadBytes,
      String fileSha256, int[][] sizes, int bodyOffset) {
    this.version = version;
    this.modelSha256 = modelSha256;
    this.rows = rows;
    this.cols = cols;
    this.count = count;
    this.lanes = lanes;
    this.seed = seed;
    this.likelihood = likelihood;
    this.onValue = onValue;
    this.channels = channels;
    this.payloadBytes = payloadBytes;
    this.fileSha256 = fileSha256;
    this.sizes = sizes;
    this.bodyOffset = bodyOffset;
  }

  /**
   * The images' heights ({@code [0]}) and widths ({@code [1]}) in a tiled shard, whose
   * {@link #rows} and {@link #cols} are the model's tile; null in a shard of one size.
   */
  public int[][] sizes() {
    return sizes;
  }

  /** Where the payload's chain or stored pixels start, after any image sizes. */
  public int bodyOffset() {
    return bodyOffset;
  }

  /** The height of image {@code i}. */
  public int rows(int i) {
    return sizes == null ? rows : sizes[0][i];
  }

  /** The width of image {@code i}. */
  public int cols(int i) {
    return sizes == null ? cols : sizes[1][i];
  }

  /** Samples per pixel: 1, or 3 for an RGB shard. */
  public int channels() {
    return channels;
  }

  /** Samples of all the shard's images: their pixels times {@link #channels}. */
  public long pixels() {
    long n = sizes == null ? (long) count * rows * cols : 0;
    for (int i = 0; sizes != null && i < count; i++) {
      n += (long) sizes[0][i] * sizes[1][i];
    }
    return n * channels;
  }

  /** Hex SHA-256 of the whole shard file, computed as it was read. */
  public String fileSha256() {
    return fileSha256;
  }

  public int version() {
    return version;
  }

  /** Hex SHA-256 of the model file the shard was coded with. */
  public String modelSha256() {
    return modelSha256;
  }

  /** The height of every image, or of the model's tile in a tiled shard. */
  public int rows() {
    return rows;
  }

  /** The width of every image, or of the model's tile in a tiled shard. */
  public int cols() {
    return cols;
  }

  /** Number of images in the shard. */
  public int count() {
    return count;
  }

  public int lanes() {
    return lanes;
  }

  public long seed() {
    return seed;
  }

  public Likelihood likelihood() {
    return likelihood;
  }

  /** For binary images, the pixel value of a 1 in the original (1 or 255); 0 for 8-bit. */
  public int onValue() {
    return onValue;
  }

  /** Bytes of the flattened message. */
  public long payloadBytes() {
    return payloadBytes;
  }
}
