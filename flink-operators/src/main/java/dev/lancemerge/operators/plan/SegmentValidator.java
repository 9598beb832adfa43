package dev.lancemerge.operators.plan;

import dev.lancemerge.kernel.vector.VectorMergePlan;
import dev.lancemerge.kernel.vector.VectorSegment;
import dev.lancemerge.kernel.zonemap.ZoneMapMerger;
import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.source.SegmentSplit;
import java.io.IOException;
import java.util.Optional;

/**
 * Vets a new segment once, before it is planned, against a live segment of its index with the merge kernel's own
 * checks (index type, distance, partitions, dimension, PQ codebook, SQ bits, IVF centroids; ZoneMap value type and
 * rows per zone). A segment that fails is set aside instead of breaking every merge it would join.
 */
public final class SegmentValidator {
  private SegmentValidator() {}

  /** Why {@code candidate} cannot be merged with {@code reference}, or empty if it can (or no reference exists). */
  public static Optional<String> problem(SegmentSplit reference, SegmentSplit candidate) {
    if (reference == null || reference.segmentUuid().equals(candidate.segmentUuid())) {
      return Optional.empty();
    }
    if (reference.kind() != candidate.kind()) {
      return Optional.of("segment " + candidate.segmentUuid() + " is " + candidate.kind() + " but index "
          + candidate.indexName() + " holds " + reference.kind() + " segments");
    }
    try {
      if (candidate.kind() == SegmentKind.VECTOR) {
        try (VectorSegment ref = VectorSegment.open(reference.directoryPath());
            VectorSegment cand = VectorSegment.open(candidate.directoryPath())) {
          VectorMergePlan.checkCompatible(ref, cand);
        }
      } else {
        ZoneMapMerger.checkCompatible(reference.directoryPath(), candidate.directoryPath());
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Optional.of("segment " + candidate.segmentUuid() + " cannot be merged with segment "
          + reference.segmentUuid() + " of index " + candidate.indexName() + ": " + msg);
    }
  }
}
