package io.bbans.codec.model;

import io.bbans.codec.util.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model file: the integer network that codes, the float network it was quantised from, and
 * the training metadata, identified by the SHA-256 of its bytes.
 *
 * <p>Format, big-endian: the 8-byte magic {@code BBVAEMDL}; u16 format version ({@link #VERSION});
 * the architecture (u32 rows, u32 cols, u8 likelihood, u32 hidden count and each hidden width,
 * u32 latent, u8 bucket bits, u8 latent precision, u8 pixel precision, from version 2 u32
 * context hidden units, from version 3 u8 mixture components, from version 4 u8 channels, from
 * version 5 u8 tile context (1; from version 6 0 or 1), from version 6 u8 context window (3 or
 * 4));
 * u32 length and UTF-8 {@code key=value} lines of metadata; the
 * integer layers, encoder then decoder then (versions 2, 3) the context head's hidden, output and
 * skip layers (u32 in, u32 out, u8 relu, u8 inFrac, u8 outFrac, i8 exponents[out],
 * i16 weights[in*out], i64 bias[out]); the float layers in the same order (u32 in, u32 out,
 * u8 relu, f32 weights[in*out], f32 bias[out]); and a SHA-256 of everything before it.
 *
 * <p>Version 1 is a model without a context head and is still written for one, byte for byte as
 * before, so its SHA-256 (an archive's reference to it) never changes; version 2 adds the head
 * ({@link Context}), version 3 its mixture output ({@link Architecture#mixture}), version 4
 * colour ({@link Architecture#channels}, any mixture), version 5 the context of neighbouring
 * tiles ({@link Architecture#tileContext}, any channels), version 6 a context head whose
 * neighbours reach further ({@link Architecture#window}); versions 2 to 5 are likewise written
 * as before.</p>
 */
public final class VaeModel {
  static final byte[] MAGIC = "BBVAEMDL".getBytes(StandardCharsets.US_ASCII);
  /**
   * The newest format version: 2 adds the context head, 3 a mixture of logistics out of it, 4
   * colour (RGB), 5 the context of neighbouring tiles, 6 a wider context window; each model is
   * written in the oldest version that holds it.
   */
  public static final int VERSION = 6;
  /**
   * The bundled models, by name: {@code --model NAME} finds them in the jar. The first five are
   * the defaults (format 3 with a mixture of logistics for 8-bit pixels, format 2 for bits,
   * format 4 for colour, trained on blocks of photographs, format 6 for grayscale photographs,
   * reading the neighbouring tiles through a window of 3); the {@code -v3}, {@code -v2} and
   * {@code -v1} ones are the models that were the defaults before (format 3 trained less,
   * format 2 with one logistic, format 1 without context, {@code grayscale-photo-v2} the same
   * format trained three epochs less and not under the tiles' settings, and
   * {@code grayscale-photo-v1} of format 5 with the ten nearest neighbours), kept so that
   * archives made with them still decode.
   */
  public static final List<String> BUNDLED = List.of("fashion-mnist", "mnist", "mnist-binary",
      "colour", "grayscale-photo", "grayscale-photo-v2", "grayscale-photo-v1", "mnist-v3",
      "fashion-mnist-v2", "mnist-v2", "fashion-mnist-v1", "mnist-v1", "mnist-binary-v1");
  /**
   * The current bundled models, the first of {@link #BUNDLED}: those compress and train choose
   * among by their rate on the images (for 8-bit grayscale fashion-mnist, mnist and
   * grayscale-photo; for bits mnist-binary as well; for RGB colour).
   */
  public static final List<String> DEFAULTS = BUNDLED.subList(0, 5);
  static final String RESOURCE_DIR = "/io/bbans/models/";
  static final String EXTENSION = ".bbvae";
  private static final long MAX_FILE_BYTES = 256L << 20;

  private final Architecture architecture;
  private final Map<String, String> metadata;
  private final QuantizedVae quantized;
  private final FloatVae floating;
  private final byte[] bytes;
  private final String sha256;

  private VaeModel(Architecture architecture, Map<String, String> metadata,
      QuantizedVae quantized, FloatVae floating, byte[] bytes) {
    this.architecture = architecture;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.quantized = quantized;
    this.floating = floating;
    this.bytes = bytes;
    this.sha256 = Sha256.hex(bytes, bytes.length);
  }

  /** Builds the file for a trained and quantised network. */
  public static VaeModel create(FloatVae floating, QuantizedVae quantized,
      Map<String, String> metadata) {
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey().contains("=") || e.getKey().contains("\n") || e.getValue().contains("\n")) {
        throw new IllegalArgumentException("metadata keys and values are single lines: " + e);
      }
    }
    byte[] bytes = write(floating.architecture(), metadata, quantized, floating);
    return new VaeModel(floating.architecture(), metadata, quantized, floating, bytes);
  }

  public Architecture architecture() {
    return architecture;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public QuantizedVae quantized() {
    return quantized;
  }

  public FloatVae floating() {
    return floating;
  }

  /** The file's bytes; callers must not modify them. */
  public byte[] bytes() {
    return bytes;
  }

  /** Lower-case hex SHA-256 of the file: the model's identity in archives. */
  public String sha256() {
    return sha256;
  }

  public void save(Path path) throws IOException {
    Files.write(path, bytes);
  }

  /**
   * Loads {@code fileOrName}: a model file, or the name of a bundled model
   * ({@link #BUNDLED}).
   */
  public static VaeModel load(String fileOrName) throws IOException {
    Path path;
    try {
      path = Path.of(fileOrName);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ModelFormatException("'" + fileOrName.replaceAll("\\p{Cntrl}", "?")
          + "' is neither a model file nor a bundled model name");
    }
    if (Files.isRegularFile(path)) {
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new ModelFormatException(fileOrName + ": " + Files.size(path)
            + " bytes, larger than any model file (" + MAX_FILE_BYTES + ")");
      }
      return read(Files.readAllBytes(path), fileOrName);
    }
    if (BUNDLED.contains(fileOrName)) {
      byte[] bytes = bundledBytes(fileOrName);
      if (bytes == null) {
        throw new ModelFormatException("bundled model '" + fileOrName
            + "' is missing from this build");
      }
      return read(bytes, "bundled model " + fileOrName);
    }
    throw new ModelFormatException("no model file '" + fileOrName + "', nor a bundled model of"
        + " that name (bundled: " + String.join(", ", BUNDLED) + ")");
  }

  /** The bundled model whose file has this SHA-256, or null if none has. */
  public static VaeModel bundledWithSha(String sha256) throws IOException {
    for (String name : BUNDLED) {
      byte[] bytes = bundledBytes(name);
      if (bytes != null && Sha256.hex(bytes, bytes.length).equals(sha256)) {
        return read(bytes, "bundled model " + name);
      }
    }
    return null;
  }

  private static byte[] bundledBytes(String name) throws IOException {
    try (InputStream in = VaeModel.class.getResourceAsStream(RESOURCE_DIR + name + EXTENSION)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  // ------------------------------------------------------------------------------------ write

  private static byte[] write(Architecture a, Map<String, String> metadata, QuantizedVae q,
      FloatVae f) {
    try {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(buffer);
      out.write(MAGIC);
      out.writeShort(version(a));
      out.writeInt(a.rows());
      out.writeInt(a.cols());
      out.writeByte(a.likelihood().ordinal());
      out.writeInt(a.hidden().length);
      for (int h : a.hidden()) {
        out.writeInt(h);
      }
      out.writeInt(a.latent());
      out.writeByte(a.bucketBits());
      out.writeByte(a.latentPrecision());
      out.writeByte(a.pixelPrecision());
      if (a.hasContext()) {
        out.writeInt(a.contextHidden());
      }
      if (version(a) >= 3) {
        out.writeByte(a.mixture());
      }
      if (version(a) >= 4) {
        out.writeByte(a.channels());
      }
      if (version(a) >= 5) {
        out.writeByte(a.tileContext() ? 1 : 0);
      }
      if (version(a) >= 6) {
        out.writeByte(a.window());
      }
      StringBuilder text = new StringBuilder();
      metadata.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      byte[] meta = text.toString().getBytes(StandardCharsets.UTF_8);
      out.writeInt(meta.length);
      out.write(meta);
      for (IntLayer layer : concat(concat(q.encoder, q.decoder), q.head)) {
        out.writeInt(layer.in);
        out.writeInt(layer.out);
        out.writeByte(layer.relu ? 1 : 0);
        out.writeByte(layer.inFrac);
        out.writeByte(layer.outFrac);
        out.write(layer.exponents);
        for (short w : layer.weights) {
          out.writeShort(w);
        }
        for (long b : layer.bias) {
          out.writeLong(b);
        }
      }
      for (FloatLayer layer : concat(concat(f.encoder, f.decoder), f.head)) {
        out.writeInt(layer.in);
        out.writeInt(layer.out);
        out.writeByte(layer.relu ? 1 : 0);
        for (float w : layer.weights) {
          out.writeFloat(w);
        }
        for (float b : layer.bias) {
          out.writeFloat(b);
        }
      }
      out.flush();
      byte[] body = buffer.toByteArray();
      byte[] file = Arrays.copyOf(body, body.length + 32);
      System.arraycopy(Sha256.of(body, body.length), 0, file, body.length, 32);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The oldest format version that holds the architecture, so older files stay as they were. */
  static int version(Architecture a) {
    return a.window() > Architecture.MIN_WINDOW ? 6 : a.tileContext() ? 5
        : a.channels() > 1 ? 4 : a.mixture() > 1 ? 3 : a.hasContext() ? 2 : 1;
  }

  private static <T> List<T> concat(T[] a, T[] b) {
    return concat(Arrays.asList(a), b);
  }

  private static <T> List<T> concat(List<T> a, T[] b) {
    List<T> all = new java.util.ArrayList<>(a);
    all.addAll(Arrays.asList(b));
    return all;
  }

  // ------------------------------------------------------------------------------------- read

  /** Parses a model file's bytes; {@code name} is used in error messages. */
  public static VaeModel read(byte[] bytes, String name) {
    if (bytes.length < MAGIC.length + 2 || !Arrays.equals(MAGIC, 0, MAGIC.length, bytes, 0,
        MAGIC.length)) {
      throw new ModelFormatException(name + ": not a bbans model file (wrong magic)");
    }
    int version = ((bytes[8] & 0xFF) << 8) | (bytes[9] & 0xFF);
    if (version < 1 || version > VERSION) {
      throw new ModelFormatException(name + ": model format version " + version
          + "; this build reads versions 1 to " + VERSION);
    }
    if (bytes.length < MAGIC.length + 2 + 32
        || !Arrays.equals(Sha256.of(bytes, bytes.length - 32), 0, 32, bytes, bytes.length - 32,
            bytes.length)) {
      throw new ModelFormatException(name + ": truncated or corrupt (checksum mismatch)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 32);
    in.position(MAGIC.length + 2);
    try {
      Architecture a = readArchitecture(in, version, name);
      int metaLength = in.getInt();
      if (metaLength < 0 || metaLength > in.remaining()) {
        throw new ModelFormatException(name + ": metadata length " + metaLength + " is wrong");
      }
      byte[] meta = new byte[metaLength];
      in.get(meta);
      Map<String, String> metadata = new LinkedHashMap<>();
      for (String line : new String(meta, StandardCharsets.UTF_8).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          metadata.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      int[][] shapes = layerShapes(a);
      IntLayer[] q = new IntLayer[shapes.length];
      FloatLayer[] f = new FloatLayer[shapes.length];
      for (int i = 0; i < shapes.length; i++) {
        q[i] = readIntLayer(in, shapes[i][0], shapes[i][1], shapes[i][2] != 0, name);
      }
      for (int i = 0; i < shapes.length; i++) {
        f[i] = readFloatLayer(in, shapes[i][0], shapes[i][1], shapes[i][2] != 0, name);
      }
      int e = a.encoderWidths().length - 1;
      int d = a.decoderWidths().length - 1;
      if (in.hasRemaining()) {
        throw new ModelFormatException(name + ": " + in.remaining() + " unexpected bytes");
      }
      return new VaeModel(a, metadata,
          new QuantizedVae(a, Arrays.copyOfRange(q, 0, e), Arrays.copyOfRange(q, e, e + d),
              Arrays.copyOfRange(q, e + d, q.length)),
          new FloatVae(a, Arrays.copyOfRange(f, 0, e), Arrays.copyOfRange(f, e, e + d),
              Arrays.copyOfRange(f, e + d, f.length)), bytes);
    } catch (BufferUnderflowException e) {
      throw new ModelFormatException(name + ": ends before its layers do");
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(name + ": inconsistent: " + e.getMessage());
    }
  }

  /**
   * Every layer as {in, out, relu}, in file order: the encoder's, the decoder's, then the context
   * head's (hidden, output, skip) when there is one.
   */
  private static int[][] layerShapes(Architecture a) {
    List<int[]> shapes = new java.util.ArrayList<>();
    for (int[] w : new int[][] {a.encoderWidths(), a.decoderWidths()}) {
      for (int i = 0; i + 1 < w.length; i++) {
        shapes.add(new int[] {w[i], w[i + 1], i + 2 < w.length ? 1 : 0});
      }
    }
    if (a.hasContext()) {
      int n = Context.inputs(a);
      int outs = a.parametersPerPixel();
      shapes.add(new int[] {n, a.contextHidden(), 1});
      shapes.add(new int[] {a.contextHidden(), outs, 0});
      shapes.add(new int[] {n, outs, 0});
    }
    return shapes.toArray(new int[0][]);
  }

  private static Architecture readArchitecture(ByteBuffer in, int version, String name) {
    int rows = in.getInt();
    int cols = in.getInt();
    int likelihood = in.get() & 0xFF;
    if (likelihood >= Likelihood.values().length) {
      throw new ModelFormatException(name + ": unknown likelihood " + likelihood);
    }
    int count = in.getInt();
    if (count < 1 || count > 64) {
      throw new ModelFormatException(name + ": " + count + " hidden layers");
    }
    int[] hidden = new int[count];
    for (int i = 0; i < count; i++) {
      hidden[i] = in.getInt();
    }
    int latent = in.getInt();
    int bucketBits = in.get() & 0xFF;
    int latentPrecision = in.get() & 0xFF;
    int pixelPrecision = in.get() & 0xFF;
    int contextHidden = 0;
    if (version >= 2) {
      contextHidden = in.getInt();
      if (contextHidden < 1) {
        throw new ModelFormatException(name + ": format 2 with " + contextHidden
            + " context hidden units");
      }
    }
    int mixture = 1;
    if (version >= 3) {
      mixture = in.get() & 0xFF;
      if (mixture < (version == 3 ? 2 : 1)) {
        throw new ModelFormatException(name + ": format " + version + " with a mixture of "
            + mixture);
      }
    }
    int channels = 1;
    if (version >= 4) {
      channels = in.get() & 0xFF;
      if (version == 4 && channels < 2) {
        throw new ModelFormatException(name + ": format 4 with " + channels + " channel");
      }
    }
    boolean tileContext = false;
    if (version >= 5) {
      int flag = in.get() & 0xFF;
      if (flag != 1 && (version == 5 || flag != 0)) {
        throw new ModelFormatException(name + ": format " + version + " with tile context "
            + flag);
      }
      tileContext = flag == 1;
    }
    int window = Architecture.MIN_WINDOW;
    if (version >= 6) {
      window = in.get() & 0xFF;
      if (window <= Architecture.MIN_WINDOW) {
        throw new ModelFormatException(name + ": format 6 with a context window of " + window);
      }
    }
    return new Architecture(rows, cols, channels, Likelihood.values()[likelihood], hidden,
        latent, bucketBits, latentPrecision, pixelPrecision, contextHidden, mixture,
        tileContext, window);
  }

  private static void expectShape(ByteBuffer in, int inWidth, int outWidth, boolean relu,
      String name) {
    int i = in.getInt();
    int o = in.getInt();
    boolean r = in.get() != 0;
    if (i != inWidth || o != outWidth || r != relu) {
      throw new ModelFormatException(name + ": a layer is " + i + "x" + o + (r ? " relu" : "")
          + ", the architecture says " + inWidth + "x" + outWidth + (relu ? " relu" : ""));
    }
  }

  private static IntLayer readIntLayer(ByteBuffer in, int inWidth, int outWidth, boolean relu,
      String name) {
    expectShape(in, inWidth, outWidth, relu, name);
    int inFrac = in.get() & 0xFF;
    int outFrac = in.get() & 0xFF;
    byte[] exponents = new byte[outWidth];
    in.get(exponents);
    need(in, (long) inWidth * outWidth * 2 + outWidth * 8L, name);
    short[] weights = new short[inWidth * outWidth];
    in.asShortBuffer().get(weights);
    in.position(in.position() + weights.length * 2);
    long[] bias = new long[outWidth];
    in.asLongBuffer().get(bias);
    in.position(in.position() + bias.length * 8);
    return new IntLayer(inWidth, outWidth, relu, inFrac, outFrac, weights, exponents, bias);
  }

  private static FloatLayer readFloatLayer(ByteBuffer in, int inWidth, int outWidth,
      boolean relu, String name) {
    expectShape(in, inWidth, outWidth, relu, name);
    need(in, ((long) inWidth * outWidth + outWidth) * 4, name);
    float[] weights = new float[inWidth * outWidth];
    in.asFloatBuffer().get(weights);
    in.position(in.position() + weights.length * 4);
    float[] bias = new float[outWidth];
    in.asFloatBuffer().get(bias);
    in.position(in.position() + bias.length * 4);
    return new FloatLayer(inWidth, outWidth, relu, weights, bias);
  }

  private static void need(ByteBuffer in, long bytes, String name) {
    if (bytes > in.remaining()) {
      throw new ModelFormatException(name + ": ends before its layers do");
    }
  }
}
