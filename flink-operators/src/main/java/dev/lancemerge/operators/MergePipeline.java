package dev.lancemerge.operators;

import dev.lancemerge.operators.buffer.SliceBuffer;
import dev.lancemerge.operators.buffer.SliceKey;
import dev.lancemerge.operators.plan.MergeEvent;
import dev.lancemerge.operators.plan.MergePlanner;
import dev.lancemerge.operators.sink.AssembledWindow;
import dev.lancemerge.operators.sink.MergeSink;
import dev.lancemerge.operators.sink.WindowAssembler;
import dev.lancemerge.operators.source.SegmentRecord;
import dev.lancemerge.operators.source.SegmentSource;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The merge job's topology, from {@link MergeJobOptions}:
 *
 * <pre>
 *  source ─┬─ SEEN/REJECTED ─ keyBy(index) ─ planner ─┬─ broadcast ─┐
 *          │                                          │             │
 *          └─ slices ─ keyBy(partition | zone) ───────┼──── buffer ─┴─ PART ─┐
 *                                                     └─ OPEN/CLOSE ─────────┴─ keyBy(merge) ─ assembler ─ sink
 * </pre>
 *
 * Every stateful operator has a fixed uid (below), so savepoints restore across code and parallelism changes.
 */
public final class MergePipeline {
  public static final String SOURCE_UID = "segment-source";
  public static final String PLANNER_UID = "merge-planner";
  public static final String BUFFER_UID = "slice-buffer";
  public static final String ASSEMBLER_UID = "window-assembler";
  public static final String SINK_UID = "merge-sink";

  private MergePipeline() {}

  /** Adds the job to {@code env}. */
  public static void build(StreamExecutionEnvironment env, Configuration conf) {
    String dataset = MergeJobOptions.dataset(conf);
    List<String> indexes = conf.getOptional(MergeJobOptions.INDEX_NAMES)
        .orElseThrow(() -> new IllegalArgumentException(MergeJobOptions.INDEX_NAMES.key() + " is not set"));
    SegmentSource.Builder sb = SegmentSource.builder()
        .dataset(Path.of(dataset))
        .indexNames(indexes)
        .discoveryInterval(conf.get(MergeJobOptions.DISCOVERY_INTERVAL));
    String staging = MergeJobOptions.stagingDir(conf);
    if (staging != null) {
      sb.stagingDirectory(Path.of(staging));
    }
    DataStream<SegmentRecord> records = env.fromSource(sb.build(), WatermarkStrategy.noWatermarks(), "segments")
        .uid(SOURCE_UID);

    DataStream<MergeEvent> plans = records
        .filter(r -> !SliceKey.isSlice(r)).name("segments seen")
        .keyBy(SegmentRecord::indexName, Types.STRING)
        .process(new MergePlanner(MergeJobOptions.planner(conf)), MergePlanner.eventType())
        .uid(PLANNER_UID).name("merge planner");

    BroadcastStream<MergeEvent> control = plans.broadcast(SliceBuffer.WINDOWS);
    DataStream<MergeEvent> parts = records
        .filter(SliceKey::isSlice).name("slices")
        .keyBy(SliceKey::of, Types.STRING)
        .connect(control)
        .process(new SliceBuffer(), MergePlanner.eventType())
        .uid(BUFFER_UID).name("slice buffer (by partition / zone)");

    DataStream<AssembledWindow> windows = plans
        .filter(e -> e.kind() == MergeEvent.Kind.OPEN || e.kind() == MergeEvent.Kind.CLOSE).name("windows")
        .union(parts)
        .keyBy(MergeEvent::mergeId, Types.STRING)
        .process(new WindowAssembler(), WindowAssembler.outputType())
        .uid(ASSEMBLER_UID).name("window assembler");

    windows.sinkTo(new MergeSink(MergeJobOptions.writer(conf), MergeJobOptions.committer(conf),
            MergeJobOptions.cleanup(conf)))
        .uid(SINK_UID).name("merged segments");
  }
}
