package io.bbans.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1, started from the Maven jars the build copied
 * to job/target/spark-lib: a Master and {@code workers} Workers, each its own JVM, and a
 * SPARK_HOME whose bin/spark-submit runs org.apache.spark.deploy.SparkSubmit, so that
 * submit.sh takes its spark-submit path exactly as on a cluster with a Spark distribution.
 * Each Worker launches executor JVMs of its own.
 */
public final class StandaloneCluster implements AutoCloseable {
  public static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  public static final Path TARGET = ROOT.resolve("job/target");

  /**
   * Jars of the application alone, kept out of SPARK_HOME/jars so that executors get them only
   * the way a real cluster would: shipped by submit.sh with spark-submit --jars. (target/lib
   * also holds what Spark and the job share, such as slf4j, which Maven places there.)
   */
  static final Pattern APP_ONLY = Pattern.compile(
      "^(bbans-|picocli|xz-)");

  private final Path home;
  private final Path logs;
  private final List<Process> daemons = new ArrayList<>();
  public final String master;

  private StandaloneCluster(Path home, Path logs, String master) {
    this.home = home;
    this.logs = logs;
    this.master = master;
  }

  /** The --add-opens list Spark needs, from the parent pom (the one place it is kept). */
  static String addOpens() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    int a = pom.indexOf("<spark.add.opens>") + "<spark.add.opens>".length();
    return pom.substring(a, pom.indexOf("</spark.add.opens>", a));
  }

  public static StandaloneCluster start(Path dir, int workers, int coresPerWorker,
      String memoryPerWorker) throws Exception {
    Path home = dir.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String lib : List.of("spark-lib", "lib")) {
      try (Stream<Path> s = Files.list(TARGET.resolve(lib))) {
        for (Path jar : (Iterable<Path>) s::iterator) {
          if (!APP_ONLY.matcher(jar.getFileName().toString()).find()) {
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
          }
        }
      }
    }
    // A RELEASE file tells Spark's launcher that jars/ holds Spark (not a source build).
    Files.writeString(home.resolve("RELEASE"), "Spark from Maven jars, for tests\n");
    Files.createDirectories(home.resolve("conf"));
    // The daemons log at INFO: the test waits for their start-up lines.
    Files.writeString(home.resolve("conf/log4j2.properties"), String.join("\n",
        "rootLogger.level = info", "rootLogger.appenderRef.stderr.ref = console",
        "appender.console.type = Console", "appender.console.name = console",
        "appender.console.target = SYSTEM_ERR", "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n", ""));
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path submit = bin.resolve("spark-submit");
    Files.writeString(submit, "#!/usr/bin/env bash\n"
        + "exec java " + addOpens() + " -cp \"$SPARK_HOME/conf:$SPARK_HOME/jars/*\""
        + " org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path logs = Files.createDirectories(dir.resolve("logs"));

    int port = freePort();
    StandaloneCluster c = new StandaloneCluster(home, logs, "spark://127.0.0.1:" + port);
    try {
      c.daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
          "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()));
      c.waitForLog("master", "I have been elected leader", Duration.ofSeconds(60));
      for (int w = 0; w < workers; w++) {
        Path work = Files.createDirectories(dir.resolve("work-" + w));
        c.daemon("worker-" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
            "--cores", Integer.toString(coresPerWorker), "--memory", memoryPerWorker,
            "--work-dir", work.toString(), "--webui-port", Integer.toString(freePort()),
            c.master);
      }
      for (int w = 0; w < workers; w++) {
        c.waitForLog("worker-" + w, "Successfully registered with master",
            Duration.ofSeconds(60));
      }
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public Path home() {
    return home;
  }

  private void daemon(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx512m"));
    cmd.addAll(List.of(addOpens().split(" ")));
    cmd.addAll(List.of("-Dlog4j2.configurationFile=file:" + home.resolve("conf/log4j2.properties"),
        "-cp", home.resolve("conf") + ":" + home.resolve("jars") + "/*", mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    env(pb.environment());
    daemons.add(pb.start());
  }

  void env(Map<String, String> env) {
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.remove("SPARK_CONF_DIR");
    // Spark's own task-failure logging (the lost tasks the kill tests look for) is on the
    // console only at debug level.
    env.put("BBANS_DEBUG", "1");
  }

  /** The log of a daemon: master, worker-0, ... */
  public String log(String name) {
    try {
      return Files.readString(logs.resolve(name + ".log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void waitForLog(String name, String line, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (Files.exists(logs.resolve(name + ".log")) && log(name).contains(line)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " did not log '" + line + "' within " + timeout
        + ":\n" + log(name));
  }

  /** Result of a submit.sh run. */
  public static final class Run {
    public final int code;
    public final String out;
    public final long pid;

    Run(int code, String out, long pid) {
      this.code = code;
      this.out = out;
      this.pid = pid;
    }
  }

  /** Runs {@code ./submit.sh --master <this cluster> [sparkArgs...] args...}, with a bound. */
  public Run submit(List<String> sparkArgs, String... args) throws Exception {
    return finish(submitAsync(sparkArgs, args));
  }

  /** A submit.sh run in progress: its process (the driver JVM, as submit.sh execs) and log. */
  public static final class Submission {
    public final Process process;
    public final Path log;

    Submission(Process process, Path log) {
      this.process = process;
      this.log = log;
    }
  }

  public Submission submitAsync(List<String> sparkArgs, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("submit.sh").toString(),
        "--master", master));
    cmd.addAll(sparkArgs);
    cmd.addAll(List.of(args));
    return launch(cmd, this::env);
  }

  /** Runs submit.sh without a cluster: the embedded local[*] master, with {@code java}. */
  public Run embedded(Path javaHome, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("submit.sh").toString()));
    cmd.addAll(List.of(args));
    return finish(launch(cmd, env -> {
      env.remove("SPARK_HOME");
      env.put("SPARK_LOCAL_IP", "127.0.0.1");
      env.put("JAVA_OPTS", "-Xmx2g");
      if (javaHome != null) {
        env.put("JAVA_HOME", javaHome.toString());
        env.put("PATH", javaHome.resolve("bin") + ":" + System.getenv("PATH"));
      }
    }));
  }

  private Submission launch(List<String> cmd, Consumer<Map<String, String>> env)
      throws IOException {
    Path out = Files.createTempFile(logs, "submit-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    env.accept(pb.environment());
    return new Submission(pb.start(), out);
  }

  public static Run finish(Submission s) throws Exception {
    if (!s.process.waitFor(10, TimeUnit.MINUTES)) {
      s.process.destroyForcibly();
      throw new IllegalStateException("submit.sh ran over 10 minutes:\n"
          + Files.readString(s.log));
    }
    return new Run(s.process.exitValue(), Files.readString(s.log), s.process.pid());
  }

  /** Executor JVMs the Workers launched, now alive. */
  public static List<ProcessHandle> executors() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .toList();
  }

  /** "Running task" lines per executor log (stderr in a Worker's work dir). */
  public Map<Path, Long> runningTaskLines() throws IOException {
    Map<Path, Long> counts = new java.util.HashMap<>();
    try (Stream<Path> s = Files.walk(logs.getParent())) {
      for (Path p : (Iterable<Path>) s.filter(p -> p.getFileName().toString().equals("stderr"))
          ::iterator) {
        counts.put(p, Files.readString(p).lines().filter(l -> l.contains("Running task"))
            .count());
      }
    }
    return counts;
  }

  /**
   * Waits until an executor starts a task it had not started in {@code before}, and returns
   * that executor's JVM: the one to kill to lose a running task.
   */
  public ProcessHandle awaitExecutorRunningTask(Map<Path, Long> before, Duration timeout)
      throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (Map.Entry<Path, Long> e : runningTaskLines().entrySet()) {
        if (e.getValue() > before.getOrDefault(e.getKey(), 0L)) {
          // <work dir>/<app id>/<executor id>/stderr
          String executor = e.getKey().getParent().getFileName().toString();
          String app = e.getKey().getParent().getParent().getFileName().toString();
          return executors().stream()
              .filter(p -> {
                String cmd = p.info().commandLine().orElse("");
                return (cmd + " ").contains("--app-id " + app + " ")
                    && (cmd + " ").contains("--executor-id " + executor + " ");
              })
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no JVM for executor " + executor
                  + " of " + app));
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no task started within " + timeout);
  }

  @Override
  public void close() {
    for (Process p : daemons) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : daemons) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
