package dev.lancemerge.operators.lance;

import java.util.Optional;
import org.lance.index.IndexType;

/** What kind of index a committed segment belongs to, as far as the merge job cares. */
public enum SegmentKind {
  /** IVF vector index (FLAT, PQ, SQ, HNSW, RQ): details {@code /lance.index.pb.VectorIndexDetails}. */
  VECTOR,
  /** ZoneMap scalar index: details {@code /lance.table.ZoneMapIndexDetails}. */
  ZONEMAP,
  /** Anything else (BTree, bitmap, inverted, ...): listed so the job can set it aside, never merged. */
  OTHER;

  static final String VECTOR_DETAILS = "/lance.index.pb.VectorIndexDetails";
  static final String ZONEMAP_DETAILS = "/lance.table.ZoneMapIndexDetails";

  /**
   * Kind from the details' protobuf {@code Any} type URL when there is one, else from lance-core's
   * {@link IndexType} (which 7.0.0 reports as {@code VECTOR} for every vector kind and {@code ZONEMAP}).
   */
  static SegmentKind of(Optional<String> detailsTypeUrl, IndexType indexType) {
    if (detailsTypeUrl.isPresent()) {
      String url = detailsTypeUrl.get();
      String name = url.substring(url.lastIndexOf('/') + 1);
      if (name.endsWith("VectorIndexDetails")) {
        return VECTOR;
      }
      if (name.endsWith("ZoneMapIndexDetails")) {
        return ZONEMAP;
      }
      return OTHER;
    }
    if (indexType == null) {
      return OTHER;
    }
    return switch (indexType) {
      case VECTOR, IVF_FLAT, IVF_SQ, IVF_PQ, IVF_HNSW_SQ, IVF_HNSW_PQ, IVF_HNSW_FLAT, IVF_RQ -> VECTOR;
      case ZONEMAP -> ZONEMAP;
      default -> OTHER;
    };
  }
}
