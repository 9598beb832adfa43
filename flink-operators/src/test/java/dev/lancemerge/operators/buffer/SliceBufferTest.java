package dev.lancemerge.operators.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.plan.IndexPlanTest;
import dev.lancemerge.operators.plan.MergeEvent;
import dev.lancemerge.operators.plan.MergeWindow;
import dev.lancemerge.operators.sink.AssembledWindow;
import dev.lancemerge.operators.sink.WindowAssembler;
import dev.lancemerge.operators.source.PartitionSlice;
import dev.lancemerge.operators.source.SegmentRecord;
import dev.lancemerge.operators.source.SegmentSeen;
import java.util.ArrayList;
import java.util.List;
import dev.lancemerge.operators.plan.MergePlanner;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The keyed buffer hands slices to the windows that take them; the assembler closes a window when all arrived. */
class SliceBufferTest {
  private static SegmentRecord slice(SegmentSeen s, int partition, long rows) {
    return SegmentRecord.of(new PartitionSlice("idx", s.split().segmentUuid(), partition, 0, rows, rows * 72));
  }

  private static KeyedBroadcastOperatorTestHarness<String, SegmentRecord, MergeEvent, MergeEvent> buffer()
      throws Exception {
    var h = new KeyedBroadcastOperatorTestHarness<>(
        new CoBroadcastWithKeyedOperator<>(new SliceBuffer(), List.of(SliceBuffer.WINDOWS)), SliceKey::of,
        Types.STRING, 8, 1, 0);
    h.setup(MergePlanner.eventType().createSerializer(new SerializerConfigImpl()));
    return h;
  }

  @Test
  void slicesWaitForTheirWindowAndSurviveARestore() throws Exception {
    SegmentSeen a = IndexPlanTest.committed(0, 0);
    SegmentSeen b = IndexPlanTest.committed(1, 0);
    SegmentSeen c = IndexPlanTest.committed(2, 0);
    MergeWindow w = MergeWindow.of("u", 1, 1, List.of(a, b));
    OperatorSubtaskState snapshot;
    try (var h = buffer()) {
      h.initializeEmptyState();
      h.open();
      h.processElement(slice(a, 0, 10), 0);
      h.processElement(slice(a, 1, 20), 0);
      h.processElement(slice(c, 0, 5), 0);
      assertThat(h.extractOutputValues()).isEmpty();
      snapshot = h.snapshot(1, 1);
    }
    try (var h = buffer()) {
      h.initializeState(snapshot);
      h.open();
      h.processBroadcastElement(MergeEvent.open(w), 2);
      List<MergeEvent> parts = h.extractOutputValues();
      assertThat(parts).extracting(MergeEvent::key).containsExactlyInAnyOrder("idx/p/0", "idx/p/1");
      assertThat(parts).allSatisfy(p -> assertThat(p.slices()).singleElement()
          .satisfies(r -> assertThat(r.segmentUuid()).isEqualTo(a.split().segmentUuid())));
      // A slice of an input arriving after its window opened is handed over at once; others wait.
      h.processElement(slice(b, 1, 7), 3);
      h.processElement(slice(c, 1, 9), 3);
      assertThat(h.extractOutputValues()).hasSize(3);
      // After RETIRE and CLOSE, a new window over c finds only c's slices.
      h.processBroadcastElement(MergeEvent.retire(a.split().segmentUuid()), 4);
      h.processBroadcastElement(MergeEvent.close(w.mergeId()), 4);
      MergeWindow w2 = MergeWindow.of("u", 5, 1, List.of(a, c));
      h.processBroadcastElement(MergeEvent.open(w2), 5);
      List<MergeEvent> all = h.extractOutputValues();
      List<MergeEvent> second = all.subList(3, all.size());
      assertThat(second).hasSize(2).allSatisfy(p -> assertThat(p.slices()).singleElement()
          .satisfies(r -> assertThat(r.segmentUuid()).isEqualTo(c.split().segmentUuid())));
    }
  }

  @Test
  void assemblerEmitsOnceEverySliceArrivedCountingDuplicatesOnce() throws Exception {
    SegmentSeen a = IndexPlanTest.committed(0, 0);   // 4 slices expected per segment (see IndexPlanTest)
    SegmentSeen b = IndexPlanTest.committed(1, 0);
    MergeWindow w = MergeWindow.of("u", 1, 1, List.of(a, b));
    try (KeyedOneInputStreamOperatorTestHarness<String, MergeEvent, AssembledWindow> h =
        new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new WindowAssembler()),
            MergeEvent::mergeId, Types.STRING)) {
      h.setup(WindowAssembler.outputType().createSerializer(new SerializerConfigImpl()));
      h.open();
      List<MergeEvent> parts = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        parts.add(MergeEvent.part(w.mergeId(), "idx/p/" + p, List.of(slice(a, p, 75), slice(b, p, 75))));
      }
      h.processElement(new StreamRecord<>(parts.get(0)));
      h.processElement(new StreamRecord<>(parts.get(0)));
      h.processElement(new StreamRecord<>(MergeEvent.open(w)));
      h.processElement(new StreamRecord<>(parts.get(1)));
      h.processElement(new StreamRecord<>(parts.get(2)));
      assertThat(h.extractOutputValues()).isEmpty();
      h.processElement(new StreamRecord<>(parts.get(3)));
      assertThat(h.extractOutputValues()).singleElement().satisfies(x -> {
        assertThat(x.slices()).isEqualTo(8);
        assertThat(x.sliceRows()).isEqualTo(600);
      });
      h.processElement(new StreamRecord<>(parts.get(3)));
      assertThat(h.extractOutputValues()).as("emitted once").hasSize(1);
      h.processElement(new StreamRecord<>(MergeEvent.close(w.mergeId())));
      assertThat(h.numKeyedStateEntries()).as("CLOSE clears the merge's state").isZero();
    }
  }
}
