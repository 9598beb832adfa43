package dev.lancemerge.operators.source;

/** A split being read: the split and how many of its records have been emitted so far (reader thread only). */
final class SegmentSplitState {
  private final SegmentSplit split;
  private long emitted;

  SegmentSplitState(SegmentSplit split) {
    this.split = split;
    this.emitted = split.recordsEmitted();
  }

  void recordEmitted() {
    emitted++;
  }

  /** The split at the current position, for a checkpoint. */
  SegmentSplit toSplit() {
    return split.withRecordsEmitted(emitted);
  }
}
