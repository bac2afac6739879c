package io.bbans.job;

import io.bbans.job.cli.BbansCommand;

/** Entry point: runs the command line and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(BbansCommand.run(args));
  }
}
