package dev.lancemerge.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.FaultInjection;
import dev.lancemerge.operators.staging.StagingArea;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failure injection with a fixed-delay restart strategy at each phase of the job ({@link FaultInjection.Point}:
 * reading a segment, buffering a slice, writing a merged segment, just before a commit, just after a commit but
 * before the checkpoint's commit is acknowledged). The hook throws an {@link Error} the first time the phase is
 * reached, which fails the task; the job restarts from its last checkpoint and carries on. Then exactly-once must
 * hold: every fragment covered by exactly one live segment of each index (none lost, none twice), Lance's indexed
 * row count equal to the dataset's rows, no merge id in the transaction properties of two versions, every staged
 * descriptor in {@code done/}, and k-NN (IVF_FLAT, all partitions and a quarter of them) and ZoneMap answers
 * identical to a reference in which Lance merged the same per-fragment segments itself (FLAT) or built the ZoneMap
 * in one piece.
 *
 * <p>Input: 6 fragments x 200 rows; fragments 0-2 committed per fragment before the job starts, 3-4 staged at
 * start, 5 staged after the failure fired.
 */
class FailureRecoveryTest {
  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final int FRAGMENTS = 6;
  /** Fires once per test; static so the hook (called on task threads) and the test share it. */
  private static final AtomicBoolean FIRED = new AtomicBoolean();
  private static final AtomicReference<String> FIRED_AT = new AtomicReference<>();

  @TempDir static Path shared;
  private static E2eDataset base;
  private static Path reference;
  private static List<float[]> queries;

  /** Thrown by the hook: an Error, so no catch block of the job treats it as a failed call. */
  static final class InjectedFailure extends Error {
    InjectedFailure(String message) {
      super(message);
    }
  }

  @BeforeAll
  static void buildData() throws Exception {
    base = E2eDataset.build(shared.resolve("base"), FRAGMENTS, 200, List.of(E2eDataset.FLAT, E2eDataset.ZONES));
    base.commit(List.of(0, 1, 2));
    reference = E2eQueries.reference(base, shared.resolve("reference"), E2eDataset.FLAT, true, true);
    queries = E2eQueries.queries(base.rows(), 12, 4);
  }

  @AfterEach
  void removeHook() {
    FaultInjection.install(null);
  }

  @ParameterizedTest(name = "failure at {0}")
  @EnumSource(FaultInjection.Point.class)
  void exactlyOnceAfterAFailureAndRestart(FaultInjection.Point point, @TempDir Path tmp) throws Exception {
    E2eDataset d = base.copyTo(tmp.resolve("ds"));
    Path staging = tmp.resolve("staging");
    d.stage(staging, List.of(3, 4));
    FIRED.set(false);
    FaultInjection.install((p, detail) -> {
      if (p == point && FIRED.compareAndSet(false, true)) {
        FIRED_AT.set(detail);
        throw new InjectedFailure("injected failure at " + p + " (" + detail + ")");
      }
    });
    Map<String, Set<Integer>> all = Map.of(E2eDataset.FLAT.name(), E2eJob.range(0, FRAGMENTS),
        E2eDataset.ZONE_IDX, E2eJob.range(0, FRAGMENTS));
    JobClient job = E2eJob.start(E2eJob.withRestarts(E2eJob.conf(d, staging), 5), 2, "failure-at-" + point);
    try {
      E2eJob.await("the failure at " + point, Duration.ofSeconds(60), FIRED::get);
      d.stage(staging, List.of(5));
      E2eJob.awaitIdle(d, staging, all, 2, Duration.ofSeconds(2), Duration.ofSeconds(90));
      assertThat(job.getJobStatus().get()).as("the job runs again after the failure at %s (%s)", point,
          FIRED_AT.get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      E2eJob.cancel(job);
    }

    Map<String, Long> merges = E2eJob.assertExactlyOnce(d, all);
    assertThat(merges).as("merges committed").isNotEmpty();
    for (String index : all.keySet()) {
      assertThat(E2eJob.indexedRows(d.dir, index)).as("rows indexed by %s", index).isEqualTo(d.rows());
    }
    assertThat(E2eJob.names(staging.resolve(StagingArea.DONE_DIR))).as("descriptors marked done").hasSize(6);
    assertThat(E2eJob.names(staging.resolve(StagingArea.QUARANTINE_DIR))).as("descriptors quarantined").isEmpty();
    for (int nprobes : List.of(E2eDataset.PARTITIONS, 2)) {
      assertThat(E2eQueries.differences(E2eQueries.knn(reference, queries, nprobes),
          E2eQueries.knn(d.dir, queries, nprobes))).as("k-NN at nprobes %d after a failure at %s", nprobes, point)
          .isEmpty();
    }
    assertThat(E2eQueries.zoneAnswers(d.dir)).as("ZoneMap answers").isEqualTo(E2eQueries.zoneAnswers(reference));
  }
}
