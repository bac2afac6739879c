package io.bbans.job.archive;

import io.bbans.codec.ShardCodec;
import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.container.Shard;
import io.bbans.codec.container.ShardHeader;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.ModelFormatException;
import io.bbans.codec.model.VaeModel;
import io.bbans.codec.util.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A finished archive folder, opened for reading: its manifest validated, and every shard it
 * lists checked to be there with the size it claims, before any task starts.
 */
public final class Archive {
  private final String folder;
  private final Manifest manifest;

  private Archive(String folder, Manifest manifest) {
    this.folder = folder;
    this.manifest = manifest;
  }

  public String folder() {
    return folder;
  }

  public Manifest manifest() {
    return manifest;
  }

  public static Archive open(String folder, Configuration conf) throws IOException {
    Path dir = new Path(folder);
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
      List<Path> unfinished = fs.exists(dir) ? List.of()
          : OutputCommitter.leftovers(fs, fs.makeQualified(dir));
      throw new ManifestException(folder + ": no such archive folder" + (unfinished.isEmpty()
          ? "" : " (the work folder of a run that was killed or is still running lies beside"
          + " it: " + unfinished.get(0).getName() + ")"));
    }
    Path manifestPath = new Path(dir, Manifest.FILE);
    if (!fs.exists(new Path(dir, OutputCommitter.SUCCESS))) {
      throw new ManifestException(folder + " is not a complete archive: it has no "
          + OutputCommitter.SUCCESS + " (the job that wrote it failed or has not finished)");
    }
    if (!fs.exists(manifestPath)) {
      throw new ManifestException(folder + " has no " + Manifest.FILE);
    }
    long length = fs.getFileStatus(manifestPath).getLen();
    if (length > Manifest.MAX_BYTES) {
      throw new ManifestException(Manifest.FILE + " is " + length + " bytes, more than any"
          + " archive needs (" + Manifest.MAX_BYTES + ")");
    }
    byte[] json;
    try (InputStream in = fs.open(manifestPath)) {
      json = in.readNBytes((int) length + 1);
    }
    Manifest m = Manifest.parse(json);
    Map<String, Long> sizes = new HashMap<>();
    for (FileStatus f : fs.listStatus(dir)) {
      sizes.put(f.getPath().getName(), f.isFile() ? f.getLen() : -1);
    }
    for (ShardEntry s : m.shards) {
      Long size = sizes.get(s.file);
      if (size == null) {
        throw new ManifestException(folder + ": shard " + s.file + " is missing");
      }
      if (size != s.compressedBytes) {
        throw new ManifestException(folder + ": shard " + s.file + " is " + size
            + " bytes, the manifest says " + s.compressedBytes);
      }
      checkSideFile(folder, sizes, s.namesFile, s.namesBytes, "the names of shard " + s.index
          + "'s images");
      checkSideFile(folder, sizes, s.alphaFile, s.alphaBytes, "the alpha channels of shard "
          + s.index + "'s images");
      checkSideFile(folder, sizes, s.keptFile, s.keptBytes, "the other columns of shard "
          + s.index + "'s rows");
    }
    // Qualified: tasks read the shards from the driver's folder, wherever they run.
    return new Archive(fs.makeQualified(dir).toString(), m);
  }

  /**
   * A file kept beside a shard ({@code file}, null for none) is there with the manifest's
   * size; {@code what} it holds names it when it is missing.
   */
  private static void checkSideFile(String folder, Map<String, Long> sizes, String file,
      long bytes, String what) {
    if (file == null) {
      return;
    }
    Long size = sizes.get(file);
    if (size == null || size != bytes) {
      throw new ManifestException(folder + ": " + file + (size == null ? " (" + what
          + ") is missing" : " is " + size + " bytes, the manifest says " + bytes));
    }
  }

  /**
   * The model that decodes this archive: {@code given} if not null, else the model the
   * manifest names (a bundled name or a file path). It must be the one the archive was made
   * with, by SHA-256.
   */
  public VaeModel model(String given) throws IOException {
    String name = given != null ? given : manifest.modelName;
    VaeModel model;
    try {
      model = VaeModel.load(name);
    } catch (ModelFormatException e) {
      if (given != null) {
        throw e;
      }
      model = VaeModel.bundledWithSha(manifest.modelSha256);
      if (model == null) {
        throw new ModelFormatException("the archive was made with model '" + name + "' ("
            + manifest.modelSha256 + "), which is not here; give its file with --model");
      }
    }
    if (!model.sha256().equals(manifest.modelSha256) && given == null) {
      // A bundled name whose model has been replaced since (fashion-mnist was format 1 before
      // the context models): the former model is still bundled under another name.
      VaeModel former = VaeModel.bundledWithSha(manifest.modelSha256);
      model = former != null ? former : model;
    }
    if (!model.sha256().equals(manifest.modelSha256)) {
      throw new ModelFormatException("the archive was made with model " + manifest.modelSha256
          + ", not with " + name + " (" + model.sha256() + ")");
    }
    if (model.architecture().channels() != manifest.channels) {
      throw new ManifestException("the manifest says " + manifest.channels + " channels a pixel,"
          + " its model codes " + model.architecture().channels());
    }
    return model;
  }

  /**
   * Reads shard {@code s} whole and checks it: its size and SHA-256 against the manifest, its
   * header and trailer ({@link Shard#read}, one pass over the bytes for both hashes).
   */
  public static ShardFile readShard(String folder, ShardEntry s, Configuration conf)
      throws IOException {
    byte[] bytes = read(folder, s.file, s.compressedBytes, conf);
    ShardHeader h;
    try {
      h = Shard.read(bytes);
    } catch (CorruptStreamException e) {
      checkSha256(bytes, Sha256.hex(bytes, bytes.length), s.file, s.shardSha256, "shard");
      throw e.withContext(s.file);
    }
    checkSha256(bytes, h.fileSha256(), s.file, s.shardSha256, "shard");
    return new ShardFile(bytes, h);
  }

  /** A shard's bytes and its header, read and checked once. */
  public static final class ShardFile {
    public final byte[] bytes;
    public final ShardHeader header;

    ShardFile(byte[] bytes, ShardHeader header) {
      this.bytes = bytes;
      this.header = header;
    }
  }

  /**
   * The file names of shard {@code s}'s images, in order, checked against the manifest (size,
   * SHA-256, one per image) and as names that may be written ({@link Names}); null when the
   * archive keeps none.
   */
  public static String[] readNames(String folder, ShardEntry s, Configuration conf)
      throws IOException {
    if (s.namesFile == null) {
      return null;
    }
    byte[] bytes = readChecked(folder, s.namesFile, s.namesBytes, s.namesSha256, "names file",
        conf);
    try {
      return Names.decode(bytes, s.images, s.namesFile);
    } catch (IllegalArgumentException e) {
      throw new CorruptStreamException(e.getMessage());
    }
  }

  /**
   * The alpha planes of shard {@code s}'s images, decoded to {@code images}, checked against
   * the manifest (size, SHA-256) and the images (count, sizes): one per image, null where it
   * has none; null when the shard keeps no alpha.
   */
  public static byte[][] readAlpha(String folder, ShardEntry s, ImageSet images,
      Configuration conf) throws IOException {
    if (s.alphaFile == null) {
      return null;
    }
    byte[] bytes = readChecked(folder, s.alphaFile, s.alphaBytes, s.alphaSha256, "alpha file",
        conf);
    try {
      return Alpha.decode(bytes, images, s.alphaFile);
    } catch (IllegalArgumentException e) {
      throw new CorruptStreamException(e.getMessage());
    }
  }

  /**
   * Checks shard {@code s}'s kept-columns file (size and SHA-256) before it is read as
   * Parquet; nothing to check when the archive keeps none.
   */
  public static void checkKept(String folder, ShardEntry s, Configuration conf)
      throws IOException {
    if (s.keptFile != null) {
      readChecked(folder, s.keptFile, s.keptBytes, s.keptSha256, "kept-columns file", conf);
    }
  }

  private static byte[] readChecked(String folder, String file, long size, String sha256,
      String what, Configuration conf) throws IOException {
    byte[] bytes = read(folder, file, size, conf);
    checkSha256(bytes, Sha256.hex(bytes, bytes.length), file, sha256, what);
    return bytes;
  }

  private static byte[] read(String folder, String file, long size, Configuration conf)
      throws IOException {
    Path p = new Path(new Path(folder), file);
    FileSystem fs = p.getFileSystem(conf);
    long length = fs.getFileStatus(p).getLen();
    if (length != size) {
      throw new CorruptStreamException(file + ": " + length + " bytes, the manifest says "
          + size, Math.min(length, size));
    }
    byte[] bytes = new byte[(int) length];
    try (FSDataInputStream in = fs.open(p)) {
      in.readFully(bytes);
    }
    return bytes;
  }

  private static void checkSha256(byte[] bytes, String actual, String file, String expected,
      String what) {
    if (!actual.equals(expected)) {
      throw new CorruptStreamException(file + ": SHA-256 differs from the manifest's: the "
          + what + " is corrupt");
    }
  }

  /**
   * Decodes shard {@code s} and checks everything the manifest says of it: header, seed, count,
   * and the SHA-256 of the decoded pixels. Anything else is a {@link CorruptStreamException}.
   */
  public static ImageSet decode(ShardFile f, ShardEntry s, Manifest m, VaeModel model) {
    return decode(f, s, m, model, n -> { });
  }

  /** As above, telling {@code progress} how many images each batch decoded. */
  public static ImageSet decode(ShardFile f, ShardEntry s, Manifest m, VaeModel model,
      java.util.function.IntConsumer progress) {
    ImageSet images;
    ShardHeader h = f.header;
    try {
      if (!h.modelSha256().equals(m.modelSha256)) {
        throw new CorruptStreamException("names model " + h.modelSha256()
            + ", the manifest " + m.modelSha256, 10);
      }
      if (h.version() > m.shardFormatVersion) {
        throw new CorruptStreamException("shard format version " + h.version() + ", above the"
            + " manifest's " + m.shardFormatVersion, 8);
      }
      if (h.count() != s.images || h.lanes() != s.lanes || h.seed() != s.seed
          || !sizesAgree(h, s, m) || h.likelihood() != m.likelihood
          || h.channels() != m.channels) {
        throw new CorruptStreamException("header (" + h.count() + " images of "
            + (h.sizes() == null ? h.rows() + "x" + h.cols() : h.pixels() + " pixels") + ", "
            + h.lanes() + " lanes, seed " + h.seed() + ") differs from the manifest's ("
            + s.images + " of " + (m.mixedSizes() ? s.originalBytes + " pixels"
            : m.rows + "x" + m.cols) + ", " + s.lanes + " lanes, seed " + s.seed + ")", 0);
      }
      images = ShardCodec.decode(h, f.bytes, model, progress);
    } catch (CorruptStreamException e) {
      throw e.withContext(s.file);
    }
    if (!Sha256.hex(images.pixels(), images.pixels().length).equals(s.pixelsSha256)) {
      throw new CorruptStreamException(s.file + ": decoded pixels differ from the manifest's"
          + " SHA-256");
    }
    return images;
  }

  /**
   * Whether a shard's images have the sizes its manifest says: each the manifest's one size,
   * or, for mixed sizes, the shard's pixels what the manifest counts (the pixels' SHA-256,
   * checked after decoding, covers the rest).
   */
  private static boolean sizesAgree(ShardHeader h, ShardEntry s, Manifest m) {
    if (m.mixedSizes()) { // a shard whose images all have the model's size keeps none
      return h.pixels() == s.originalBytes;
    }
    for (int i = 0; i < h.count(); i++) {
      if (h.rows(i) != m.rows || h.cols(i) != m.cols) {
        return false;
      }
    }
    return true;
  }
}
