package dev.lancemerge.operators.sink;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;

/**
 * The sink's pre-commit step: writes the checkpoint id each committable belongs to into it (the committer records
 * it in the Lance transaction; a writer does not know the id when it prepares its committables). Summaries pass.
 */
final class CheckpointStamp implements MapFunction<CommittableMessage<MergeCommittable>, CommittableMessage<MergeCommittable>> {
  private static final long serialVersionUID = 1L;

  @Override
  public CommittableMessage<MergeCommittable> map(CommittableMessage<MergeCommittable> m) {
    if (m instanceof CommittableWithLineage<MergeCommittable> c) {
      long id = c.getCheckpointId();
      return c.map(x -> x.withCheckpointId(id));
    }
    return m;
  }
}
