package dev.lancemerge.kernel.vector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Merges vector index segments (IVF_FLAT, IVF_PQ, IVF_SQ) into one new segment directory that
 * real Lance opens and searches: partition by partition, shard by shard in the given order.
 */
public final class VectorSegmentMerger {
  private VectorSegmentMerger() {}

  /**
   * Merges {@code inputs} (segment directories, or index directories holding {@code partial_*}
   * shards) into {@code outputDir}, which must not exist. On failure nothing is left at
   * {@code outputDir}.
   */
  public static MergeResult merge(List<Path> inputs, Path outputDir, MergeOptions options) throws IOException {
    throw new UnsupportedOperationException("being written");
  }
}
