package dev.lancemerge.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.staging.StagingArea;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job end to end on a real dataset with four indexes, IVF_FLAT, IVF_PQ, IVF_SQ (all on {@code vec}, one IVF
 * model and one PQ codebook shared by every segment, as Lance's distributed build requires) and ZoneMap (on
 * {@code i64}), whose per-fragment segments arrive over time, committed and staged: fragments 0-2 committed
 * before the job starts, 3-4 announced as staged while it runs, 5 committed by another writer, 6-7 staged.
 *
 * <p>Once the job is idle: every index has few segments (at most 3 of 8), covering every fragment exactly once;
 * Lance's {@code num_indexed_rows} is the dataset's rows; every descriptor is in {@code done/}; and queries answer
 * as on a reference index "built in one piece":
 *
 * <ul>
 *   <li>IVF_FLAT and IVF_PQ: k-NN (all partitions probed, and a quarter of them) the same as on the same
 *       per-fragment segments merged into ONE segment by Lance itself ({@code mergeExistingIndexSegments}). That is the reference because with shared centroids and codebook
 *       a one-piece build is exactly that merge, and it is the oracle of the merge kernel's own tests; a fresh
 *       {@code createIndex} over all fragments would train other centroids and answer differently, by design. "The same" ({@link E2eQueries#differences}): bit-identical distances at every rank and identical
 *       hits below the k-th distance; rows tied at exactly the k-th distance may be swapped (PQ codes tie, and Lance
 *       breaks ties by row order, which follows the merge order).
 *   <li>IVF_SQ: recall@10 against brute force within 0.01 of the same segments searched unmerged (the kernel's
 *       target: SQ segments have per-segment bounds, so a merge requantizes and no exact reference exists).
 *   <li>ZoneMap: the zone statistics and filtered {@code countRows} equal one full Lance build over all fragments.
 * </ul>
 */
class EndToEndMergeTest {
  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final int FRAGMENTS = 8;

  @TempDir Path tmp;

  @Test
  void committedAndStagedSegmentsEndUpMergedAndAnswerLikeOneIndex() throws Exception {
    List<E2eDataset.IndexSpec> specs = List.of(E2eDataset.FLAT, E2eDataset.PQ, E2eDataset.SQ, E2eDataset.ZONES);
    E2eDataset d = E2eDataset.build(tmp.resolve("ds"), FRAGMENTS, 250, specs);
    Path flatRef = E2eQueries.reference(d, tmp.resolve("ref-flat"), E2eDataset.FLAT, true, true);
    Path pqRef = E2eQueries.reference(d, tmp.resolve("ref-pq"), E2eDataset.PQ, true, false);
    Path sqUnmerged = E2eQueries.reference(d, tmp.resolve("ref-sq"), E2eDataset.SQ, false, false);
    d.commit(List.of(0, 1, 2));
    Path staging = tmp.resolve("staging");

    Map<String, Set<Integer>> all = new LinkedHashMap<>();
    for (E2eDataset.IndexSpec s : specs) {
      all.put(s.name(), E2eJob.range(0, FRAGMENTS));
    }
    JobClient job = E2eJob.start(E2eJob.conf(d, staging), 2, "end-to-end");
    try {
      // A segment that arrives after the others were planned stays alone until company comes (the policy's
      // tiers allow a few segments), so "merged" here means fewer segments than the three committed.
      E2eJob.await("the first merges", Duration.ofSeconds(60),
          () -> E2eJob.live(d).values().stream().allMatch(l -> l.size() < 3));
      d.stage(staging, List.of(3, 4));
      E2eDataset.sleep(1500);
      d.commit(List.of(5));
      E2eDataset.sleep(1500);
      d.stage(staging, List.of(6, 7));
      E2eJob.awaitIdle(d, staging, all, 3, Duration.ofSeconds(3), Duration.ofSeconds(120));
    } finally {
      E2eJob.cancel(job);
    }

    Map<String, List<LiveSegment>> live = E2eJob.live(d);
    E2eJob.assertExactlyOnce(d, all);
    for (E2eDataset.IndexSpec s : specs) {
      assertThat(live.get(s.name())).as("segments of %s", s.name()).hasSizeLessThanOrEqualTo(3);
      assertThat(E2eJob.indexedRows(d.dir, s.name())).as("rows indexed by %s", s.name()).isEqualTo(d.rows());
    }
    assertThat(E2eJob.names(staging.resolve(StagingArea.DONE_DIR))).as("staged descriptors marked done")
        .hasSize(4 * specs.size());
    assertThat(E2eJob.names(staging.resolve(StagingArea.QUARANTINE_DIR))).as("quarantined").isEmpty();
    assertThat(E2eJob.waiting(staging)).isEmpty();

    List<float[]> qs = E2eQueries.queries(d.rows(), 40, 10);
    for (E2eDataset.IndexSpec s : List.of(E2eDataset.FLAT, E2eDataset.PQ)) {
      Path ours = E2eQueries.onlyVectorIndex(d, tmp.resolve("ours-" + s.name()), s.name());
      Path ref = s == E2eDataset.FLAT ? flatRef : pqRef;
      for (int nprobes : List.of(E2eDataset.PARTITIONS, E2eDataset.PARTITIONS / 4)) {
        List<List<Hit>> expected = E2eQueries.knn(ref, qs, nprobes);
        assertThat(expected).allSatisfy(h -> assertThat(h).hasSize(E2eQueries.K));
        assertThat(E2eQueries.differences(expected, E2eQueries.knn(ours, qs, nprobes)))
            .as("%s k-NN at nprobes %d: queries answered differently", s.name(), nprobes).isEmpty();
      }
    }
    Path oursSq = E2eQueries.onlyVectorIndex(d, tmp.resolve("ours-sq"), E2eDataset.SQ.name());
    List<long[]> truth = E2eQueries.groundTruth(d.rows(), qs);
    StringBuilder report = new StringBuilder("IVF_SQ recall@10:");
    for (int nprobes : List.of(E2eDataset.PARTITIONS, E2eDataset.PARTITIONS / 4)) {
      double ours = E2eQueries.recall(E2eQueries.knn(oursSq, qs, nprobes), truth);
      double unmerged = E2eQueries.recall(E2eQueries.knn(sqUnmerged, qs, nprobes), truth);
      report.append(String.format(" nprobes %d: merged by the job %.4f, unmerged %.4f;", nprobes, ours, unmerged));
      assertThat(ours).as("IVF_SQ recall@10 at nprobes %d (unmerged %.4f)", nprobes, unmerged)
          .isGreaterThanOrEqualTo(unmerged - 0.01);
    }
    System.out.println(report);
    assertThat(E2eQueries.zoneAnswers(d.dir)).as("ZoneMap answers").isEqualTo(E2eQueries.zoneAnswers(flatRef));
  }
}
