package dev.lancemerge.operators.lance;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One index segment committed in the dataset's manifest at some version.
 *
 * @param indexName the index it belongs to (every segment of an index carries the same name)
 * @param uuid the segment id; its files are {@code directory}
 * @param kind vector, ZoneMap or other, from the details' type URL
 * @param fields indexed field ids (one for vector and ZoneMap indexes)
 * @param fragments fragment ids it covers (disjoint from every other segment of the same index)
 * @param datasetVersion the dataset version the segment was built on ({@code Index.datasetVersion()})
 * @param indexVersion Lance's index format version (1 for vector segments, 0 for ZoneMap in 7.0.0)
 * @param details the serialized protobuf {@code Any} Lance keeps as the index details (copied to a merged segment)
 * @param detailsTypeUrl the type URL inside {@code details}, e.g. {@code /lance.index.pb.VectorIndexDetails}, or ""
 * @param directory {@code <dataset>/_indices/<uuid>}
 * @param bytes total size of the regular files under {@code directory} (0 if it is missing)
 */
public record LiveSegment(
    String indexName,
    UUID uuid,
    SegmentKind kind,
    List<Integer> fields,
    SortedSet<Integer> fragments,
    long datasetVersion,
    int indexVersion,
    byte[] details,
    String detailsTypeUrl,
    Path directory,
    long bytes) {

  public LiveSegment {
    Objects.requireNonNull(indexName, "indexName");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(directory, "directory");
    fields = List.copyOf(fields);
    fragments = Collections.unmodifiableSortedSet(new TreeSet<>(fragments));
    details = details == null ? null : details.clone();
    detailsTypeUrl = detailsTypeUrl == null ? "" : detailsTypeUrl;
  }

  /** A copy of the details bytes (null if the segment has none). */
  @Override
  public byte[] details() {
    return details == null ? null : details.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LiveSegment s
        && indexName.equals(s.indexName) && uuid.equals(s.uuid) && kind == s.kind && fields.equals(s.fields)
        && fragments.equals(s.fragments) && datasetVersion == s.datasetVersion && indexVersion == s.indexVersion
        && Arrays.equals(details, s.details) && detailsTypeUrl.equals(s.detailsTypeUrl)
        && directory.equals(s.directory) && bytes == s.bytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(indexName, uuid, kind, fields, fragments, datasetVersion, indexVersion,
        Arrays.hashCode(details), detailsTypeUrl, directory, bytes);
  }

  @Override
  public String toString() {
    return "LiveSegment{" + indexName + " " + uuid + " " + kind + " fields=" + fields + " fragments=" + fragments
        + " datasetVersion=" + datasetVersion + " indexVersion=" + indexVersion + " details=" + detailsTypeUrl
        + " bytes=" + bytes + "}";
  }
}
