package dev.lancemerge.operators.source;

import java.util.Objects;
import java.util.UUID;

/**
 * Where one non-empty IVF partition of one vector segment lies: rows {@code [rowOffset, rowOffset + rowCount)} of
 * the segment's {@code auxiliary.idx}. The rows stay in the (immutable) segment file; this names them.
 *
 * @param indexName the index
 * @param segmentUuid the segment
 * @param partition the IVF partition id
 * @param rowOffset first row of the partition in {@code auxiliary.idx}
 * @param rowCount rows of the partition (at least 1)
 * @param bytes estimate of the partition's stored bytes: rows x (code or vector bytes + 8 for the row id)
 */
public record PartitionSlice(
    String indexName, UUID segmentUuid, int partition, long rowOffset, long rowCount, long bytes) {
  public PartitionSlice {
    Objects.requireNonNull(indexName, "indexName");
    Objects.requireNonNull(segmentUuid, "segmentUuid");
  }
}
