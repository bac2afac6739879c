package io.bbans.job.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Generic compressors on the same pixel bytes, for comparison: gzip -9, bzip2 -9 and xz -6
 * (xz's default preset; -9 needs 674 MB per task for a few MB of input and gains little here).
 */
final class Baselines {
  private Baselines() {}

  static long gzip(byte[] data) {
    return size(data, out -> new GZIPOutputStream(out, 1 << 16) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    });
  }

  static long bzip2(byte[] data) {
    return size(data, out -> new BZip2CompressorOutputStream(out, 9));
  }

  static long xz(byte[] data) {
    return size(data, out -> new XZOutputStream(out, new LZMA2Options(6)));
  }

  private interface Wrap {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static long size(byte[] data, Wrap wrap) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(data.length / 2 + 64);
    try (OutputStream out = wrap.wrap(buffer)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.size();
  }
}
