package io.bbans.job.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bbans.job.archive.Manifest;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of one archive, per shard and in total: a table, JSON, or a PNG chart. */
public final class StatsReport {
  private final String folder;
  private final Manifest manifest;
  private final List<ShardStats> shards;
  private final boolean baselines;

  StatsReport(String folder, Manifest manifest, List<ShardStats> shards, boolean baselines) {
    this.folder = folder;
    this.manifest = manifest;
    this.shards = shards;
    this.baselines = baselines;
  }

  public List<ShardStats> shards() {
    return shards;
  }

  public long images() {
    return shards.stream().mapToLong(s -> s.images).sum();
  }

  public long originalBytes() {
    return shards.stream().mapToLong(s -> s.originalBytes).sum();
  }

  public long compressedBytes() {
    return shards.stream().mapToLong(s -> s.compressedBytes).sum();
  }

  public double bitsPerDim() {
    return perDim(8.0 * compressedBytes());
  }

  public double negativeElboBitsPerDim() {
    return perDim(shards.stream().mapToDouble(s -> s.negativeElboBits).sum());
  }

  /** Seconds the tasks spent decoding their shards, summed (compress times are in its log). */
  public double decodeSeconds() {
    return shards.stream().mapToDouble(s -> s.decodeSeconds).sum();
  }

  /** bits/dim of a baseline over all shards, or NaN when not computed. */
  public double baselineBitsPerDim(String name) {
    if (!baselines) {
      return Double.NaN;
    }
    return perDim(8.0 * shards.stream().mapToLong(s -> baselineBytes(s, name)).sum());
  }

  static long baselineBytes(ShardStats s, String name) {
    switch (name) {
      case "gzip":
        return s.gzipBytes;
      case "bzip2":
        return s.bzip2Bytes;
      case "xz":
        return s.xzBytes;
      case "jpegxl":
        return s.jpegXlBytes;
      case "png":
        return s.pngBytes;
      case "webp":
        return s.webpBytes;
      default:
        throw new IllegalArgumentException(name);
    }
  }

  private double perDim(double bits) {
    long dims = originalBytes();
    return dims == 0 ? 0 : bits / dims;
  }

  private static double perDim(double bits, long dims) {
    return dims == 0 ? 0 : bits / dims;
  }

  static final String[] GENERIC = {"gzip", "bzip2", "xz"};

  /**
   * The baselines computed for every shard: the generic ones, then PNG, JPEG XL where cjxl
   * ran and WebP where cwebp ran.
   */
  private String[] baselineNames() {
    if (!baselines) {
      return new String[0];
    }
    List<String> names = new java.util.ArrayList<>(List.of(GENERIC));
    for (String b : new String[] {"png", "jpegxl", "webp"}) {
      if (!shards.isEmpty() && shards.stream().allMatch(s -> baselineBytes(s, b) >= 0)) {
        names.add(b);
      }
    }
    return names.toArray(new String[0]);
  }

