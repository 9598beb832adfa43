package dev.lancemerge.operators.lance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/** The transaction properties the job records with every commit of a merged segment. */
public final class CommitProperties {
  /** The Flink checkpoint id whose committable this is (a decimal long). */
  public static final String CHECKPOINT_ID = "lance-index-merge.checkpoint-id";
  /** The job's stable commit user (kept in state, not the job id). */
  public static final String COMMIT_USER = "lance-index-merge.commit-user";
  /** A unique id of the merge (stable across retries and restores of the same committable). */
  public static final String MERGE_ID = "lance-index-merge.merge-id";

  /** When the earliest input of the merge was discovered (ms since the epoch): commit time minus this is the lag. */
  public static final String DISCOVERED_AT = "lance-index-merge.discovered-at";

  /** When the writer finished the merged segment's files (ms since the epoch); the commit follows at a checkpoint. */
  public static final String WRITTEN_AT = "lance-index-merge.written-at";

  private CommitProperties() {}

  /** The three properties. */
  public static Map<String, String> of(String commitUser, long checkpointId, String mergeId) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(COMMIT_USER, Objects.requireNonNull(commitUser, "commitUser"));
    m.put(CHECKPOINT_ID, Long.toString(checkpointId));
    m.put(MERGE_ID, Objects.requireNonNull(mergeId, "mergeId"));
    return m;
  }

  /** The checkpoint id in {@code properties}, if present and a number. */
  static OptionalLong checkpointId(Map<String, String> properties) {
    String s = properties.get(CHECKPOINT_ID);
    if (s == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
