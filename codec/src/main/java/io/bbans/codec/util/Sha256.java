package io.bbans.codec.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the checksum and identity of shard, names and model files. */
public final class Sha256 {
  private Sha256() {}

  /** A new SHA-256 digest. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The digest of {@code bytes[0 .. length)}. */
  public static byte[] of(byte[] bytes, int length) {
    MessageDigest d = digest();
    d.update(bytes, 0, length);
    return d.digest();
  }

  /** The digest of {@code bytes[0 .. length)} in lowercase hex. */
  public static String hex(byte[] bytes, int length) {
    return java.util.HexFormat.of().formatHex(of(bytes, length));
  }
}
