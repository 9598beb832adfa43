package dev.lancemerge.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LanceFixture;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.oracle.RealLanceIndexes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import dev.lancemerge.operators.plan.MergePlanner;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a mini cluster: the four per-fragment segments of each index are merged (into one segment, or two
 * when the planner happens to see them in two bursts: two small merged segments are within the policy's budget), every
 * fragment is covered exactly once and k-NN answers are unchanged.
 */
class MergePipelineMiniClusterTest {
  static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
      .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

  @TempDir Path tmp;

  @Test
  void perFragmentSegmentsAreMergedAndCommitted() throws Exception {
    Path dir = tmp.resolve("ds");
    LanceFixture.create(dir);
    List<RealLanceIndexes.Hit> before = LanceFixture.knn(dir, 17, 10);

    Configuration conf = new Configuration();
    conf.set(MergeJobOptions.DATASET, dir.toString());
    conf.set(MergeJobOptions.INDEX_NAMES, List.of(LanceFixture.VEC_IDX, LanceFixture.ZONE_IDX));
    conf.set(MergeJobOptions.DISCOVERY_INTERVAL, Duration.ofMillis(200));
    conf.set(MergeJobOptions.RECONCILE_INTERVAL, Duration.ofMillis(300));
    conf.set(MergeJobOptions.MAX_DELAY, Duration.ofSeconds(1));
    conf.set(MergeJobOptions.CLEANUP_RETENTION, Duration.ofSeconds(1));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(300);
    MergePipeline.build(env, conf);
    JobClient job = env.executeAsync("merge-pipeline-test");
    try (LanceDatasetCatalog catalog = LanceDatasetCatalog.open(dir)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline && !(merged(catalog, LanceFixture.VEC_IDX)
          && merged(catalog, LanceFixture.ZONE_IDX))) {
        Thread.sleep(200);
      }
      for (String index : List.of(LanceFixture.VEC_IDX, LanceFixture.ZONE_IDX)) {
        List<LiveSegment> segs = live(catalog, index);
        assertThat(segs).as(index).hasSizeBetween(1, 2);
        assertThat(segs.stream().mapToInt(s -> s.fragments().size()).sum()).as(index)
            .isEqualTo(LanceFixture.FRAGMENTS);
        assertThat(segs.stream().flatMap(s -> s.fragments().stream()).distinct().count()).as(index)
            .isEqualTo(LanceFixture.FRAGMENTS);
      }
      // The job's metrics (group lanceIndexMerge) count what happened; they follow the commits within moments.
      JobID id = job.getJobID();
      eventually(() -> {
        assertThat(sum(id, "segmentsDiscovered")).isEqualTo(2 * LanceFixture.FRAGMENTS);
        assertThat(sum(id, "segmentsReplaced")).isEqualTo(2 * LanceFixture.FRAGMENTS);
        assertThat(sum(id, "mergesCommitted")).isBetween(2L, 4L);
        assertThat(sum(id, "rowsMerged")).isEqualTo(2L * LanceFixture.FRAGMENTS * LanceFixture.ROWS_PER_FRAGMENT);
        assertThat(sum(id, "bytesMerged")).isPositive();
        assertThat(sum(id, "segmentsQuarantined")).isZero();
        assertThat(gauge(id, "index." + LanceFixture.VEC_IDX + ".liveSegments")).isBetween(1L, 2L);
        assertThat(gauge(id, "lastFreshnessLagMs")).isPositive();
      });
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }
    assertThat(LanceFixture.knn(dir, 17, 10)).isEqualTo(before);
  }

  /** Runs {@code check} until it passes, for at most 30 s; then its last failure is thrown. */
  private static void eventually(Runnable check) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** The job's metrics in our group, by full identifier (Flink's own metrics are left out). */
  private static Map<String, Metric> ours(JobID job) {
    Map<String, Metric> out = new java.util.HashMap<>();
    METRICS.getMetricsByGroup().forEach((group, metrics) -> metrics.forEach((name, metric) -> {
      String id = group.getMetricIdentifier(name);
      if (id.contains(job.toString()) || id.contains("merge-pipeline-test")) {
        if (id.contains("." + MergePlanner.METRIC_GROUP + ".")) {
          out.put(id, metric);
        }
      }
    }));
    return out;
  }

  /** The sum over subtasks of the job's counter {@code name}. */
  private static long sum(JobID job, String name) {
    long total = 0;
    for (Map.Entry<String, Metric> m : ours(job).entrySet()) {
      if (m.getKey().endsWith(MergePlanner.METRIC_GROUP + "." + name) && m.getValue() instanceof Counter c) {
        total += c.getCount();
      }
    }
    return total;
  }

  /** The largest value over subtasks of the job's numeric gauge {@code name}. */
  private static long gauge(JobID job, String name) {
    long max = Long.MIN_VALUE;
    for (Map.Entry<String, Metric> m : ours(job).entrySet()) {
      if (m.getKey().endsWith(MergePlanner.METRIC_GROUP + "." + name) && m.getValue() instanceof Gauge<?> g
          && g.getValue() instanceof Number n) {
        max = Math.max(max, n.longValue());
      }
    }
    return max;
  }

  /** No per-fragment segment is left: every live segment covers at least two fragments. */
  private static boolean merged(LanceDatasetCatalog c, String index) {
    List<LiveSegment> segs = live(c, index);
    return !segs.isEmpty() && segs.stream().allMatch(s -> s.fragments().size() >= 2);
  }

  private static List<LiveSegment> live(LanceDatasetCatalog c, String index) {
    return c.liveSegments(Set.of(index));
  }
}
