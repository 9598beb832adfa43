package dev.lancemerge.operators.sink;

import dev.lancemerge.operators.cleanup.CleanupOptions;
import dev.lancemerge.operators.cleanup.SegmentCleaner;
import dev.lancemerge.operators.io.FormatVersionedSerializer;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The windowed sink (Sink V2): {@link MergeWriter}s write each assembled window's merged segment; at every
 * checkpoint their committables are stamped with the checkpoint id ({@link CheckpointStamp}) and, once the
 * checkpoint completes, the {@link MergeCommitter} commits them into the dataset exactly once; committed
 * committables then flow to the {@link SegmentCleaner}, which deletes replaced files after the retention.
 */
public final class MergeSink implements Sink<AssembledWindow>, SupportsCommitter<MergeCommittable>,
    SupportsPreCommitTopology<MergeCommittable, MergeCommittable>, SupportsPostCommitTopology<MergeCommittable> {
  private static final long serialVersionUID = 1L;
  /** Uids of the sink's own operators (savepoints map state to them). */
  public static final String STAMP_UID = "merge-sink-checkpoint-stamp";
  public static final String CLEANER_UID = "segment-cleaner";

  private final WriterOptions writer;
  private final CommitterOptions committer;
  private final CleanupOptions cleanup;

  public MergeSink(WriterOptions writer, CommitterOptions committer, CleanupOptions cleanup) {
    this.writer = Objects.requireNonNull(writer, "writer");
    this.committer = Objects.requireNonNull(committer, "committer");
    this.cleanup = Objects.requireNonNull(cleanup, "cleanup");
  }

  @Override
  public SinkWriter<AssembledWindow> createWriter(WriterInitContext context) {
    return new MergeWriter(writer, context.metricGroup());
  }

  @Override
  public Committer<MergeCommittable> createCommitter(CommitterInitContext context) {
    return new MergeCommitter(committer, context.metricGroup());
  }

  @Override
  public SimpleVersionedSerializer<MergeCommittable> getCommittableSerializer() {
    return serializer();
  }

  @Override
  public SimpleVersionedSerializer<MergeCommittable> getWriteResultSerializer() {
    return serializer();
  }

  static SimpleVersionedSerializer<MergeCommittable> serializer() {
    return new FormatVersionedSerializer<>(new MergeCommittableFormat(), 1);
  }

  @Override
  public DataStream<CommittableMessage<MergeCommittable>> addPreCommitTopology(
      DataStream<CommittableMessage<MergeCommittable>> written) {
    return written.map(new CheckpointStamp())
        .returns(CommittableMessageTypeInfo.of(MergeSink::serializer))
        .uid(STAMP_UID)
        .name("stamp checkpoint id")
        .setParallelism(written.getParallelism());
  }

  @Override
  public void addPostCommitTopology(DataStream<CommittableMessage<MergeCommittable>> committed) {
    committed.filter(m -> m instanceof CommittableWithLineage<?>)
        .map(m -> ((CommittableWithLineage<MergeCommittable>) m).getCommittable())
        .returns(dev.lancemerge.operators.io.FormatTypeInfo.of(new MergeCommittableFormat()))
        .name("committed merges")
        .keyBy(MergeCommittable::indexName, Types.STRING)
        .process(new SegmentCleaner(cleanup))
        .returns(Types.VOID)
        .uid(CLEANER_UID)
        .name("delete replaced segments");
  }
}
