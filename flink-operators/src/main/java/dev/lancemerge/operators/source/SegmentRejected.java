package dev.lancemerge.operators.source;

import java.util.Objects;

/**
 * A segment the reader could not read or the kernel cannot merge (corrupt or truncated files, HNSW or RQ, not a
 * segment of the kind the manifest says): emitted instead of its content so the downstream can set it aside
 * (quarantine a staged descriptor, leave a committed segment unmerged); the job goes on.
 *
 * @param split the split
 * @param reason what is wrong, one line, naming the segment
 */
public record SegmentRejected(SegmentSplit split, String reason) {
  public SegmentRejected {
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(reason, "reason");
  }
}
