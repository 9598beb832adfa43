package dev.lancemerge.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.staging.StagingArea;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;

/**
 * Bad segments among good ones (IVF_FLAT, 8 fragments): fragments 0-2 committed and merged first; then a segment
 * built with ANOTHER IVF model (other centroids) is committed for fragment 3, good segments of 4-5 are staged, a
 * good segment of 6 whose {@code auxiliary.idx} was truncated is staged, and a segment of 7 from the other IVF model
 * is staged. Once idle: the good segments (0-2, 4-5) are merged and committed, their descriptors in {@code done/};
 * the committed bad segment stays committed as it was, unmerged (same uuid, fragment 3 only); both bad staged
 * descriptors are in {@code quarantine/}, each with a reason file, and their fragments stay uncovered; no fragment is
 * covered twice and no merge id is committed twice.
 */
class BadSegmentQuarantineTest {
  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir Path tmp;

  @Test
  void badSegmentsAreSetAsideAndTheGoodOnesMerged() throws Exception {
    E2eDataset d = E2eDataset.build(tmp.resolve("ds"), 8, 150, List.of(E2eDataset.FLAT));
    Path staging = tmp.resolve("staging");
    String flat = E2eDataset.FLAT.name();

    // Segments of another IVF model: the same number of partitions, other centroids.
    float[] shifted = d.ivf.centroids().clone();
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] += 3.0f;
    }
    RealLanceIndexes.IvfModel other = new RealLanceIndexes.IvfModel(d.ivf.distanceType(), d.ivf.numPartitions(),
        shifted);
    Segment badCommitted;
    Segment badStaged;
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(d.dir, a)) {
      var params = RealLanceIndexes.vectorParams(E2eDataset.FLAT.type(), other, null);
      badCommitted = RealLanceIndexes.buildSegment(ds, d.dir, E2eDataset.VEC, flat, E2eDataset.FLAT.type(), params, 3);
      badStaged = RealLanceIndexes.buildSegment(ds, d.dir, E2eDataset.VEC, flat, E2eDataset.FLAT.type(), params, 7);
    }
    // Built before anything of the index is committed: Lance refuses createIndex under a committed index's name.
    d.commit(List.of(0, 1, 2));
    Segment corrupt = d.segment(flat, 6);
    Path aux = corrupt.dir().resolve("auxiliary.idx");
    try (FileChannel ch = FileChannel.open(aux, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(aux) / 2);
    }

    JobClient job = E2eJob.start(E2eJob.conf(d, staging), 2, "bad-segments");
    try {
      E2eJob.await("the first merge", Duration.ofSeconds(60), () -> E2eJob.live(d).get(flat).size() < 3);
      d.commitWithRetry(E2eDataset.FLAT, List.of(badCommitted));
      d.stage(staging, List.of(4, 5));
      E2eDataset.announce(staging, E2eDataset.FLAT, corrupt.index(), List.of(6));
      E2eDataset.announce(staging, E2eDataset.FLAT, badStaged.index(), List.of(7));
      E2eJob.awaitIdle(d, staging, Map.of(flat, Set.of(0, 1, 2, 3, 4, 5)), 3, Duration.ofSeconds(3),
          Duration.ofSeconds(90));
    } finally {
      E2eJob.cancel(job);
    }

    E2eJob.assertExactlyOnce(d, Map.of(flat, Set.of(0, 1, 2, 3, 4, 5)));
    List<LiveSegment> live = E2eJob.live(d).get(flat);
    assertThat(live).filteredOn(s -> s.uuid().equals(badCommitted.index().uuid()))
        .as("the committed bad segment, still committed unmerged").singleElement()
        .satisfies(s -> assertThat(s.fragments()).containsExactly(3));
    assertThat(live).filteredOn(s -> !s.uuid().equals(badCommitted.index().uuid()))
        .as("the good segments, merged").allSatisfy(s -> assertThat(s.fragments()).doesNotContain(3, 6, 7))
        .hasSizeLessThan(5);
    assertThat(E2eJob.indexedRows(d.dir, flat)).isEqualTo(6 * 150L);

    Path quarantine = staging.resolve(StagingArea.QUARANTINE_DIR);
    List<String> quarantined = E2eJob.names(quarantine);
    assertThat(quarantined).as("quarantined descriptors").hasSize(2)
        .anyMatch(n -> n.contains(corrupt.index().uuid().toString()))
        .anyMatch(n -> n.contains(badStaged.index().uuid().toString()));
    for (String n : quarantined) {
      Path reason = quarantine.resolve(n + StagingArea.REASON_SUFFIX);
      assertThat(reason).as("reason for %s", n).exists();
      // The reason starts with the descriptor's name (docs/staged-segments.md) and names the segment.
      String uuid = n.substring(n.indexOf('-') + 1, n.length() - StagingArea.DESCRIPTOR_SUFFIX.length());
      assertThat(Files.readString(reason)).as("reason for %s", n).startsWith(n + ": ").contains(uuid)
          .contains("quarantined-at");
    }
    assertThat(E2eJob.names(staging.resolve(StagingArea.DONE_DIR))).as("good staged descriptors done").hasSize(2);
    assertThat(E2eJob.waiting(staging)).isEmpty();
  }
}
