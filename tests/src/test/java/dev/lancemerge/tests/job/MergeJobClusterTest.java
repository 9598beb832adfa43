package dev.lancemerge.tests.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.lance.CommitProperties;
import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import dev.lancemerge.tests.cluster.FlinkRestClient;
import dev.lancemerge.tests.cluster.StandaloneFlinkCluster;
import dev.lancemerge.tests.cluster.StandaloneFlinkCluster.TaskManagerProcess;
import dev.lancemerge.tests.cluster.StandaloneFlinkClusterExtension;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;

/**
 * The real job jar ({@code job/target/lance-index-merge.jar}, uploaded over REST) on a standalone Flink cluster of one
 * job manager and two task managers: {@code run --dataset ... --index vec_idx,z_idx} with parallelism 2 merges the
 * per-fragment segments of an IVF_FLAT and a ZoneMap index while more are committed; a task manager running the job
 * is killed while merges are going on and a replacement is started; the job recovers from its last checkpoint and
 * the indexes end exactly-once correct: every fragment covered by exactly one live segment, indexed rows equal to the
 * dataset's rows, k-NN and filtered counts equal to the same segments committed unmerged, and no merge committed
 * twice.
 */
@Tag("cluster")
class MergeJobClusterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String VEC_IDX = "vec_idx";
  private static final String ZONE_IDX = "z_idx";
  private static final int DIM = 128;
  private static final long SEED = 23;
  private static final int FRAGMENTS = 20;
  private static final int INITIAL = 8;
  private static final int ROWS = 12_000;
  private static final int PARTITIONS = 16;

  @RegisterExtension
  static final StandaloneFlinkClusterExtension FLINK = new StandaloneFlinkClusterExtension(
      StandaloneFlinkCluster.builder().taskManagers(2).slotsPerTaskManager(2));

  @TempDir Path tmp;

  /** The job jar, built by the job module's package phase (the tests module comes after it in the reactor). */
  static Path jobJar() {
    Path jar = Path.of(System.getProperty("lance.merge.jar", "../job/target/lance-index-merge.jar"));
    assertThat(jar).as("the job jar (mvn -pl tests -am verify builds it before this test runs)").isRegularFile();
    return jar;
  }

  @Test
  void jobOnAClusterSurvivesAKilledTaskManagerAndMergesExactlyOnce() throws Exception {
    Path jar = jobJar();
    Path ds = tmp.resolve("ds.lance");
    int[] rows = new int[FRAGMENTS];
    java.util.Arrays.fill(rows, ROWS);
    List<Segment> vec;
    List<Segment> zones;
    long startVersion;
    try (BufferAllocator a = new RootAllocator();
        Dataset d = RealLanceIndexes.createDataset(ds, a, DIM, SEED, null, rows)) {
      List<Integer> fids = RealLanceIndexes.fragmentIds(d);
      RealLanceIndexes.IvfModel ivf = RealLanceIndexes.trainIvf(d, RealLanceIndexes.VEC, PARTITIONS, DistanceType.L2);
      IndexParams params = RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivf, null);
      vec = RealLanceIndexes.buildVectorSegments(d, ds, RealLanceIndexes.VEC, VEC_IDX, IndexType.IVF_FLAT, params, fids);
      zones = RealLanceIndexes.buildZoneMapSegments(d, ds, RealLanceIndexes.I64, ZONE_IDX, 1_000, fids);
      RealLanceIndexes.commitSegments(d, VEC_IDX, RealLanceIndexes.VEC, vec.subList(0, INITIAL));
      RealLanceIndexes.commitSegments(d, ZONE_IDX, RealLanceIndexes.I64, zones.subList(0, INITIAL));
      startVersion = d.version();
    }
    Expected expected = expected(ds, vec, zones);

    StandaloneFlinkCluster cluster = FLINK.cluster();
    String jobId = cluster.submitJar(jar, "dev.lancemerge.job.Main", List.of("run", "--dataset", ds.toString(),
        "--index", VEC_IDX + "," + ZONE_IDX, "--checkpoint-interval", "1s",
        "-D", "lance-merge.source.discovery-interval=300ms", "-D", "lance-merge.planner.reconcile-interval=500ms",
        "-D", "lance-merge.policy.max-delay=2s", "-D", "lance-merge.policy.segments-per-tier=4",
        "-D", "lance-merge.cleanup.retention=2s"), 2);
    cluster.waitForAllSubtasksRunning(jobId, 0, TIMEOUT);

    // More segments arrive while the job runs: two of each index every 1.5 s.
    AtomicReference<Throwable> feedFailure = new AtomicReference<>();
    Thread feeder = new Thread(() -> {
      try (BufferAllocator a = new RootAllocator(); Dataset d = RealLanceIndexes.openDataset(ds, a)) {
        for (int i = INITIAL; i < FRAGMENTS; i += 2) {
          Thread.sleep(1_500);
          commitRetrying(d, VEC_IDX, RealLanceIndexes.VEC, vec.subList(i, Math.min(FRAGMENTS, i + 2)));
          commitRetrying(d, ZONE_IDX, RealLanceIndexes.I64, zones.subList(i, Math.min(FRAGMENTS, i + 2)));
        }
      } catch (Throwable e) {
        feedFailure.set(e);
      }
    }, "feeder");
    feeder.start();

    // Kill a task manager of the job in the middle of merging: once a merge has been committed, at the next moment a
    // merged segment is being written (its hidden output directory exists), or after 15 s at the latest.
    StandaloneFlinkCluster.waitUntil("a first merge commit", TIMEOUT, () -> mergeIds(ds, startVersion).size() >= 1,
        () -> "no merge committed yet");
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    boolean midWrite = false;
    while (System.nanoTime() < until && !(midWrite = writing(ds))) {
      Thread.sleep(10);
    }
    List<TaskManagerProcess> hosts = cluster.taskManagersOf(jobId);
    assertThat(hosts).isNotEmpty();
    TaskManagerProcess victim = hosts.get(0);
    cluster.killTaskManager(victim);
    int commitsAtKill = mergeIds(ds, startVersion).size();
    System.err.println("killed " + victim.name() + (midWrite ? " while a merged segment was being written" : "")
        + " after " + commitsAtKill + " merge commits");
    cluster.startTaskManager();

    StandaloneFlinkCluster.waitUntil("a restart of job " + jobId, TIMEOUT, () -> cluster.numRestarts(jobId) >= 1,
        () -> "numRestarts " + cluster.numRestarts(jobId));
    cluster.waitForAllSubtasksRunning(jobId, 1, TIMEOUT);
    assertThat(cluster.taskManagerIdsOf(jobId)).doesNotContain(victim.id());
    feeder.join(TIMEOUT.toMillis());
    assertThat(feedFailure.get()).isNull();

    // The job settles: every fragment is in both indexes, fewer segments than fragments, and no commit for 8 s
    // (max-delay 2 s and checkpoints every second: a merge still due would have been committed).
    long[] lastChange = {System.nanoTime(), -1};
    StandaloneFlinkCluster.waitUntil("the indexes merged and quiet", TIMEOUT, () -> {
      long v = latestVersion(ds);
      if (v != lastChange[1]) {
        lastChange[0] = System.nanoTime();
        lastChange[1] = v;
      }
      return settled(ds) && System.nanoTime() - lastChange[0] > Duration.ofSeconds(8).toNanos();
    }, () -> describe(ds));
    assertThat(cluster.jobState(jobId)).isEqualTo("RUNNING");
    assertThat(FlinkRestClient.toJson(cluster.rest().exceptions(jobId))).contains(victim.id());
    cluster.cancelJob(jobId, Duration.ofSeconds(30));

    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      Map<Integer, Long> fragRows = new HashMap<>();
      try (BufferAllocator a = new RootAllocator(); Dataset d = RealLanceIndexes.openDataset(ds, a)) {
        d.getFragments().forEach(f -> fragRows.put(f.getId(), (long) f.countRows()));
      }
      long datasetRows = fragRows.values().stream().mapToLong(Long::longValue).sum();
      assertThat(datasetRows).isEqualTo((long) FRAGMENTS * ROWS);
      for (String index : List.of(VEC_IDX, ZONE_IDX)) {
        List<Integer> covered = new ArrayList<>();
        for (LiveSegment s : c.liveSegments(Set.of(index))) {
          covered.addAll(s.fragments());
          assertThat(s.directory()).as("files of live segment " + s.uuid()).isDirectory();
        }
        assertThat(covered).as(index + ": every fragment covered by exactly one segment")
            .hasSize(FRAGMENTS).containsExactlyInAnyOrderElementsOf(fragRows.keySet());
        long indexed = covered.stream().mapToLong(fragRows::get).sum();
        assertThat(indexed).as(index + " indexed rows").isEqualTo(datasetRows);
      }
      List<String> ids = mergeIds(ds, startVersion);
      assertThat(ids.size()).as("merge commits").isGreaterThanOrEqualTo(2);
      assertThat(new HashSet<>(ids)).as("each merge id committed once: " + ids).hasSize(ids.size());
    }
    Expected after = measure(ds);
    assertThat(after.knn).isEqualTo(expected.knn);
    assertThat(after.counts).isEqualTo(expected.counts);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private record Expected(Map<Long, List<Long>> knn, Map<String, Long> counts) {}

  private static final long[] QUERY_ROWS = {3, 77_777, 199_990, 123_456};
  private static final List<String> FILTERS = List.of("i64 < 5000000000", "i64 >= 100000000000 AND i64 < 100500000000",
      "i64 IS NULL");

  /** k-NN and filtered counts with every segment committed unmerged, on a copy of the dataset. */
  private Expected expected(Path ds, List<Segment> vec, List<Segment> zones) throws IOException {
    Path copy = tmp.resolve("unmerged.lance");
    List<Path> dirs = new ArrayList<>();
    vec.forEach(s -> dirs.add(s.dir()));
    zones.forEach(s -> dirs.add(s.dir()));
    RealLanceIndexes.copyDataset(ds, copy, dirs);
    try (BufferAllocator a = new RootAllocator(); Dataset d = RealLanceIndexes.openDataset(copy, a)) {
      List<Segment> moreVec = vec.subList(INITIAL, FRAGMENTS);
      List<Segment> moreZones = zones.subList(INITIAL, FRAGMENTS);
      RealLanceIndexes.commitSegments(d, VEC_IDX, RealLanceIndexes.VEC, moreVec);
      RealLanceIndexes.commitSegments(d, ZONE_IDX, RealLanceIndexes.I64, moreZones);
    }
    Expected e = measure(copy);
    assertThat(e.knn.values()).allMatch(hits -> hits.size() == 10);
    assertThat(e.counts.values()).allMatch(n -> n > 0);
    return e;
  }

  /** IVF_FLAT with every partition probed is exact: ids of the 10 nearest rows; counts of a few filters. */
  private static Expected measure(Path ds) throws IOException {
    Map<Long, List<Long>> knn = new LinkedHashMap<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    try (BufferAllocator a = new RootAllocator(); Dataset d = RealLanceIndexes.openDataset(ds, a)) {
      for (long id : QUERY_ROWS) {
        List<Long> ids = new ArrayList<>();
        for (Hit h : RealLanceIndexes.knn(d, RealLanceIndexes.VEC, RealLanceIndexes.vectorFor(SEED, id, DIM), 10,
            PARTITIONS, null, null)) {
          ids.add(h.id());
        }
        knn.put(id, ids);
      }
      for (String f : FILTERS) {
        counts.put(f, RealLanceIndexes.countRows(d, f));
      }
    }
    return new Expected(knn, counts);
  }

  private static void commitRetrying(Dataset d, String index, String column, List<Segment> segs)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        d.checkoutLatest();
        RealLanceIndexes.commitSegments(d, index, column, segs);
        return;
      } catch (RuntimeException e) {
        if (attempt >= 30 || !String.valueOf(e.getMessage()).toLowerCase().contains("conflict")) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Merge ids in the transaction properties of versions after {@code from}, in version order. */
  static List<String> mergeIds(Path ds, long from) {
    List<String> ids = new ArrayList<>();
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      long latest = c.latestVersion();
      for (long v = from + 1; v <= latest; v++) {
        String id = c.transactionProperties(v).get(CommitProperties.MERGE_ID);
        if (id != null) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** A merged segment is being written: a hidden output directory exists under _indices. */
  private static boolean writing(Path ds) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(ds.resolve("_indices"), ".*.tmp-*")) {
      return s.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  private static long latestVersion(Path ds) {
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      return c.latestVersion();
    }
  }

  /** All fragments committed in both indexes, each index with at most half as many segments as fragments. */
  private static boolean settled(Path ds) {
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      for (String index : List.of(VEC_IDX, ZONE_IDX)) {
        List<LiveSegment> segs = c.liveSegments(Set.of(index));
        Set<Integer> f = new TreeSet<>();
        segs.forEach(s -> f.addAll(s.fragments()));
        if (f.size() < FRAGMENTS || segs.size() > FRAGMENTS / 2) {
          return false;
        }
      }
      return true;
    }
  }

  private static String describe(Path ds) {
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      StringBuilder b = new StringBuilder();
      for (String index : List.of(VEC_IDX, ZONE_IDX)) {
        b.append(index).append(": ");
        c.liveSegments(Set.of(index)).forEach(s -> b.append(s.fragments()).append(' '));
        b.append("; ");
      }
      return b.toString();
    }
  }
}
