package dev.lancemerge.operators.staging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A staged segment descriptor: the small JSON file a distributed index build drops (atomically, by rename) into
 * the staging directory to announce one uncommitted segment under {@code <dataset>/_indices/<segmentUuid>/}.
 * The format is documented in {@code docs/staged-segments.md}; {@link DescriptorParser} reads it (strictly),
 * {@link #toJson()} writes it. Instances are only ever built from values that passed the parser's rules or by
 * trusted code (tests, Java writers); the constructor checks only non-null-ness.
 *
 * @param version format version, {@link #FORMAT_VERSION}
 * @param segmentUuid the segment's uuid, also the name of its directory under {@code _indices/}
 * @param indexName the logical index the segment belongs to (Lance's index name)
 * @param column the indexed column
 * @param indexType the index type
 * @param fragmentIds the fragments the segment covers, in the writer's order, no duplicates
 * @param details what the committer needs besides the above to build lance-core's {@code Index}
 * @param files the segment's files with their sizes, or empty when the writer did not list them
 * @param createdAt when the writer finished the segment, milliseconds since the epoch
 */
public record StagedSegmentDescriptor(
    int version,
    UUID segmentUuid,
    String indexName,
    String column,
    StagedIndexType indexType,
    List<Integer> fragmentIds,
    Details details,
    List<SegmentFile> files,
    long createdAt) {

  /** The only format version this code reads and writes. */
  public static final int FORMAT_VERSION = 1;

  public StagedSegmentDescriptor {
    Objects.requireNonNull(segmentUuid, "segmentUuid");
    Objects.requireNonNull(indexName, "indexName");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(indexType, "indexType");
    Objects.requireNonNull(details, "details");
    fragmentIds = List.copyOf(fragmentIds);
    files = List.copyOf(files);
  }

  /**
   * Type-specific values the committer passes on to lance-core's {@code Index.Builder}.
   *
   * @param distanceType {@code l2}, {@code cosine}, {@code dot} or {@code hamming} for vector types; null for ZONEMAP
   * @param indexVersion Lance's {@code index_version} of the segment ({@code Index.indexVersion()})
   * @param datasetVersion the dataset version the segment was built on, or null (the committer then uses the
   *     version it commits on)
   * @param indexDetails base64 (RFC 4648, padded) of the protobuf bytes lance-core's {@code Index.indexDetails()}
   *     returns for the segment, or null when the writer has none
   */
  public record Details(String distanceType, int indexVersion, Long datasetVersion, String indexDetails) {

    public Optional<String> distance() {
      return Optional.ofNullable(distanceType);
    }

    public OptionalLong builtOnVersion() {
      return datasetVersion == null ? OptionalLong.empty() : OptionalLong.of(datasetVersion);
    }

    /** The decoded {@code indexDetails}, a fresh copy each call. */
    public Optional<byte[]> indexDetailsBytes() {
      return indexDetails == null ? Optional.empty() : Optional.of(Base64.getDecoder().decode(indexDetails));
    }
  }

  /**
   * One file of the segment directory.
   *
   * @param path the file's name inside {@code _indices/<segmentUuid>/} (a plain name, no directories)
   * @param sizeBytes its size in bytes
   */
  public record SegmentFile(String path, long sizeBytes) {
    public SegmentFile {
      Objects.requireNonNull(path, "path");
    }
  }

  /** {@code _indices/<segmentUuid>}, relative to the dataset root. */
  public String segmentDirectory() {
    return "_indices/" + segmentUuid;
  }

  /** The descriptor as one line of JSON, fields in the documented order; {@code files} left out when empty. */
  public String toJson() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("version", version);
    o.put("segmentUuid", segmentUuid.toString());
    o.put("indexName", indexName);
    o.put("column", column);
    o.put("indexType", indexType.name());
    ArrayNode frags = o.putArray("fragmentIds");
    fragmentIds.forEach(frags::add);
    ObjectNode d = o.putObject("details");
    if (details.distanceType() != null) {
      d.put("distanceType", details.distanceType());
    }
    d.put("indexVersion", details.indexVersion());
    if (details.datasetVersion() != null) {
      d.put("datasetVersion", details.datasetVersion().longValue());
    }
    if (details.indexDetails() != null) {
      d.put("indexDetails", details.indexDetails());
    }
    if (!files.isEmpty()) {
      ArrayNode fs = o.putArray("files");
      for (SegmentFile f : files) {
        fs.addObject().put("path", f.path()).put("sizeBytes", f.sizeBytes());
      }
    }
    o.put("createdAt", createdAt);
    return o.toString();
  }
}
