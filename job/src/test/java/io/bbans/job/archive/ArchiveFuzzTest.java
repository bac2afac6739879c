package io.bbans.job.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bbans.codec.ans.CorruptStreamException;
import io.bbans.codec.image.ImageSet;
import io.bbans.codec.model.ModelFormatException;
import io.bbans.codec.model.VaeModel;
import io.bbans.codec.util.Sha256;
import io.bbans.job.compress.CompressJob;
import io.bbans.job.decompress.DecompressJob;
import io.bbans.job.spark.Sessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the decompress path with mutated shards and manifests. Every case must end in the
 * clear corrupt-input error (CorruptStreamException, ManifestException, or
 * ModelFormatException for a model that is not the archive's) or in the exact original
 * images: no other exception, no case over its time bound, no wrong image.
 *
 * <p>Each case runs the functions a decompress task runs (Archive.open, readShard, decode);
 * every {@code sparkEvery}-th case also runs the whole Spark DecompressJob on it, which must
 * agree. Shard mutations: bit flips, byte runs, truncations, extensions, shards swapped with
 * another job's or another index's; each at three levels of forgery: raw (the manifest's
 * SHA-256 catches it), with the manifest's size and SHA-256 updated to match, and with the
 * shard's own SHA-256 trailer recomputed as well (so the header checks, the message parser and
 * the chain-end check are what must catch it). Manifest mutations: byte-level damage and
 * hostile values, paths and structures.
 *
 * <p>CI runs a fixed-seed sample; the full run (RELIABILITY.md) is
 * {@code mvn -pl job test -Dtest=ArchiveFuzzTest -Dbbans.fuzz.shards=10000
 * -Dbbans.fuzz.manifests=1000}.
 */
class ArchiveFuzzTest {
  /** Cases: the quick tier's (CI), ten times more with {@code -Dbbans.tests=full}. */
  static final boolean FULL = "full".equals(System.getProperty("bbans.tests"));
  static final int SHARD_CASES = Integer.getInteger("bbans.fuzz.shards", FULL ? 3000 : 300);
  static final int MANIFEST_CASES = Integer.getInteger("bbans.fuzz.manifests", FULL ? 750 : 75);
  static final long SEED = Long.getLong("bbans.fuzz.seed", 20261128L);
  static final int SPARK_EVERY = Integer.getInteger("bbans.fuzz.sparkEvery", 100);
  static final long CASE_SECONDS = 20;
  static final int SHARDS = 4;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static JavaSparkContext sc;
  static Path a;
  static Path b;
  static byte[] original;
  static VaeModel model;
  static final Configuration CONF = new Configuration();

