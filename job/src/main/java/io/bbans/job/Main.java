package io.bbans.job;

import io.bbans.job.cli.BbansCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;

/** Entry point: runs the command line and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    realStderr();
    System.exit(BbansCommand.run(args));
  }

  /**
   * Writes {@code System.err} to the file descriptor named by {@code BBANS_STDERR_FD}: submit.sh
   * passes the JVM's own stderr through a filter that drops the JVM's notice that an incubator
   * module is in use, and hands the real stderr over as that descriptor, so that what the job
   * says goes straight there and cannot arrive after the process has exited. The descriptor is
   * used as it is (the same open file, offset and all, not reopened), which needs java.io
   * opened to this code (submit.sh does); where that fails the filtered stderr stays, which
   * loses nothing but that ordering.
   */
  static void realStderr() {
    String fd = System.getenv("BBANS_STDERR_FD");
    if (fd == null || !fd.matches("[0-9]{1,4}")) {
      return;
    }
    try {
      FileDescriptor real = new FileDescriptor();
      Field number = FileDescriptor.class.getDeclaredField("fd");
      number.setAccessible(true);
      number.setInt(real, Integer.parseInt(fd));
      System.setErr(new PrintStream(new FileOutputStream(real), true));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // keep the filtered stderr
    }
  }
}
