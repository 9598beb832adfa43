package dev.lancemerge.operators.buffer;

import dev.lancemerge.operators.source.SegmentRecord;

/**
 * The key a slice is buffered under: {@code <index>/p/<partition>} for an IVF partition, {@code
 * <index>/z/<fragment>/<zone start>} for a ZoneMap zone. Slices of every segment of one index that hold the same
 * partition (or zone) meet under one key.
 */
public final class SliceKey {
  private SliceKey() {}

  public static String of(SegmentRecord r) {
    return switch (r.kind()) {
      case PARTITION -> r.indexName() + "/p/" + r.partition().partition();
      case ZONE -> r.indexName() + "/z/" + r.zone().fragmentId() + "/" + r.zone().zoneStart();
      default -> throw new IllegalArgumentException("a " + r.kind() + " record is not a slice");
    };
  }

  /** True for the records the buffer takes (partition and zone slices). */
  public static boolean isSlice(SegmentRecord r) {
    return r.kind() == SegmentRecord.Kind.PARTITION || r.kind() == SegmentRecord.Kind.ZONE;
  }
}
