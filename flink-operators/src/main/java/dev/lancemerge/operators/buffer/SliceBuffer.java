package dev.lancemerge.operators.buffer;

import dev.lancemerge.operators.FaultInjection;
import dev.lancemerge.operators.plan.MergeEvent;
import dev.lancemerge.operators.plan.MergePlanner;
import dev.lancemerge.operators.plan.MergeWindow;
import dev.lancemerge.operators.source.SegmentRecord;
import dev.lancemerge.operators.source.SegmentRecordTypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Buffers slices by {@link SliceKey} (IVF partition or ZoneMap zone) in keyed state, as references: segment, row
 * range and byte count (a zone's few statistics by value), never the vectors. Windows come from the planner as a
 * broadcast: on OPEN, every key hands the slices it holds of the window's inputs to the assembler (one PART per key),
 * and a slice that arrives later for an open window is handed over at once. Slices stay buffered while their
 * segment is live (a window given up must find them again) and leave on RETIRE; CLOSE forgets the window.
 *
 * <p>State: per key, one entry per live segment holding that partition or zone; broadcast, the open windows.
 */
public final class SliceBuffer extends KeyedBroadcastProcessFunction<String, SegmentRecord, MergeEvent, MergeEvent> {
  private static final long serialVersionUID = 1L;

  /** Open windows by merge id (broadcast state). */
  public static final MapStateDescriptor<String, MergeEvent> WINDOWS =
      new MapStateDescriptor<>("open-windows", Types.STRING, MergePlanner.eventType());
  /** Buffered slices of one key by segment uuid (keyed state). */
  static final MapStateDescriptor<String, SegmentRecord> SLICES =
      new MapStateDescriptor<>("slices", Types.STRING, SegmentRecordTypeInfo.INSTANCE);

  private transient MapState<String, SegmentRecord> slices;
  private transient Counter buffered;

  @Override
  public void open(OpenContext context) {
    slices = getRuntimeContext().getMapState(SLICES);
    buffered = getRuntimeContext().getMetricGroup().addGroup(MergePlanner.METRIC_GROUP).counter("slicesBuffered");
  }

  @Override
  public void processElement(SegmentRecord r, ReadOnlyContext ctx, Collector<MergeEvent> out) throws Exception {
    String segment = r.segmentUuid().toString();
    FaultInjection.at(FaultInjection.Point.BUFFER, segment);
    slices.put(segment, r);
    buffered.inc();
    for (Map.Entry<String, MergeEvent> w : ctx.getBroadcastState(WINDOWS).immutableEntries()) {
      if (w.getValue().window().hasInput(r.segmentUuid())) {
        out.collect(MergeEvent.part(w.getKey(), ctx.getCurrentKey(), List.of(r)));
      }
    }
  }

  @Override
  public void processBroadcastElement(MergeEvent e, Context ctx, Collector<MergeEvent> out) throws Exception {
    switch (e.kind()) {
      case OPEN -> {
        ctx.getBroadcastState(WINDOWS).put(e.mergeId(), e);
        MergeWindow w = e.window();
        ctx.applyToKeyedState(SLICES, (key, state) -> {
          List<SegmentRecord> held = new ArrayList<>();
          for (SegmentRecord r : state.values()) {
            if (w.hasInput(r.segmentUuid())) {
              held.add(r);
            }
          }
          if (!held.isEmpty()) {
            out.collect(MergeEvent.part(w.mergeId(), key, held));
          }
        });
      }
      case CLOSE -> ctx.getBroadcastState(WINDOWS).remove(e.mergeId());
      case RETIRE -> {
        String segment = e.segment().toString();
        ctx.applyToKeyedState(SLICES, (key, state) -> state.remove(segment));
      }
      case PART -> throw new IllegalArgumentException("the planner sends no PART events");
    }
  }
}
