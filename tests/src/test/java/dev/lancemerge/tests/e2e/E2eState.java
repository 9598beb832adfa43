package dev.lancemerge.tests.e2e;

import dev.lancemerge.operators.MergePipeline;
import dev.lancemerge.operators.sink.MergeSink;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.runtime.SavepointLoader;

/** Reads a savepoint's metadata with the State Processor API: state sizes by the job's operator uids. */
final class E2eState {
  /** The uids of the job's stateful operators. */
  static final List<String> UIDS = List.of(MergePipeline.SOURCE_UID, MergePipeline.PLANNER_UID,
      MergePipeline.BUFFER_UID, MergePipeline.ASSEMBLER_UID, MergePipeline.SINK_UID, MergeSink.STAMP_UID,
      MergeSink.CLEANER_UID);

  private E2eState() {}

  /**
   * Bytes of state (operator and keyed state, plus the source coordinator's state) under each uid of {@link #UIDS}
   * that has any state in the savepoint; other operators' state (e.g. the committer's) summed under "other".
   */
  static Map<String, Long> stateSizes(String savepoint) throws IOException {
    CheckpointMetadata meta = SavepointLoader.loadSavepointMetadata(savepoint);
    Map<OperatorID, String> names = new java.util.HashMap<>();
    for (String uid : UIDS) {
      names.put(OperatorIdentifier.forUid(uid).getOperatorId(), uid);
    }
    Map<String, Long> out = new TreeMap<>();
    for (OperatorState s : meta.getOperatorStates()) {
      long size = s.getStateSize();
      if (size == 0) {
        continue;
      }
      out.merge(names.getOrDefault(s.getOperatorID(), "other"), size, Long::sum);
    }
    return out;
  }
}
