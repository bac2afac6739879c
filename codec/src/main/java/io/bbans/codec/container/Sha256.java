package io.bbans.codec.container;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the checksum and identity of shard and model files. */
public final class Sha256 {
  private Sha256() {}

  /** The digest of {@code bytes[0 .. length)}. */
  public static byte[] of(byte[] bytes, int length) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(bytes, 0, length);
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The digest of {@code bytes[0 .. length)} in lowercase hex. */
  public static String hex(byte[] bytes, int length) {
    return java.util.HexFormat.of().formatHex(of(bytes, length));
  }
}
