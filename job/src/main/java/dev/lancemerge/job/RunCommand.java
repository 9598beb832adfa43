package dev.lancemerge.job;

import dev.lancemerge.operators.MergeJobOptions;
import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.staging.StagingArea;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;

/**
 * {@code run}: the streaming merge job ({@code MergePipeline}) on one dataset. Locally (plain {@code java -jar}) on an
 * embedded mini cluster with checkpoints in a state directory, printing one line per commit; inside {@code flink run}
 * or a REST {@code /jars/:id/run}, submitted to that cluster without waiting.
 */
final class RunCommand implements Command {
  static final Set<String> FLAGS = Set.of("--dataset", "--index", "--staging", "--state-dir", "--parallelism",
      "--checkpoint-interval", "--savepoint", "--until-idle", "--config");
  static final String STATE_DIR_SUFFIX = ".merge-state";
  static final Duration POLL = Duration.ofMillis(250);

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "run the streaming merge job on a dataset (embedded mini-cluster, or the cluster of 'flink run')";
  }

  @Override
  public String help() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: ").append(Main.JAR).append(" run --dataset URI --index NAME[,NAME...] [OPTIONS]\n")
        .append("       flink run [-d] --class dev.lancemerge.job.Main lance-index-merge.jar run --dataset URI --index NAME\n\n")
        .append("Runs the streaming merge job: it discovers the per-fragment (and staged) segments of the named\n")
        .append("vector and ZoneMap indexes, merges them with a tiered policy and commits each merge in one\n")
        .append("transaction. With 'java -jar' the job runs on an embedded mini-cluster in this process, with\n")
        .append("checkpoints in a local state directory (retained when it stops), so that a restart continues\n")
        .append("where it stopped; it prints one line per commit:\n")
        .append("  <index>: <n> -> <m> segments, <rows> rows, freshness lag <s> s\n")
        .append("(rows: rows of the fragments the index covers after the commit; lag: commit time minus when\n")
        .append("the merge's earliest input was discovered), and '<index>: merging, <MB> MB written in <s> s'\n")
        .append("while a large merge is being written (after 0.3 s or 64 MB, then every second). Under\n")
        .append("'flink run' or the REST API (/jars/:id/run) the same jar submits\n")
        .append("the job to that cluster and returns without waiting (detached); the cluster's own checkpoint\n")
        .append("settings apply there unless given here.\n\n")
        .append("Options:\n")
        .append("  --dataset URI            the local Lance dataset (a path or file: URI)          [lance-merge.dataset]\n")
        .append("  --index NAME[,NAME...]   indexes to keep merged                                 [lance-merge.index-names]\n")
        .append("  --staging DIR            staging directory of announced (uncommitted) segments  [lance-merge.staging-dir]\n")
        .append("  --state-dir DIR          checkpoints and savepoints of local runs (default: DATASET" + STATE_DIR_SUFFIX + ",\n")
        .append("                           next to the dataset); without --savepoint, a local run restores\n")
        .append("                           the newest complete checkpoint or savepoint found there; on a\n")
        .append("                           cluster, only if given (a path every Flink process can reach)\n")
        .append("  --parallelism N          job parallelism (default: parallelism.default; locally: the cores)\n")
        .append("  --checkpoint-interval D  e.g. 10s, 500ms, 1min (default: execution.checkpointing.interval,\n")
        .append("                           else " + TimeUtils.formatWithHighestUnit(JobRunner.DEFAULT_CHECKPOINT_INTERVAL)
            + "); merges are committed when a checkpoint completes\n")
        .append("  --savepoint PATH         restore from this savepoint or retained checkpoint\n")
        .append("  --until-idle D           local runs: once the manifest has not changed, no merge was being\n")
        .append("                           written and no staged descriptor was waiting for D (and the job has run\n")
        .append("                           at least one discovery interval and one checkpoint interval), stop with\n")
        .append("                           a savepoint into the state directory, print its path and exit 0\n")
        .append("  --config FILE            a Flink configuration file: config.yaml (YAML) or legacy flink-conf.yaml\n")
        .append("                           (key: value lines); any key below and any of Flink's own keys\n")
        .append("  -D KEY=VALUE, --set KEY=VALUE\n")
        .append("                           set any option below or any Flink key (repeatable)\n")
        .append("Precedence: defaults < --config < -D/--set < the flags above.\n\n")
        .append("Job options (Flink ConfigOptions; key, default, meaning):\n");
    for (ConfigOption<?> o : MergeJobOptions.all()) {
      b.append("  ").append(o.key()).append(" = ").append(defaultText(o)).append('\n')
          .append("      ").append(description(o)).append('\n');
    }
    b.append("\nFlink keys the run command sets locally (override with -D): ")
        .append(JobRunner.CHECKPOINTS_DIR).append(", ").append(JobRunner.SAVEPOINTS_DIR)
        .append(" (under the state directory),\n  ").append(JobRunner.RETENTION).append(" = RETAIN_ON_CANCELLATION, ")
        .append(JobRunner.CHECKPOINTING_INTERVAL).append(", ").append(JobRunner.RESTORE_PATH).append(".\n\n")
        .append("Exit codes: 0 ok (stopped with a savepoint, or submitted to a cluster), 1 bad input (no such\n")
        .append("dataset, unknown index, the job failed), 2 usage error, 3 internal error.\n\n")
        .append("Example:\n")
        .append("  ").append(Main.JAR).append(" run --dataset /data/my.lance --index vec_idx,z_idx\n")
        .append("  ").append(Main.JAR).append(" run --dataset /data/my.lance --index vec_idx --until-idle 30s \\\n")
        .append("      -D lance-merge.policy.max-delay=10s -D lance-merge.source.discovery-interval=1s\n")
        .append("  flink run -d --class dev.lancemerge.job.Main lance-index-merge.jar run --dataset /data/my.lance --index vec_idx\n");
    return b.toString();
  }

  static String defaultText(ConfigOption<?> o) {
    if (!o.hasDefaultValue()) {
      return "(none)";
    }
    Object v = o.defaultValue();
    if (v instanceof Duration d) {
      return TimeUtils.formatWithHighestUnit(d);
    }
    if (v instanceof MemorySize m) {
      long b = m.getBytes();
      for (String unit : List.of("tb", "gb", "mb", "kb")) {
        long size = 1L << (10 * (4 - List.of("tb", "gb", "mb", "kb").indexOf(unit)));
        if (b >= size && b % size == 0) {
          return b / size + " " + unit;
        }
      }
      return b + " bytes";
    }
    if (v instanceof List<?> l) {
      return String.join(";", l.stream().map(String::valueOf).toList());
    }
    return String.valueOf(v);
  }

  static String description(ConfigOption<?> o) {
    return new HtmlFormatter().format(o.description()).replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
  }

  /** A parsed command line. */
  record Settings(Configuration conf, Path dataset, List<String> indexes, Path stateDir, boolean stateDirGiven,
      String savepoint, Duration untilIdle) {}

  /** Parses and checks the command line (usage errors only; the dataset is not opened). */
  static Settings parse(List<String> args) throws UsageException, BadInputException {
    List<String> flags = new ArrayList<>();
    Map<String, String> sets = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String s = args.get(i);
      String kv = null;
      if (s.equals("-D") || s.equals("--set")) {
        if (i + 1 >= args.size()) {
          throw usage("option " + s + " needs KEY=VALUE");
        }
        kv = args.get(++i);
      } else if (s.startsWith("-D")) {
        kv = s.substring(2);
      } else if (s.startsWith("--set=")) {
        kv = s.substring("--set=".length());
      } else if (s.startsWith("--") && !s.contains("=") && FLAGS.contains(s) && i + 1 < args.size()) {
        flags.add(s);
        flags.add(args.get(++i));
        continue;
      } else {
        flags.add(s);
        continue;
      }
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw usage("-D/--set needs KEY=VALUE, not '" + kv + "'");
      }
      sets.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }
    Args a = Args.parse("run", flags, FLAGS);
    a.expectPositional();

    Configuration conf = new Configuration();
    String configFile = a.string("--config", null);
    if (configFile != null) {
      conf.addAll(FlinkConfigFile.load(Path.of(configFile)));
    }
    sets.forEach(conf::setString);
    put(conf, MergeJobOptions.DATASET.key(), a.string("--dataset", null));
    put(conf, MergeJobOptions.INDEX_NAMES.key(), a.string("--index", null) == null ? null
        : String.join(";", splitNames(a.string("--index", null))));
    put(conf, MergeJobOptions.STAGING_DIR.key(), a.string("--staging", null));
    if (a.string("--parallelism", null) != null) {
      conf.setString(JobRunner.PARALLELISM, Long.toString(a.number("--parallelism", 1, 1, 32_768)));
    }
    String interval = a.string("--checkpoint-interval", null);
    if (interval != null) {
      conf.setString(JobRunner.CHECKPOINTING_INTERVAL, TimeUtils.formatWithHighestUnit(duration("--checkpoint-interval", interval)));
    }
    String savepoint = a.string("--savepoint", null);
    String idle = a.string("--until-idle", null);
    Duration untilIdle = idle == null ? null : duration("--until-idle", idle);

    check(conf);
    if (!conf.getOptional(MergeJobOptions.DATASET).isPresent()) {
      throw usage("missing --dataset URI");
    }
    if (conf.getOptional(MergeJobOptions.INDEX_NAMES).map(List::isEmpty).orElse(true)) {
      throw usage("missing --index NAME[,NAME...]");
    }
    Path dataset = Path.of(MergeJobOptions.dataset(conf));
    conf.set(MergeJobOptions.DATASET, dataset.toString());
    String stateOption = a.string("--state-dir", null);
    Path stateDir = stateOption != null ? Path.of(stateOption).toAbsolutePath().normalize()
        : dataset.resolveSibling(dataset.getFileName() + STATE_DIR_SUFFIX);
    return new Settings(conf, dataset, conf.get(MergeJobOptions.INDEX_NAMES), stateDir, stateOption != null,
        savepoint, untilIdle);
  }

  private static List<String> splitNames(String list) throws UsageException {
    List<String> names = new ArrayList<>();
    for (String n : list.split(",")) {
      if (!n.isBlank()) {
        names.add(n.trim());
      }
    }
    if (names.isEmpty()) {
      throw usage("--index needs at least one index name");
    }
    return names;
  }

  private static void put(Configuration c, String key, String value) {
    if (value != null) {
      c.setString(key, value);
    }
  }

  private static Duration duration(String option, String text) throws UsageException {
    try {
      Duration d = TimeUtils.parseDuration(text);
      if (d.isNegative() || d.isZero()) {
        throw usage("option " + option + " must be positive, not '" + text + "'");
      }
      return d;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw usage("option " + option + " needs a duration such as 10s, 500ms or 1min, not '" + text + "'");
    }
  }

  /** Every lance-merge.* key must be known, and every value must parse. */
  private static void check(Configuration conf) throws UsageException {
    Set<String> known = new TreeSet<>();
    for (ConfigOption<?> o : MergeJobOptions.all()) {
      known.add(o.key());
      try {
        conf.getOptional(o);
      } catch (RuntimeException e) {
        throw usage("bad value for " + o.key() + ": " + conf.toMap().get(o.key()) + " (" + e.getMessage() + ")");
      }
    }
    for (String key : conf.keySet()) {
      if (key.startsWith("lance-merge.") && !known.contains(key)) {
        throw usage("unknown option key " + key + " (see 'run --help' for the keys)");
      }
    }
    String p = conf.toMap().get(JobRunner.PARALLELISM);
    if (p != null && !p.trim().matches("[1-9][0-9]{0,4}")) {
      throw usage("bad value for " + JobRunner.PARALLELISM + ": " + p);
    }
    String ci = conf.toMap().get(JobRunner.CHECKPOINTING_INTERVAL);
    if (ci != null) {
      duration(JobRunner.CHECKPOINTING_INTERVAL, ci);
    }
  }

  private static UsageException usage(String problem) {
    return new UsageException("run: " + problem + " (see 'run --help')");
  }

  /** Bad input: no dataset there, or an index it does not have. */
  static void checkDataset(Settings s) throws BadInputException {
    if (!Files.isDirectory(s.dataset())) {
      throw new BadInputException(s.dataset() + ": no such dataset directory");
    }
    Set<String> present = new TreeSet<>();
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(s.dataset())) {
      for (LiveSegment seg : c.allSegments()) {
        present.add(seg.indexName());
      }
    } catch (RuntimeException e) {
      throw new BadInputException(s.dataset() + ": not a readable Lance dataset: " + e.getMessage(), e);
    }
    for (String index : s.indexes()) {
      if (!present.contains(index)) {
        throw new BadInputException(s.dataset() + ": no index named '" + index + "' (indexes: "
            + (present.isEmpty() ? "none" : String.join(", ", present)) + ")");
      }
    }
    String staging = s.conf().toMap().get(MergeJobOptions.STAGING_DIR.key());
    if (staging != null && !Files.isDirectory(Path.of(staging))) {
      throw new BadInputException(staging + ": no such staging directory");
    }
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Settings s = parse(args);
    if (JobRunner.inClusterContext()) {
      if (s.untilIdle() != null) {
        throw usage("--until-idle needs the embedded mini-cluster (java -jar); on a cluster stop the job with "
            + "a savepoint (flink stop, or REST /jobs/:id/stop)");
      }
      checkDataset(s);
      Configuration conf = new Configuration(s.conf());
      if (s.stateDirGiven()) { // checkpoints and savepoints there (a path every cluster process can reach)
        conf.setString(JobRunner.CHECKPOINTS_DIR, s.stateDir().resolve("checkpoints").toUri().toString());
        conf.setString(JobRunner.SAVEPOINTS_DIR, s.stateDir().resolve("savepoints").toUri().toString());
        conf.setString(JobRunner.RETENTION, "RETAIN_ON_CANCELLATION");
      }
      if (s.savepoint() != null) {
        conf.setString(JobRunner.RESTORE_PATH, s.savepoint());
      }
      String id = JobRunner.submitToCluster(conf);
      out.println("submitted job " + id + " (" + JobRunner.jobName(conf) + ") to the cluster");
      return ExitCode.OK;
    }
    checkDataset(s);
    String restore = s.savepoint();
    if (restore == null) {
      restore = JobRunner.latestRestorePoint(s.stateDir()).map(Path::toString).orElse(null);
    } else if (!restore.contains("://") && !Files.exists(Path.of(restore))) {
      throw new BadInputException(restore + ": no such savepoint");
    }
    return runLocal(s, restore, out, null);
  }

  /** Something to do between polls of a local run (the demo appends data); returns false to stop the job. */
  interface Tick {
    boolean tick() throws Exception;
  }

  /**
   * Runs the job on an embedded mini cluster until it fails, it is idle for {@code --until-idle}, or {@code tick}
   * says stop; prints one line per commit. Returns the exit code.
   */
  static int runLocal(Settings s, String restore, PrintStream out, Tick tick) throws Exception {
    long t0 = System.nanoTime();
    JobRunner.LocalJob job = JobRunner.startLocal(s.conf(), s.stateDir(), restore);
    Configuration c = job.configuration();
    out.println("job " + job.jobId() + " on an embedded mini-cluster: dataset " + s.dataset() + ", indexes "
        + String.join(",", s.indexes()) + ", parallelism " + c.toMap().getOrDefault(JobRunner.PARALLELISM, "default")
        + ", checkpoints every " + c.toMap().get(JobRunner.CHECKPOINTING_INTERVAL) + " in " + s.stateDir()
        + (restore != null ? "; restored from " + restore : ""));
    out.flush();
    Duration firstPass = c.get(MergeJobOptions.DISCOVERY_INTERVAL)
        .plus(TimeUtils.parseDuration(c.toMap().get(JobRunner.CHECKPOINTING_INTERVAL)));
    Path staging = c.getOptional(MergeJobOptions.STAGING_DIR).map(Path::of).orElse(null);
    try (job; CommitWatcher watcher = new CommitWatcher(s.dataset(), s.indexes(), new CommitWatcher.Listener() {
      @Override
      public void commit(CommitWatcher.Commit commit) {
        out.println(commit.line());
        out.flush();
      }

      @Override
      public void progress(String index, long bytes, double seconds) {
        out.println(CommitWatcher.progressLine(index, bytes, seconds));
        out.flush();
      }
    })) {
      Thread progress = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          watcher.progress();
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "merge-progress");
      progress.setDaemon(true);
      progress.start();
      try {
        return watch(s, job, watcher, firstPass, staging, t0, out, tick);
      } finally {
        progress.interrupt();
        progress.join(5_000);
      }
    }
  }

  private static int watch(Settings s, JobRunner.LocalJob job, CommitWatcher watcher, Duration firstPass, Path staging,
      long t0, PrintStream out, Tick tick) throws Exception {
    long runningSince = -1;
    long lastActivity = System.nanoTime();
    String fingerprint = null;
    while (true) {
      Thread.sleep(POLL.toMillis());
      JobStatus status = job.status();
      if (status.isGloballyTerminalState()) {
        watcher.poll();
        Throwable f = job.failure();
        throw new BadInputException("the job ended " + status + (f == null ? "" : ": " + rootMessage(f)), f);
      }
      watcher.poll();
      if (status == JobStatus.RUNNING && runningSince < 0) {
        runningSince = System.nanoTime();
      }
      if (tick != null && !tick.tick()) {
        String sp = job.stopWithSavepoint(Duration.ofMinutes(2));
        watcher.poll();
        out.println("stopped with a savepoint: " + sp);
        return ExitCode.OK;
      }
      if (s.untilIdle() == null) {
        continue;
      }
      String fp = watcher.latestVersion() + "|" + watcher.merging() + "|" + staged(staging);
      if (!fp.equals(fingerprint) || watcher.merging()) {
        fingerprint = fp;
        lastActivity = System.nanoTime();
      }
      long now = System.nanoTime();
      if (runningSince > 0 && now - runningSince >= firstPass.toNanos()
          && now - lastActivity >= s.untilIdle().toNanos()) {
        out.printf(Locale.ROOT, "idle for %s (dataset version %d): stopping with a savepoint%n",
            TimeUtils.formatWithHighestUnit(s.untilIdle()), watcher.latestVersion());
        out.flush();
        String sp = job.stopWithSavepoint(Duration.ofMinutes(2));
        watcher.poll();
        out.printf(Locale.ROOT, "stopped with a savepoint: %s (after %.1f s; a later run with state dir %s "
            + "continues from it)%n", sp, (System.nanoTime() - t0) / 1e9, s.stateDir());
        return ExitCode.OK;
      }
    }
  }

  /** Names of staged descriptors waiting in the staging directory (sorted, joined), or "". */
  static String staged(Path staging) {
    if (staging == null || !Files.isDirectory(staging)) {
      return "";
    }
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (StagingArea.isDescriptorName(n)) {
          names.add(n);
        }
      }
    } catch (IOException e) {
      return "?";
    }
    return String.join(",", names);
  }

  static String rootMessage(Throwable t) {
    Throwable r = t;
    Set<Throwable> seen = new LinkedHashSet<>();
    while (r.getCause() != null && seen.add(r)) {
      r = r.getCause();
    }
    return r.toString();
  }
}
