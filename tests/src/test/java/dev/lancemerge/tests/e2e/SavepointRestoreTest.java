package dev.lancemerge.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.MergePipeline;
import dev.lancemerge.operators.staging.StagingArea;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop-with-savepoint, more segments arrive while the job is down, restore from the savepoint at another
 * parallelism, and later restore from an OLDER savepoint (the job rewinds to state from before several of its own
 * commits): exactly-once holds after each run (every fragment covered once, no merge id committed twice), and at
 * the end k-NN (IVF_FLAT) equals Lance's own merge of the same per-fragment segments and the ZoneMap answers equal a
 * full build. The savepoints hold state under the operators' fixed uids ({@link MergePipeline}).
 *
 * <p>Runs: (1) parallelism 2, fragments 0-1 committed at start; savepoint A once they are merged; 2-3 staged;
 * stop-with-savepoint B. Between runs: 4 committed, 5 staged. (2) restored from B at parallelism 1; cancelled once
 * idle. Then 6 staged, 7 committed. (3) restored from A (older than B and than run 2's commits) at parallelism 2.
 */
class SavepointRestoreTest {
  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final int FRAGMENTS = 8;
  private static final Duration QUIET = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  @Test
  void restoresFromSavepointsAtOtherParallelismAndFromAnOlderOne() throws Exception {
    E2eDataset d = E2eDataset.build(tmp.resolve("ds"), FRAGMENTS, 150, List.of(E2eDataset.FLAT, E2eDataset.ZONES));
    Path reference = E2eQueries.reference(d, tmp.resolve("reference"), E2eDataset.FLAT, true, true);
    d.commit(List.of(0, 1));
    Path staging = tmp.resolve("staging");
    String savepoints = tmp.resolve("savepoints").toUri().toString();

    JobClient run1 = E2eJob.start(E2eJob.conf(d, staging), 2, "savepoint-run-1");
    String older;
    String stopped;
    try {
      E2eJob.awaitIdle(d, staging, covering(d, 0, 2), 1, QUIET, TIMEOUT);
      older = run1.triggerSavepoint(savepoints, SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
      d.stage(staging, List.of(2, 3));
      E2eJob.awaitIdle(d, staging, covering(d, 0, 4), 3, QUIET, TIMEOUT);
      stopped = run1.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
    } catch (Exception | AssertionError e) {
      E2eJob.cancel(run1);
      throw e;
    }
    E2eJob.assertExactlyOnce(d, covering(d, 0, 4));
    for (String uid : List.of(MergePipeline.SOURCE_UID, MergePipeline.PLANNER_UID, MergePipeline.BUFFER_UID)) {
      assertThat(E2eState.stateSizes(stopped)).as("state in the savepoint under uid %s", uid).containsKey(uid);
    }

    d.commit(List.of(4));
    d.stage(staging, List.of(5));
    JobClient run2 = E2eJob.start(E2eJob.restoringFrom(E2eJob.conf(d, staging), stopped), 1, "savepoint-run-2");
    try {
      E2eJob.awaitIdle(d, staging, covering(d, 0, 6), 4, QUIET, TIMEOUT);
    } finally {
      E2eJob.cancel(run2);
    }
    E2eJob.assertExactlyOnce(d, covering(d, 0, 6));

    d.stage(staging, List.of(6));
    d.commit(List.of(7));
    JobClient run3 = E2eJob.start(E2eJob.restoringFrom(E2eJob.conf(d, staging), older), 2, "savepoint-run-3");
    try {
      E2eJob.awaitIdle(d, staging, covering(d, 0, 8), 4, QUIET, TIMEOUT);
    } finally {
      E2eJob.cancel(run3);
    }

    Map<String, Set<Integer>> all = covering(d, 0, FRAGMENTS);
    E2eJob.assertExactlyOnce(d, all);
    for (String index : all.keySet()) {
      assertThat(E2eJob.indexedRows(d.dir, index)).as("rows indexed by %s", index).isEqualTo(d.rows());
    }
    assertThat(E2eJob.names(staging.resolve(StagingArea.DONE_DIR))).as("descriptors marked done").hasSize(2 * 4);
    assertThat(E2eJob.names(staging.resolve(StagingArea.QUARANTINE_DIR))).as("quarantined").isEmpty();
    List<float[]> qs = E2eQueries.queries(d.rows(), 12, 4);
    for (int nprobes : List.of(E2eDataset.PARTITIONS, 2)) {
      assertThat(E2eQueries.differences(E2eQueries.knn(reference, qs, nprobes), E2eQueries.knn(d.dir, qs, nprobes)))
          .as("k-NN at nprobes %d", nprobes).isEmpty();
    }
    assertThat(E2eQueries.zoneAnswers(d.dir)).as("ZoneMap answers").isEqualTo(E2eQueries.zoneAnswers(reference));
  }

  private static Map<String, Set<Integer>> covering(E2eDataset d, int from, int to) {
    return Map.of(E2eDataset.FLAT.name(), E2eJob.range(from, to), E2eDataset.ZONE_IDX, E2eJob.range(from, to));
  }
}
