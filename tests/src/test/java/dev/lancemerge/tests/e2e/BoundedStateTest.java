package dev.lancemerge.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.WriteParams;
import org.lance.index.DistanceType;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;

/**
 * State stays bounded: 1,000 real IVF_FLAT segments (Lance-built, one per 1-row fragment, 2 partitions, shared
 * centroids) go through the job, staged in batches; its state is measured with the State Processor API (sizes by
 * operator uid in a canonical savepoint) once 100 have gone through and the job is idle, and again after all 1,000.
 * The state of every operator must not grow with the number of segments that went through: it holds live unmerged
 * segments and merges in flight, not history. The only thing allowed to grow is the fragment-id lists of the few
 * live segments (900 more fragments, one varint byte each in the few copies the enumerator, planner and buffer
 * hold), hence a small absolute allowance per operator.
 */
class BoundedStateTest {
  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final int SEGMENTS = 1000;
  private static final int FIRST = 100;
  /** Per operator: room for 900 more fragment ids (a varint byte each) in a few copies, and serializer noise. */
  private static final long ALLOWANCE = 8 * 1024;

  @TempDir Path tmp;

  @Test
  void stateDoesNotGrowWithTheSegmentsThatWentThrough() throws Exception {
    Path dir = tmp.resolve("ds");
    List<Segment> segments = new ArrayList<>();
    long start = System.nanoTime();
    try (BufferAllocator a = new RootAllocator()) {
      try (VectorSchemaRoot rows = RealLanceIndexes.generate(a, E2eDataset.DIM, E2eDataset.SEED, 0, SEGMENTS + 1);
          ArrowStreamReader reader = readerOf(rows, a)) {
        Dataset.write().allocator(a).reader(reader).uri(dir.toString()).mode(WriteParams.WriteMode.CREATE)
            .maxRowsPerFile(1).execute().close();
      }
      try (Dataset ds = RealLanceIndexes.openDataset(dir, a)) {
        List<Integer> fids = RealLanceIndexes.fragmentIds(ds);
        assertThat(fids).hasSize(SEGMENTS + 1);
        RealLanceIndexes.IvfModel ivf = RealLanceIndexes.trainIvf(ds, E2eDataset.VEC, 2, DistanceType.L2);
        IndexParams params = RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivf, null);
        segments.addAll(RealLanceIndexes.buildVectorSegments(ds, dir, E2eDataset.VEC, E2eDataset.FLAT.name(),
            IndexType.IVF_FLAT, params, fids));
        // One segment committed with Lance: the committer takes fields and details from a committed segment.
        RealLanceIndexes.commitSegments(ds, E2eDataset.FLAT.name(), E2eDataset.VEC, List.of(segments.get(0)));
      }
    }
    System.out.printf("built %d one-row fragments and their IVF_FLAT segments in %.1f s%n", SEGMENTS + 1,
        (System.nanoTime() - start) / 1e9);
    E2eDataset d = E2eDataset.wrap(dir, List.of(E2eDataset.FLAT));
    Path staging = tmp.resolve("staging");
    String savepoints = tmp.resolve("savepoints").toUri().toString();

    JobClient job = E2eJob.start(E2eJob.conf(d, staging), 2, "bounded-state");
    Map<String, Long> after100;
    Map<String, Long> after1000;
    try {
      stage(staging, segments, 1, FIRST + 1);
      E2eJob.awaitIdle(d, staging, Map.of(E2eDataset.FLAT.name(), E2eJob.range(0, FIRST + 1)), 10,
          Duration.ofSeconds(3), Duration.ofSeconds(120));
      after100 = E2eState.stateSizes(job.triggerSavepoint(savepoints, SavepointFormatType.CANONICAL)
          .get(60, TimeUnit.SECONDS));
      for (int from = FIRST + 1; from <= SEGMENTS; from += 300) {
        stage(staging, segments, from, Math.min(SEGMENTS + 1, from + 300));
        E2eDataset.sleep(2000);
      }
      E2eJob.awaitIdle(d, staging, Map.of(E2eDataset.FLAT.name(), E2eJob.range(0, SEGMENTS + 1)), 10,
          Duration.ofSeconds(3), Duration.ofSeconds(240));
      after1000 = E2eState.stateSizes(job.triggerSavepoint(savepoints, SavepointFormatType.CANONICAL)
          .get(60, TimeUnit.SECONDS));
    } finally {
      E2eJob.cancel(job);
    }
    System.out.println("state bytes by operator uid after " + FIRST + " segments: " + after100 + "; after "
        + SEGMENTS + ": " + after1000);
    E2eJob.assertExactlyOnce(d, Map.of(E2eDataset.FLAT.name(), E2eJob.range(0, SEGMENTS + 1)));
    for (Map.Entry<String, Long> e : after1000.entrySet()) {
      long before = after100.getOrDefault(e.getKey(), 0L);
      assertThat(e.getValue()).as("state of %s after %d segments (%d bytes after %d)", e.getKey(), SEGMENTS, before,
          FIRST).isLessThanOrEqualTo(before + ALLOWANCE);
    }
    assertThat(after1000.keySet()).as("operators with state").containsAll(Set.of("segment-source", "merge-planner"));
  }

  private static void stage(Path staging, List<Segment> segments, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      Segment s = segments.get(i);
      E2eDataset.announce(staging, E2eDataset.FLAT, s.index(), s.index().fragments().orElseThrow());
    }
  }

  private static ArrowStreamReader readerOf(VectorSchemaRoot batch, BufferAllocator a) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ArrowStreamWriter w = new ArrowStreamWriter(batch, null, bytes)) {
      w.start();
      w.writeBatch();
      w.end();
    }
    return new ArrowStreamReader(new ByteArrayInputStream(bytes.toByteArray()), a);
  }
}