  public void printTable(PrintWriter out) {
    out.printf(Locale.ROOT, "archive %s%n  model %s (%s), %s, %s images%n", folder,
        manifest.modelName, manifest.modelSha256.substring(0, 12), manifest.likelihood.id(),
        manifest.mixedSizes() ? "mixed-size" : manifest.rows + "x" + manifest.cols);
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT,
        "%-18s %8s %6s %12s %12s %9s %9s %9s %8s", "shard", "images", "lanes", "original B",
        "compressed B", "bits/dim", "-ELBO", "overhead", "decode s"));
    if (baselines) {
      for (String b : baselineNames()) {
        head.append(String.format(Locale.ROOT, " %8s", b));
      }
    }
    out.println(head);
    for (ShardStats s : shards) {
      double bpd = perDim(8.0 * s.compressedBytes, s.originalBytes);
      double elbo = perDim(s.negativeElboBits, s.originalBytes);
      row(out, s.file, s.images, Integer.toString(s.lanes), s.originalBytes, s.compressedBytes,
          bpd, elbo, s.decodeSeconds, s);
    }
    row(out, "total", images(), "", originalBytes(), compressedBytes(), bitsPerDim(),
        negativeElboBitsPerDim(), decodeSeconds(), null);
    if (manifest.table != null && manifest.keptBytes() > 0) {
      out.printf(Locale.ROOT, "  the table's other columns, kept beside the shards: %d bytes;"
          + " with them %.4f bits/dim%n", manifest.keptBytes(),
          perDim(8.0 * (compressedBytes() + manifest.keptBytes())));
    }
    if (manifest.hasAlpha()) {
      out.printf(Locale.ROOT, "  alpha channels, kept beside the shards (deflated, not in the"
          + " bits/dim above): %d bytes%n", manifest.alphaBytes());
    }
    if (baselines) {
      List<String> names = List.of(baselineNames());
      out.println("  baselines: gzip -9, bzip2 -9, xz -6 of each shard's pixels; PNG of each"
          + " image" + (names.contains("jpegxl") ? "; JPEG XL (cjxl -d 0 -e 9) of its images "
          + (manifest.mixedSizes() ? "each alone (their sizes differ)" : "in one strip") : "")
          + (names.contains("webp") ? "; WebP lossless (cwebp -lossless -z 9) of each image"
          : "") + "; bits/dim");
    }
  }

  private void row(PrintWriter out, String name, long images, String lanes, long original,
      long compressed, double bpd, double elbo, double seconds, ShardStats s) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "%-18s %8d %6s %12d %12d %9.4f %9.4f %+9.4f %8.2f", name, images, lanes, original,
        compressed, bpd, elbo, bpd - elbo, seconds));
    if (baselines) {
      for (String b : baselineNames()) {
        double v = s == null ? baselineBitsPerDim(b)
            : perDim(8.0 * baselineBytes(s, b), s.originalBytes);
        line.append(String.format(Locale.ROOT, " %8.4f", v));
      }
    }
    out.println(line);
  }

  public String toJson() {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("archive", folder);
    root.put("model", manifest.modelName);
    root.put("modelSha256", manifest.modelSha256);
    root.put("likelihood", manifest.likelihood.id());
    // 0 and 0 for images of mixed sizes, with "mixedSizes": true
    root.put("rows", manifest.rows);
    root.put("cols", manifest.cols);
    root.put("mixedSizes", manifest.mixedSizes());
    root.put("images", images());
    root.put("originalBytes", originalBytes());
    root.put("compressedBytes", compressedBytes());
    root.put("bitsPerDim", bitsPerDim());
    if (manifest.table != null) {
      root.put("keptBytes", manifest.keptBytes());
      root.put("bitsPerDimWithKept", perDim(8.0 * (compressedBytes() + manifest.keptBytes())));
    }
    if (manifest.hasAlpha()) {
      root.put("alphaBytes", manifest.alphaBytes());
    }
    root.put("negativeElboBitsPerDim", negativeElboBitsPerDim());
    root.put("overheadBitsPerDim", bitsPerDim() - negativeElboBitsPerDim());
    root.put("decodeSeconds", decodeSeconds());
    if (baselines) {
      ObjectNode b = root.putObject("baselinesBitsPerDim");
      for (String name : baselineNames()) {
        b.put(name, baselineBitsPerDim(name));
      }
    }
    ArrayNode list = root.putArray("shards");
    for (ShardStats s : shards) {
      ObjectNode o = list.addObject();
      o.put("index", s.index);
      o.put("file", s.file);
      o.put("images", s.images);
      o.put("lanes", s.lanes);
      o.put("originalBytes", s.originalBytes);
      o.put("compressedBytes", s.compressedBytes);
      o.put("bitsPerDim", perDim(8.0 * s.compressedBytes, s.originalBytes));
      o.put("negativeElboBitsPerDim", perDim(s.negativeElboBits, s.originalBytes));
      o.put("decodeSeconds", s.decodeSeconds);
      if (baselines) {
        ObjectNode b = o.putObject("baselinesBitsPerDim");
        for (String name : baselineNames()) {
          b.put(name, perDim(8.0 * baselineBytes(s, name), s.originalBytes));
        }
      }
    }
    try {
      return json.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  /**
   * A grouped bar chart of bits/dim per shard (JFreeChart): the archive, the model's -ELBO and,
   * with baselines, each baseline; a line across at the whole archive's rate and, where it was
   * measured, at JPEG XL's, the codec to beat.
   */
  public void writeChart(OutputStream out) throws IOException {
    List<String> series = new ArrayList<>(List.of("bbans", "-ELBO"));
    if (baselines) {
      series.addAll(List.of(baselineNames()));
    }
    org.jfree.data.category.DefaultCategoryDataset data =
        new org.jfree.data.category.DefaultCategoryDataset();
    for (ShardStats s : shards) {
      String shard = Integer.toString(s.index);
      data.addValue(perDim(8.0 * s.compressedBytes, s.originalBytes), "bbans", shard);
      data.addValue(perDim(s.negativeElboBits, s.originalBytes), "-ELBO", shard);
      for (String b : series.subList(2, series.size())) {
        data.addValue(perDim(8.0 * baselineBytes(s, b), s.originalBytes),
            b.equals("jpegxl") ? "JPEG XL" : b.equals("png") ? "PNG" : b.equals("webp")
            ? "WebP" : b, shard);
      }
    }
    org.jfree.chart.JFreeChart chart = org.jfree.chart.ChartFactory.createBarChart(
        String.format(Locale.ROOT, "%s (model %s): %.4f bits/dim", folder.length() > 60
            ? "..." + folder.substring(folder.length() - 57) : folder, manifest.modelName,
            bitsPerDim()), "shard", "bits per pixel (bits/dim)", data);
    chart.setBackgroundPaint(Color.WHITE);
    org.jfree.chart.plot.CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    org.jfree.chart.renderer.category.BarRenderer bars =
        (org.jfree.chart.renderer.category.BarRenderer) plot.getRenderer();
    bars.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setItemMargin(0.02);
    Color[] colors = {new Color(0x1f77b4), new Color(0xaec7e8), new Color(0xff7f0e),
        new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd)};
    for (int i = 0; i < series.size(); i++) {
      bars.setSeriesPaint(i, colors[i % colors.length]);
    }
    plot.addRangeMarker(line(bitsPerDim(), String.format(Locale.ROOT, "bbans, whole archive"
        + " %.4f", bitsPerDim()), colors[0]));
    double jxl = series.contains("jpegxl") ? baselineBitsPerDim("jpegxl") : Double.NaN;
    if (jxl > 0) {
      plot.addRangeMarker(line(jxl, String.format(Locale.ROOT, "JPEG XL, whole archive %.4f",
          jxl), colors[5]));
    }
    if (shards.size() > 40) {
      plot.getDomainAxis().setTickLabelsVisible(false);
    }
    int width = Math.max(640, Math.min(4000, 160 + shards.size() * 18 * series.size()));
    org.jfree.chart.ChartUtils.writeChartAsPNG(out, chart, width, 480);
  }

  /** A dashed line across the plot at {@code value}, labelled. */
  private static org.jfree.chart.plot.ValueMarker line(double value, String label, Color c) {
    org.jfree.chart.plot.ValueMarker m = new org.jfree.chart.plot.ValueMarker(value);
    m.setPaint(c);
    m.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
        new float[] {6, 4}, 0));
    m.setLabel(label);
    m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
    m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
    return m;
  }
}
