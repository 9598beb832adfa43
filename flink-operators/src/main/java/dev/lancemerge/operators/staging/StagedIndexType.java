package dev.lancemerge.operators.staging;

import java.util.List;
import java.util.Optional;

/**
 * The index types a staged segment descriptor may name, spelled as Lance spells them ({@code IVF_PQ}, ...).
 * Every type is known to the format; only the mergeable ones pass {@link DescriptorValidator} (the others are
 * quarantined with "not mergeable yet", as issue 5 asks for HNSW and RQ).
 */
public enum StagedIndexType {
  IVF_FLAT(true, true),
  IVF_PQ(true, true),
  IVF_SQ(true, true),
  IVF_RQ(true, false),
  IVF_HNSW_FLAT(true, false),
  IVF_HNSW_PQ(true, false),
  IVF_HNSW_SQ(true, false),
  ZONEMAP(false, true);

  /** Files of a vector segment directory. */
  public static final String INDEX_FILE = "index.idx";
  public static final String AUXILIARY_FILE = "auxiliary.idx";
  /** File of a ZoneMap segment directory. */
  public static final String ZONEMAP_FILE = "zonemap.lance";

  private final boolean vector;
  private final boolean mergeable;

  StagedIndexType(boolean vector, boolean mergeable) {
    this.vector = vector;
    this.mergeable = mergeable;
  }

  /** True for the IVF_* types (they carry a distance type). */
  public boolean isVector() {
    return vector;
  }

  /** True for the types the merge kernel merges: IVF_FLAT, IVF_PQ, IVF_SQ, ZONEMAP. */
  public boolean isMergeable() {
    return mergeable;
  }

  /** The files the segment directory must hold for this type. */
  public List<String> requiredFiles() {
    return vector ? List.of(INDEX_FILE, AUXILIARY_FILE) : List.of(ZONEMAP_FILE);
  }

  /** The type named exactly {@code s} (upper case, as Lance writes it), if any. */
  public static Optional<StagedIndexType> parse(String s) {
    for (StagedIndexType t : values()) {
      if (t.name().equals(s)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
