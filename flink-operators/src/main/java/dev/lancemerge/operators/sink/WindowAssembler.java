package dev.lancemerge.operators.sink;

import dev.lancemerge.operators.io.FormatTypeInfo;
import dev.lancemerge.operators.plan.MergeEvent;
import dev.lancemerge.operators.plan.MergeWindow;
import dev.lancemerge.operators.source.SegmentRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Collects, keyed by merge id, a window (OPEN, from the planner) and the parts the slice buffer hands over (PART,
 * from every buffer subtask, in any order), and emits the window once every slice of every input has arrived.
 * Received slices are counted per (segment, key), so a slice handed over twice counts once. After completion only
 * a marker stays until the planner's CLOSE, which clears the merge's state (also for a window given up unfinished).
 * State per open window: its slices' row counts, not their content.
 */
public final class WindowAssembler extends KeyedProcessFunction<String, MergeEvent, AssembledWindow> {
  private static final long serialVersionUID = 1L;

  private transient ValueState<MergeEvent> window;
  private transient MapState<String, Long> received;
  private transient ValueState<Boolean> done;
  private transient ValueState<Long> count;
  private transient ValueState<Long> rows;

  public static FormatTypeInfo<AssembledWindow> outputType() {
    return FormatTypeInfo.of(new AssembledWindowFormat());
  }

  @Override
  public void open(OpenContext context) {
    var events = getRuntimeContext();
    window = events.getState(new ValueStateDescriptor<>("window", dev.lancemerge.operators.plan.MergePlanner.eventType()));
    received = events.getMapState(new MapStateDescriptor<>("received-slices", Types.STRING, Types.LONG));
    done = events.getState(new ValueStateDescriptor<>("assembled", Types.BOOLEAN));
    count = events.getState(new ValueStateDescriptor<>("received-count", Types.LONG));
    rows = events.getState(new ValueStateDescriptor<>("received-rows", Types.LONG));
  }

  @Override
  public void processElement(MergeEvent e, Context ctx, Collector<AssembledWindow> out) throws Exception {
    switch (e.kind()) {
      case CLOSE -> {
        window.clear();
        received.clear();
        done.clear();
        count.clear();
        rows.clear();
        return;
      }
      case OPEN -> window.update(e);
      case PART -> {
        if (done.value() != null) {
          return;
        }
        long n = orZero(count.value());
        long sum = orZero(rows.value());
        for (SegmentRecord r : e.slices()) {
          String id = r.segmentUuid() + "|" + e.key();
          if (!received.contains(id)) {
            long len = r.kind() == SegmentRecord.Kind.PARTITION ? r.partition().rowCount() : r.zone().zoneLength();
            received.put(id, len);
            n++;
            sum += len;
          }
        }
        count.update(n);
        rows.update(sum);
      }
      default -> throw new IllegalArgumentException("the assembler takes OPEN, PART and CLOSE events, not " + e.kind());
    }
    MergeEvent open = window.value();
    if (open == null || done.value() != null) {
      return;
    }
    MergeWindow w = open.window();
    long slices = orZero(count.value());
    if (slices >= w.expectedSlices()) {
      out.collect(new AssembledWindow(w, slices, orZero(rows.value())));
      done.update(true);
      received.clear();
    }
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
