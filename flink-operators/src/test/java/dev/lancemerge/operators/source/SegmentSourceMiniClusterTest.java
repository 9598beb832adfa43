package dev.lancemerge.operators.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.staging.StagingArea;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source in a real (mini) cluster, parallelism 2: per-fragment segments committed unmerged and one staged
 * segment are each read exactly once while discovery keeps running.
 */
class SegmentSourceMiniClusterTest {
  @RegisterExtension
  static final MiniClusterExtension MINI = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  /** What the collecting sink received (the mini cluster runs in this JVM). */
  static final ConcurrentLinkedQueue<SegmentRecord> RECEIVED = new ConcurrentLinkedQueue<>();

  @TempDir Path tmp;

  @Test
  void everySegmentIsSeenExactlyOnce() throws Exception {
    SourceFixture fx = SourceFixture.get();
    RECEIVED.clear();
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    StagingArea.announce(staging, fx.stagedDescriptor(System.currentTimeMillis()));

    SegmentSource source = SegmentSource.builder()
        .dataset(fx.dataset)
        .indexNames(SourceFixture.VEC_IDX, SourceFixture.ZONE_IDX)
        .discoveryInterval(Duration.ofMillis(200))
        .stagingDirectory(staging)
        .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "segments").uid("segment-source")
        .sinkTo(new CollectingSink()).name("collect");
    JobClient job = env.executeAsync("segment-source-test");
    try {
      Map<String, Integer> want = new HashMap<>();
      for (LiveSegment s : fx.vectors) {
        want.put("committed:" + s.uuid(), 0);
      }
      for (LiveSegment s : fx.zoneMaps) {
        want.put("committed:" + s.uuid(), 0);
      }
      want.put("staged:" + fx.stagedIndex.uuid(), 0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (seen().size() < want.size() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      // Let discovery run several more intervals: nothing may be read twice.
      Thread.sleep(2000);

      List<SegmentRecord> records = new ArrayList<>(RECEIVED);
      List<SegmentSeen> seen = seen();
      assertThat(records).noneMatch(r -> r.kind() == SegmentRecord.Kind.REJECTED);
      assertThat(seen.stream().map(s -> s.split().splitId()).toList())
          .containsExactlyInAnyOrderElementsOf(want.keySet());
      SegmentSeen staged = seen.stream().filter(s -> s.split().origin() == SegmentSplit.Origin.STAGED)
          .findFirst().orElseThrow();
      assertThat(staged.split().fragments()).containsExactly(2);
      assertThat(staged.rows()).isEqualTo(SourceFixture.ROWS);
      // Every slice arrived once, and each segment's slices add up to its rows.
      for (SegmentSeen s : seen) {
        UUID u = s.split().segmentUuid();
        List<SegmentRecord> slices = records.stream()
            .filter(r -> r.kind() != SegmentRecord.Kind.SEEN && r.segmentUuid().equals(u)).toList();
        assertThat(slices).hasSize(s.slices()).doesNotHaveDuplicates();
        long rows = slices.stream()
            .mapToLong(r -> r.kind() == SegmentRecord.Kind.PARTITION ? r.partition().rowCount() : r.zone().zoneLength())
            .sum();
        assertThat(rows).as("rows of %s", s.split()).isEqualTo(s.rows());
      }
      assertThat(Set.copyOf(records)).hasSize(records.size());
    } finally {
      job.cancel().get(60, TimeUnit.SECONDS);
    }
  }

  private static List<SegmentSeen> seen() {
    return RECEIVED.stream().filter(r -> r.kind() == SegmentRecord.Kind.SEEN).map(SegmentRecord::seen).toList();
  }

  /** Adds every record to {@link #RECEIVED}. */
  static final class CollectingSink implements Sink<SegmentRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<SegmentRecord> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(SegmentRecord element, Context ctx) {
          RECEIVED.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
