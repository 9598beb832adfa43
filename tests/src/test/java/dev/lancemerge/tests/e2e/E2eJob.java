package dev.lancemerge.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.MergeJobOptions;
import dev.lancemerge.operators.MergePipeline;
import dev.lancemerge.operators.lance.CommitProperties;
import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.staging.StagingArea;
import dev.lancemerge.oracle.RealLanceIndexes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.lance.Dataset;

/** Runs the merge job on the test's mini cluster and checks what it left in the dataset. */
final class E2eJob {
  private E2eJob() {}

  /** Job settings for tests: fast discovery, reconcile, deadlines and cleanup. */
  static Configuration conf(E2eDataset d, Path staging) {
    Configuration conf = new Configuration();
    conf.set(MergeJobOptions.DATASET, d.dir.toString());
    conf.set(MergeJobOptions.INDEX_NAMES, d.indexNames());
    if (staging != null) {
      try {
        Files.createDirectories(staging);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      conf.set(MergeJobOptions.STAGING_DIR, staging.toString());
    }
    conf.set(MergeJobOptions.DISCOVERY_INTERVAL, Duration.ofMillis(200));
    conf.set(MergeJobOptions.RECONCILE_INTERVAL, Duration.ofMillis(300));
    conf.set(MergeJobOptions.MAX_DELAY, Duration.ofSeconds(1));
    conf.set(MergeJobOptions.CLEANUP_RETENTION, Duration.ofSeconds(1));
    return conf;
  }

  /** {@code conf} plus a fixed-delay restart strategy (a failed task restarts the job from its last checkpoint). */
  static Configuration withRestarts(Configuration conf, int attempts) {
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    return conf;
  }

  /** {@code conf} restoring from {@code savepoint}. */
  static Configuration restoringFrom(Configuration conf, String savepoint) {
    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    return conf;
  }

  static JobClient start(Configuration conf, int parallelism, String name) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(300);
    MergePipeline.build(env, conf);
    return env.executeAsync(name);
  }

  static void cancel(JobClient job) throws Exception {
    job.cancel().get(60, TimeUnit.SECONDS);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      E2eDataset.sleep(200);
    }
  }

  /** Live segments of every index of {@code d}, by index name, each sorted by first fragment. */
  static Map<String, List<LiveSegment>> live(E2eDataset d) {
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(d.dir)) {
      Map<String, List<LiveSegment>> out = new TreeMap<>();
      for (String name : d.indexNames()) {
        out.put(name, new ArrayList<>());
      }
      for (LiveSegment s : c.liveSegments(Set.copyOf(d.indexNames()))) {
        out.get(s.indexName()).add(s);
      }
      out.values().forEach(l -> l.sort(java.util.Comparator.comparing(s -> s.fragments().first())));
      return out;
    }
  }

  /** Descriptor names waiting in the staging directory (not done, not quarantined). */
  static List<String> waiting(Path staging) {
    return names(staging);
  }

  static List<String> names(Path dir) {
    List<String> out = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + StagingArea.DESCRIPTOR_SUFFIX)) {
      for (Path p : s) {
        if (StagingArea.isDescriptorName(p.getFileName().toString())) {
          out.add(p.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  /**
   * Waits until the job is idle: no descriptor waits in {@code staging}, every index's live segments cover
   * exactly {@code covered} (each fragment once) in at most {@code maxSegments} segments, and the manifest has
   * not moved for {@code quiet}.
   */
  static void awaitIdle(E2eDataset d, Path staging, Map<String, Set<Integer>> covered, int maxSegments,
      Duration quiet, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long stableSince = System.nanoTime();
    long lastVersion = -1;
    String last = "";
    while (true) {
      long version;
      try (LanceDatasetCatalog c = LanceDatasetCatalog.open(d.dir)) {
        version = c.latestVersion();
      }
      Map<String, List<LiveSegment>> live = live(d);
      boolean done = waiting(staging).isEmpty();
      StringBuilder state = new StringBuilder("version " + version + ", waiting " + waiting(staging));
      for (Map.Entry<String, Set<Integer>> e : covered.entrySet()) {
        List<LiveSegment> segs = live.get(e.getKey());
        List<Integer> frags = new ArrayList<>();
        segs.forEach(s -> frags.addAll(s.fragments()));
        frags.sort(null);
        done &= segs.size() <= maxSegments && frags.equals(new ArrayList<>(new TreeSet<>(e.getValue())));
        state.append("; ").append(e.getKey()).append(": ").append(segs.size()).append(" segments over ")
            .append(frags);
      }
      if (version != lastVersion) {
        lastVersion = version;
        stableSince = System.nanoTime();
      }
      last = state.toString();
      if (done && System.nanoTime() - stableSince >= quiet.toNanos()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the job did not become idle within " + timeout + ": " + last);
      }
      E2eDataset.sleep(200);
    }
  }

  /**
   * Exactly once: every fragment of {@code covered} is covered by exactly one live segment of its index (and no
   * other fragment is), and every merge id the job recorded appears in the transaction properties of at most one
   * version. Returns the merge ids found, with their version.
   */
  static Map<String, Long> assertExactlyOnce(E2eDataset d, Map<String, Set<Integer>> covered) {
    Map<String, List<LiveSegment>> live = live(d);
    for (Map.Entry<String, Set<Integer>> e : covered.entrySet()) {
      Map<Integer, List<UUID>> owners = new TreeMap<>();
      for (LiveSegment s : live.get(e.getKey())) {
        for (int f : s.fragments()) {
          owners.computeIfAbsent(f, x -> new ArrayList<>()).add(s.uuid());
        }
      }
      assertThat(owners.keySet()).as("fragments covered by index %s", e.getKey())
          .containsExactlyElementsOf(new TreeSet<>(e.getValue()));
      owners.forEach((f, u) -> assertThat(u).as("segments of %s covering fragment %s", e.getKey(), f).hasSize(1));
    }
    Map<String, Long> seen = new HashMap<>();
    List<String> twice = new ArrayList<>();
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(d.dir)) {
      long latest = c.latestVersion();
      for (long v = 1; v <= latest; v++) {
        String id = c.transactionProperties(v).get(CommitProperties.MERGE_ID);
        if (id != null) {
          Long earlier = seen.putIfAbsent(id, v);
          if (earlier != null) {
            twice.add(id + " at versions " + earlier + " and " + v);
          }
        }
      }
    }
    assertThat(twice).as("merge ids committed more than once").isEmpty();
    return seen;
  }

  /** Rows Lance says each index covers ({@code getIndexStatistics(name).num_indexed_rows}). */
  static long indexedRows(Path dir, String index) {
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(dir, a)) {
      Map<String, Object> stats = ds.getIndexStatistics(index);
      Object n = stats.get("num_indexed_rows");
      if (!(n instanceof Number num)) {
        throw new AssertionError("no num_indexed_rows in the statistics of " + index + ": " + stats);
      }
      return num.longValue();
    }
  }

  static SortedSet<Integer> range(int from, int to) {
    SortedSet<Integer> s = new TreeSet<>();
    for (int i = from; i < to; i++) {
      s.add(i);
    }
    return s;
  }
}
