package io.bbans.job.cli;

import io.bbans.codec.container.Shard;
import io.bbans.codec.model.VaeModel;
import io.bbans.job.archive.Manifest;
import picocli.CommandLine.IVersionProvider;

/** What {@code --version} prints: this build, and the formats it reads and writes. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
        "bbans-spark " + Manifest.version(),
        "archives (manifest.json): reads versions 1 to " + Manifest.VERSION + "; writes 5 for"
            + " colour, 4 for a table, 3 for images of mixed sizes, 2 for PNG files of fewer"
            + " than 8 bits, else 1",
        "shards (.bbshard): reads versions 1 to " + Shard.NEWEST + "; writes "
            + Shard.VERSION + " (coded) or " + Shard.STORED + " (stored: the pixels, where coding"
            + " would be larger) for images of the model's size, " + Shard.TILED + " or "
            + Shard.TILED_STORED + " (the same, with each image's size) for any other sizes and"
            + " for colour (observation model 2, 8-bit RGB), " + Shard.TILED_FEEDBACK + " (coded"
            + " tiles, each with its setting of scale and error feedback) where the model has"
            + " 8-bit pixels and a context head; " + Shard.TILED_SCALED + " (settings of scale"
            + " alone) only from older builds",
        "names (.names, beside a shard whose images came from PNG files): gzip, one relative"
            + " path a line",
        "models (.bbvae): reads versions 1 to " + VaeModel.VERSION + "; writes the oldest that"
            + " holds the model's architecture",
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
  }
}
