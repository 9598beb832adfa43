package dev.lancemerge.operators.source;

import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.staging.StagedIndexType;
import dev.lancemerge.operators.staging.StagedSegment;
import dev.lancemerge.operators.staging.StagedSegmentDescriptor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One index segment to read: a segment committed (unmerged) in the dataset's manifest, or a staged one announced
 * by a descriptor. Immutable. {@link #splitId()} is stable for the segment's whole life ({@code committed:<uuid>} or
 * {@code staged:<uuid>}), so the enumerator never makes two splits of one segment and a restored reader resumes the
 * same split.
 *
 * <p>{@link #recordsEmitted()} is the reader's position: how many records of this split (the
 * {@link SegmentRecord.Kind#SEEN} record counts as the first) were already emitted before the checkpoint the split
 * was stored in; a restored reader skips them. The enumerator only ever creates splits at position 0.
 */
public final class SegmentSplit implements SourceSplit {
  /** Where the segment was found. */
  public enum Origin {
    /** Committed in the dataset's manifest (e.g. one per fragment, or an earlier merge's output). */
    COMMITTED("committed:"),
    /** Written by a distributed build and announced by a descriptor in the staging directory; not committed. */
    STAGED("staged:");

    private final String prefix;

    Origin(String prefix) {
      this.prefix = prefix;
    }

    /** The split id of segment {@code uuid} of this origin. */
    public String splitId(UUID uuid) {
      return prefix + uuid;
    }
  }

  /** Dataset version unknown (a staged descriptor without {@code details.datasetVersion}). */
  public static final long UNKNOWN_VERSION = -1;

  private final Origin origin;
  private final String indexName;
  private final UUID segmentUuid;
  private final SegmentKind kind;
  private final String directory;
  private final long bytes;
  private final SortedSet<Integer> fragments;
  private final long datasetVersion;
  private final String descriptorPath;
  private final long discoveredAt;
  private final long recordsEmitted;

  /**
   * @param origin committed or staged
   * @param indexName the index the segment belongs to
   * @param segmentUuid the segment id (the name of its directory)
   * @param kind {@link SegmentKind#VECTOR} or {@link SegmentKind#ZONEMAP} (OTHER never becomes a split)
   * @param directory the segment directory ({@code <dataset>/_indices/<uuid>}; for staged segments the checked real
   *     path)
   * @param bytes size of the segment's files when discovered
   * @param fragments fragment ids the segment covers (as the manifest or the descriptor says)
   * @param datasetVersion committed: the dataset version the segment was built on; staged: the descriptor's
   *     {@code details.datasetVersion} or {@link #UNKNOWN_VERSION}
   * @param descriptorPath staged: the descriptor file; committed: null
   * @param discoveredAt when the enumerator first found the segment, ms since the epoch
   * @param recordsEmitted records of this split already emitted (0 for a new split)
   */
  public SegmentSplit(
      Origin origin, String indexName, UUID segmentUuid, SegmentKind kind, String directory, long bytes,
      SortedSet<Integer> fragments, long datasetVersion, String descriptorPath, long discoveredAt,
      long recordsEmitted) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.indexName = Objects.requireNonNull(indexName, "indexName");
    this.segmentUuid = Objects.requireNonNull(segmentUuid, "segmentUuid");
    this.kind = Objects.requireNonNull(kind, "kind");
    if (kind == SegmentKind.OTHER) {
      throw new IllegalArgumentException("segments of kind OTHER are never read");
    }
    this.directory = Objects.requireNonNull(directory, "directory");
    this.fragments = Collections.unmodifiableSortedSet(new TreeSet<>(fragments));
    if (!this.fragments.isEmpty() && this.fragments.first() < 0) {
      throw new IllegalArgumentException("negative fragment id " + this.fragments.first());
    }
    if (bytes < 0 || recordsEmitted < 0 || datasetVersion < UNKNOWN_VERSION) {
      throw new IllegalArgumentException("negative bytes, position or dataset version");
    }
    if ((origin == Origin.STAGED) != (descriptorPath != null)) {
      throw new IllegalArgumentException("a staged split has a descriptor path, a committed one none");
    }
    this.bytes = bytes;
    this.datasetVersion = datasetVersion;
    this.descriptorPath = descriptorPath;
    this.discoveredAt = discoveredAt;
    this.recordsEmitted = recordsEmitted;
  }

  /** A split for a segment committed in the manifest. */
  public static SegmentSplit committed(LiveSegment s, long discoveredAt) {
    return new SegmentSplit(Origin.COMMITTED, s.indexName(), s.uuid(), s.kind(), s.directory().toString(), s.bytes(),
        s.fragments(), s.datasetVersion(), null, discoveredAt, 0);
  }

  /** A split for a staged segment whose descriptor passed validation; {@code bytes} as measured by the caller. */
  public static SegmentSplit staged(StagedSegment s, long bytes, long discoveredAt) {
    StagedSegmentDescriptor d = s.descriptor();
    SegmentKind kind = d.indexType() == StagedIndexType.ZONEMAP ? SegmentKind.ZONEMAP : SegmentKind.VECTOR;
    Long v = d.details().datasetVersion();
    return new SegmentSplit(Origin.STAGED, d.indexName(), d.segmentUuid(), kind, s.segmentDir().toString(), bytes,
        new TreeSet<>(d.fragmentIds()), v == null ? UNKNOWN_VERSION : v, s.descriptorFile().toString(), discoveredAt,
        0);
  }

  @Override
  public String splitId() {
    return origin.splitId(segmentUuid);
  }

  public Origin origin() {
    return origin;
  }

  public String indexName() {
    return indexName;
  }

  public UUID segmentUuid() {
    return segmentUuid;
  }

  public SegmentKind kind() {
    return kind;
  }

  /** The segment directory as a string (as stored in the split). */
  public String directory() {
    return directory;
  }

  public Path directoryPath() {
    return Path.of(directory);
  }

  public long bytes() {
    return bytes;
  }

  public SortedSet<Integer> fragments() {
    return fragments;
  }

  public long datasetVersion() {
    return datasetVersion;
  }

  /** The descriptor file of a staged split, null for a committed one. */
  public String descriptorPath() {
    return descriptorPath;
  }

  /** The descriptor's file name (what the staging area's scan skips), null for a committed split. */
  public String descriptorName() {
    return descriptorPath == null ? null : String.valueOf(Path.of(descriptorPath).getFileName());
  }

  public long discoveredAt() {
    return discoveredAt;
  }

  public long recordsEmitted() {
    return recordsEmitted;
  }

  /** The same segment as committed (a staged segment committed as it is): no descriptor, position 0. */
  public SegmentSplit asCommitted() {
    return new SegmentSplit(Origin.COMMITTED, indexName, segmentUuid, kind, directory, bytes, fragments, datasetVersion,
        null, discoveredAt, 0);
  }

  /** The same split at another reader position. */
  public SegmentSplit withRecordsEmitted(long n) {
    if (n == recordsEmitted) {
      return this;
    }
    return new SegmentSplit(origin, indexName, segmentUuid, kind, directory, bytes, fragments, datasetVersion,
        descriptorPath, discoveredAt, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentSplit s
        && origin == s.origin && indexName.equals(s.indexName) && segmentUuid.equals(s.segmentUuid)
        && kind == s.kind && directory.equals(s.directory) && bytes == s.bytes && fragments.equals(s.fragments)
        && datasetVersion == s.datasetVersion && Objects.equals(descriptorPath, s.descriptorPath)
        && discoveredAt == s.discoveredAt && recordsEmitted == s.recordsEmitted;
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, indexName, segmentUuid, kind, directory, bytes, fragments, datasetVersion,
        descriptorPath, discoveredAt, recordsEmitted);
  }

  @Override
  public String toString() {
    return "SegmentSplit{" + splitId() + " " + indexName + " " + kind + " fragments=" + fragmentsSummary()
        + " bytes=" + bytes + " datasetVersion=" + datasetVersion
        + (descriptorPath == null ? "" : " descriptor=" + descriptorName())
        + (recordsEmitted == 0 ? "" : " emitted=" + recordsEmitted) + "}";
  }

  private String fragmentsSummary() {
    if (fragments.size() <= 8) {
      return fragments.toString();
    }
    return "[" + fragments.first() + ".." + fragments.last() + " (" + fragments.size() + ")]";
  }
}