  @BeforeAll
  static void makeArchives() throws Exception {
    CONF.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    CONF.setBoolean("fs.file.impl.disable.cache", true);
    sc = Sessions.start(Sessions.conf("ArchiveFuzzTest").setMaster("local[2]"));
    a = dir.resolve("a");
    b = dir.resolve("b");
    for (Path out : List.of(a, b)) {
      CompressJob.Options o = new CompressJob.Options();
      o.output = out.toString();
      o.partitions = SHARDS;
      o.seed = out == a ? 1 : 100;
      CompressJob.run(sc, o);
    }
    Archive archive = Archive.open(a.toString(), CONF);
    model = archive.model(null);
    ByteArrayOutput all = new ByteArrayOutput();
    for (ShardEntry s : archive.manifest().shards) {
      all.write(Archive.decode(Archive.readShard(a.toString(), s, CONF), s,
          archive.manifest(), model).pixels());
    }
    original = all.toByteArray();
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.stop();
    }
  }

  static final class ByteArrayOutput extends java.io.ByteArrayOutputStream {
    @Override
    public void write(byte[] bytes) {
      write(bytes, 0, bytes.length);
    }
  }

  /** How one case ended. */
  enum Outcome { EXACT, REFUSED }

  /** Tallies of a run, by mutation kind and outcome; failures listed in full. */
  static final class Tally {
    final Map<String, int[]> counts = new LinkedHashMap<>();
    final List<String> failures = new ArrayList<>();
    long maxMillis;

    void add(String kind, Outcome o, long millis) {
      counts.computeIfAbsent(kind, k -> new int[2])[o.ordinal()]++;
      maxMillis = Math.max(maxMillis, millis);
    }

    String report(String title) {
      StringBuilder s = new StringBuilder(title).append('\n');
      int exact = 0;
      int refused = 0;
      for (Map.Entry<String, int[]> e : counts.entrySet()) {
        s.append(String.format(Locale.ROOT, "  %-34s exact %6d  refused %6d%n", e.getKey(),
            e.getValue()[0], e.getValue()[1]));
        exact += e.getValue()[0];
        refused += e.getValue()[1];
      }
      s.append(String.format(Locale.ROOT, "  %-34s exact %6d  refused %6d  failures %d,"
          + " slowest case %d ms%n", "total", exact, refused, failures.size(), maxMillis));
      failures.stream().limit(20).forEach(f -> s.append("  FAILURE ").append(f).append('\n'));
      return s.toString();
    }
  }

  // ------------------------------------------------------------------------------ the runner

  /** Copies archive {@code from} into a fresh case folder. */
  static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var s = Files.list(from)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  static List<String> listing(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      return s.map(f -> p.relativize(f).toString()).toList();
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      s.sorted((x, y) -> y.compareTo(x)).forEach(f -> f.toFile().delete());
    }
  }

  /** The decompress path without Spark's scheduling: what the driver and each task run. */
  static Outcome decompress(Path folder) throws IOException {
    try {
      Archive archive = Archive.open(folder.toString(), CONF);
      VaeModel m = archive.model(null);
      ByteArrayOutput all = new ByteArrayOutput();
      for (ShardEntry s : archive.manifest().shards) {
        ImageSet images = Archive.decode(Archive.readShard(folder.toString(), s, CONF), s,
            archive.manifest(), m);
        all.write(images.pixels());
      }
      if (!Arrays.equals(all.toByteArray(), original)) {
        throw new AssertionError("WRONG IMAGES returned");
      }
      return Outcome.EXACT;
    } catch (CorruptStreamException | ManifestException | ModelFormatException e) {
      return Outcome.REFUSED;
    }
  }

  /** The whole Spark decompress job on the same folder. */
  static Outcome decompressWithSpark(Path folder, Path out) throws Exception {
    DecompressJob.Options o = new DecompressJob.Options();
    o.input = folder.toString();
    o.output = out.toString();
    o.merge = true;
    try {
      DecompressJob.run(sc, o);
    } catch (Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof CorruptStreamException || t instanceof ManifestException
            || t instanceof ModelFormatException) {
          return Outcome.REFUSED;
        }
      }
      throw e;
    }
    byte[] merged = Files.readAllBytes(out.resolve(DecompressJob.MERGED));
    if (!Arrays.equals(Arrays.copyOfRange(merged, 16, merged.length), original)) {
      throw new AssertionError("WRONG IMAGES from the Spark job");
    }
    return Outcome.EXACT;
  }

  interface Mutation {
    /** Mutates the case folder; returns the name of the mutation kind. */
    String apply(Path folder, SplittableRandom r) throws Exception;
  }

  static Tally run(String name, int cases, long seed, Mutation mutation) throws Exception {
    Tally tally = new Tally();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      for (int c = 0; c < cases; c++) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + c);
        Path folder = copy(a, dir.resolve(name + "-case"));
        String kind = "?";
        long t0 = System.nanoTime();
        try {
          kind = mutation.apply(folder, r);
          Future<Outcome> f = pool.submit(() -> decompress(folder));
          Outcome o;
          try {
            o = f.get(CASE_SECONDS, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            f.cancel(true);
            pool.shutdownNow();
            pool = Executors.newSingleThreadExecutor();
            throw new AssertionError("over " + CASE_SECONDS + " s (hang)");
          }
          if (SPARK_EVERY > 0 && c % SPARK_EVERY == 0) {
            Path out = dir.resolve(name + "-spark-out-" + c);
            Outcome viaSpark = decompressWithSpark(folder, out);
            if (viaSpark == Outcome.REFUSED && Files.exists(out)) {
              throw new AssertionError("a refused decompress left " + listing(out));
            }
            deleteTree(out);
            if (viaSpark != o) {
              throw new AssertionError("Spark job " + viaSpark + ", task path " + o);
            }
          }
          tally.add(kind, o, (System.nanoTime() - t0) / 1_000_000);
        } catch (Throwable e) {
          Throwable cause = e instanceof java.util.concurrent.ExecutionException
              ? e.getCause() : e;
          tally.failures.add("case " + c + " (" + kind + "): " + cause);
        } finally {
          deleteTree(folder);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return tally;
  }

  static void write(Path p, byte[] bytes) throws IOException {
    Files.write(p, bytes);
  }

  // --------------------------------------------------------------------------- shard mutations

  static final String[] FORGERY = {"raw", "manifest updated", "trailer and manifest forged"};

  @Test
  void mutatedShardsAreRefusedOrExact() throws Exception {
    Tally t = run("shard", SHARD_CASES, SEED, (folder, r) -> {
      int index = r.nextInt(SHARDS);
      Path shard = folder.resolve(ShardEntry.fileName(index));
      byte[] bytes = Files.readAllBytes(shard);
      String kind;
      switch (r.nextInt(5)) {
        case 0: {
          int flips = 1 + r.nextInt(8);
          for (int i = 0; i < flips; i++) {
            int bit = r.nextInt(bytes.length * 8);
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
          }
          kind = "bit flips";
          break;
        }
        case 1: {
          int len = 1 + r.nextInt(Math.min(64, bytes.length));
          int at = r.nextInt(bytes.length - len + 1);
          int mode = r.nextInt(3);
          for (int i = at; i < at + len; i++) {
            bytes[i] = mode == 0 ? 0 : mode == 1 ? (byte) 0xFF : (byte) r.nextInt(256);
          }
          kind = "byte run";
          break;
        }
        case 2:
          bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length));
          kind = "truncation";
          break;
        case 3: {
          int extra = 1 + r.nextInt(r.nextBoolean() ? 8 : 4096);
          byte[] longer = Arrays.copyOf(bytes, bytes.length + extra);
          if (r.nextBoolean()) {
            for (int i = bytes.length; i < longer.length; i++) {
              longer[i] = (byte) r.nextInt(256);
            }
          }
          bytes = longer;
          kind = "extension";
          break;
        }
        default: {
          boolean otherJob = r.nextBoolean();
          int from = otherJob ? index : (index + 1 + r.nextInt(SHARDS - 1)) % SHARDS;
          bytes = Files.readAllBytes((otherJob ? b : a).resolve(ShardEntry.fileName(from)));
          kind = otherJob ? "swapped with another job's" : "swapped with another index's";
        }
      }
      int level = r.nextInt(3);
      if (level == 2 && bytes.length >= 32) {
        System.arraycopy(Sha256.of(bytes, bytes.length - 32), 0, bytes, bytes.length - 32, 32);
      }
      write(shard, bytes);
      if (level >= 1) {
        ObjectNode root = (ObjectNode) JSON.readTree(folder.resolve(Manifest.FILE).toFile());
        ObjectNode entry = (ObjectNode) root.get("shards").get(index);
        entry.put("compressedBytes", bytes.length);
        entry.put("shardSha256", Sha256.hex(bytes, bytes.length));
        write(folder.resolve(Manifest.FILE), JSON.writeValueAsBytes(root));
      }
      return kind + ", " + FORGERY[level];
    });
    String report = t.report(SHARD_CASES + " mutated shards, seed " + SEED);
    System.out.println(report);
    report("shards", report);
    assertEquals(List.of(), t.failures, report);
  }

  // ------------------------------------------------------------------------ manifest mutations

  static final Object[] HOSTILE = {-1, 0, 1, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
      1e300, -0.5, "x", "", null, true, "../part-00000.bbshard", "/etc/passwd",
      "hdfs://elsewhere/part-00000.bbshard", "file:///tmp/x", "part-00000.bbshard",
      "part-00001.bbshard", "a".repeat(10_000), "\u0000", "part-00000.bbshard/../../x",
      "0000000000000000000000000000000000000000000000000000000000000000"};

  static JsonNode hostile(SplittableRandom r) {
    Object v = HOSTILE[r.nextInt(HOSTILE.length)];
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v == null) {
      return f.nullNode();
    } else if (v instanceof Integer) {
      return f.numberNode((Integer) v);
    } else if (v instanceof Long) {
      return f.numberNode((Long) v);
    } else if (v instanceof Double) {
      return f.numberNode((Double) v);
    } else if (v instanceof Boolean) {
      return f.booleanNode((Boolean) v);
    }
    return f.textNode((String) v);
  }

  static List<ObjectNode> objects(JsonNode root) {
    List<ObjectNode> all = new ArrayList<>();
    if (root instanceof ObjectNode) {
      all.add((ObjectNode) root);
    }
    for (JsonNode child : root) {
      all.addAll(objects(child));
    }
    return all;
  }

  @Test
  void mutatedManifestsAreRefusedOrExact() throws Exception {
    Tally t = run("manifest", MANIFEST_CASES, SEED + 1, (folder, r) -> {
      Path path = folder.resolve(Manifest.FILE);
      byte[] bytes = Files.readAllBytes(path);
      switch (r.nextInt(4)) {
        case 0: {
          int edits = 1 + r.nextInt(6);
          StringBuilder s = new StringBuilder(new String(bytes, StandardCharsets.UTF_8));
          for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = r.nextInt(s.length());
            switch (r.nextInt(3)) {
              case 0 -> s.setCharAt(at, (char) (32 + r.nextInt(95)));
              case 1 -> s.delete(at, Math.min(s.length(), at + 1 + r.nextInt(20)));
              default -> s.insert(at, "{[\",:}]0-9e".charAt(r.nextInt(11)));
            }
          }
          write(path, s.toString().getBytes(StandardCharsets.UTF_8));
          return "text edits";
        }
        case 1: {
          JsonNode root = JSON.readTree(bytes);
          List<ObjectNode> objects = objects(root);
          ObjectNode o = objects.get(r.nextInt(objects.size()));
          List<String> names = new ArrayList<>();
          o.fieldNames().forEachRemaining(names::add);
          o.set(names.get(r.nextInt(names.size())), hostile(r));
          write(path, JSON.writeValueAsBytes(root));
          return "hostile value";
        }
        case 2: {
          ObjectNode root = (ObjectNode) JSON.readTree(bytes);
          ArrayNode shards = (ArrayNode) root.get("shards");
          String kind;
          switch (r.nextInt(7)) {
            case 0 -> {
              shards.remove(r.nextInt(shards.size()));
              kind = "shard removed";
            }
            case 1 -> {
              shards.insert(r.nextInt(shards.size()), shards.get(r.nextInt(shards.size()))
                  .deepCopy());
              kind = "shard duplicated";
            }
            case 2 -> {
              int i = r.nextInt(shards.size());
              int j = (i + 1) % shards.size();
              JsonNode x = shards.get(i);
              shards.set(i, shards.get(j));
              shards.set(j, x);
              kind = "shards swapped";
            }
            case 3 -> {
              List<ObjectNode> objects = objects(root);
              ObjectNode o = objects.get(r.nextInt(objects.size()));
              Iterator<String> it = o.fieldNames();
              List<String> names = new ArrayList<>();
              it.forEachRemaining(names::add);
              o.remove(names.get(r.nextInt(names.size())));
              kind = "field removed";
            }
            case 4 -> {
              objects(root).get(r.nextInt(objects(root).size())).put("unknown", "field");
              kind = "unknown field added";
            }
            case 5 -> {
              for (int i = 0; i < 100_000; i++) {
                shards.add(shards.get(i % SHARDS).deepCopy());
              }
              kind = "100,000 shards listed";
            }
            default -> {
              root.set("shards", JSON.createArrayNode());
              kind = "no shards";
            }
          }
          write(path, JSON.writeValueAsBytes(root));
          return kind;
        }
        default: {
          switch (r.nextInt(4)) {
            case 0 -> write(path, Arrays.copyOf(bytes, r.nextInt(bytes.length)));
            case 1 -> write(path, ("[".repeat(5000) + "]".repeat(5000))
                .getBytes(StandardCharsets.UTF_8));
            case 2 -> write(path, new byte[0]);
            default -> {
              byte[] big = new byte[(int) Manifest.MAX_BYTES + 1];
              Arrays.fill(big, (byte) ' ');
              write(path, big);
            }
          }
          return "truncated, nested, empty or oversized";
        }
      }
    });
    String report = t.report(MANIFEST_CASES + " mutated manifests, seed " + (SEED + 1));
    System.out.println(report);
    report("manifests", report);
    assertEquals(List.of(), t.failures, report);
    assertTrue(MANIFEST_CASES == 0 || t.counts.values().stream().mapToInt(c -> c[1]).sum() > 0);
  }

  static void report(String name, String text) throws IOException {
    String file = System.getProperty("bbans.fuzz.report");
    if (file != null) {
      Files.writeString(Path.of(file + "-" + name + ".txt"), text);
    }
  }
}
