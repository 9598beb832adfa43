package dev.lancemerge.operators.source;

import java.util.Objects;

/**
 * The first record of a readable segment: what it is and how much follows.
 *
 * @param split the split (origin, index, uuid, kind, directory, fragments, dataset version or descriptor)
 * @param rows rows in the segment (vector: rows of {@code auxiliary.idx}; ZoneMap: the rows its zones cover)
 * @param partitions IVF partitions of a vector segment (empty ones included); 0 for ZoneMap
 * @param slices how many slice records of this segment follow ({@link PartitionSlice}s, one per non-empty
 *     partition, or {@link ZoneSlice}s, one per zone)
 * @param bytes size of the segment's files
 */
public record SegmentSeen(SegmentSplit split, long rows, int partitions, int slices, long bytes) {
  public SegmentSeen {
    Objects.requireNonNull(split, "split");
  }
}
