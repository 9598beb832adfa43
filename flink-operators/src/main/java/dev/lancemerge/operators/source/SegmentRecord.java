package dev.lancemerge.operators.source;

import java.util.Objects;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the segment source emits: exactly one of {@link SegmentSeen}, {@link PartitionSlice}, {@link ZoneSlice} or
 * {@link SegmentRejected}, tagged by {@link #kind()}. One concrete, immutable class with its own
 * {@link SegmentRecordFormat} (declared through {@link TypeInfo}, so Flink never falls back to Kryo).
 *
 * <p>Per split the reader emits either one {@code SEEN} followed by {@link SegmentSeen#slices()} slices (in
 * partition order, or in the zonemap file's zone order), or one {@code REJECTED}.
 */
@TypeInfo(SegmentRecordTypeInfoFactory.class)
public final class SegmentRecord {
  /** Which payload a record carries. */
  public enum Kind {
    SEEN,
    PARTITION,
    ZONE,
    REJECTED
  }

  private final Kind kind;
  private final Object value;

  private SegmentRecord(Kind kind, Object value) {
    this.kind = kind;
    this.value = Objects.requireNonNull(value, "value");
  }

  public static SegmentRecord of(SegmentSeen seen) {
    return new SegmentRecord(Kind.SEEN, seen);
  }

  public static SegmentRecord of(PartitionSlice slice) {
    return new SegmentRecord(Kind.PARTITION, slice);
  }

  public static SegmentRecord of(ZoneSlice zone) {
    return new SegmentRecord(Kind.ZONE, zone);
  }

  public static SegmentRecord of(SegmentRejected rejected) {
    return new SegmentRecord(Kind.REJECTED, rejected);
  }

  public Kind kind() {
    return kind;
  }

  /** The index the record's segment belongs to. */
  public String indexName() {
    return switch (kind) {
      case SEEN -> seen().split().indexName();
      case PARTITION -> partition().indexName();
      case ZONE -> zone().indexName();
      case REJECTED -> rejected().split().indexName();
    };
  }

  /** The record's segment. */
  public UUID segmentUuid() {
    return switch (kind) {
      case SEEN -> seen().split().segmentUuid();
      case PARTITION -> partition().segmentUuid();
      case ZONE -> zone().segmentUuid();
      case REJECTED -> rejected().split().segmentUuid();
    };
  }

  /** The payload of a {@code SEEN} record. */
  public SegmentSeen seen() {
    return as(Kind.SEEN, SegmentSeen.class);
  }

  /** The payload of a {@code PARTITION} record. */
  public PartitionSlice partition() {
    return as(Kind.PARTITION, PartitionSlice.class);
  }

  /** The payload of a {@code ZONE} record. */
  public ZoneSlice zone() {
    return as(Kind.ZONE, ZoneSlice.class);
  }

  /** The payload of a {@code REJECTED} record. */
  public SegmentRejected rejected() {
    return as(Kind.REJECTED, SegmentRejected.class);
  }

  private <T> T as(Kind k, Class<T> type) {
    if (kind != k) {
      throw new IllegalStateException("a " + kind + " record has no " + k + " payload");
    }
    return type.cast(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentRecord r && kind == r.kind && value.equals(r.value);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return kind + ":" + value;
  }
}
