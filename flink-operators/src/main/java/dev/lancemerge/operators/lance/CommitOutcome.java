package dev.lancemerge.operators.lance;

/** What {@link SegmentCommitter#commitMerged} did. */
public enum CommitOutcome {
  /** This call committed the merged segment, replacing exactly its inputs, in one new version. */
  COMMITTED,
  /** The merge (by merge id, or its segment uuid) is already in the dataset: nothing was committed. */
  ALREADY_COMMITTED,
  /**
   * At least one input is no longer live (another writer replaced it): nothing was committed; the merged files
   * are an orphan and the remaining inputs are to be merged again later.
   */
  INPUTS_GONE
}
