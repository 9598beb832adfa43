package dev.lancemerge.kernel.vector;

import java.util.Locale;

/** Vector index types as Lance names them in {@code lance:index}. */
public enum IndexType {
  IVF_FLAT(false),
  IVF_PQ(false),
  IVF_SQ(false),
  IVF_RQ(false),
  IVF_HNSW_FLAT(true),
  IVF_HNSW_PQ(true),
  IVF_HNSW_SQ(true);

  private final boolean hnsw;

  IndexType(boolean hnsw) {
    this.hnsw = hnsw;
  }

  public boolean isHnsw() {
    return hnsw;
  }

  /** True for the types this kernel merges: IVF_FLAT, IVF_PQ, IVF_SQ. */
  public boolean isMergeable() {
    return this == IVF_FLAT || this == IVF_PQ || this == IVF_SQ;
  }

  /** Parses Lance's type string; the legacy alias {@code Vector} is IVF_PQ. */
  public static IndexType parse(String s) {
    if (s.equalsIgnoreCase("Vector")) {
      return IVF_PQ;
    }
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
