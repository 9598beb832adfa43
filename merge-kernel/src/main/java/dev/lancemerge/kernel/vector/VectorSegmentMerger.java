package dev.lancemerge.kernel.vector;

import dev.lancemerge.kernel.OutputDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * Merges vector index segments (IVF_FLAT, IVF_PQ, IVF_SQ) into one new segment directory that
 * real Lance opens and searches: partition by partition, shard by shard in the given order. The
 * output is written under a temporary name next to the target and published by one rename, so a
 * failed merge leaves nothing at the target; that is also what lets segments that cover one fragment
 * twice be refused after the copy, from the row ids it decoded anyway, instead of in a pre-pass.
 */
public final class VectorSegmentMerger {
  private VectorSegmentMerger() {}

  /**
   * Merges {@code inputs} (segment directories, or index directories holding {@code partial_*}
   * shards) into {@code outputDir}, which must not exist. On failure nothing is left at
   * {@code outputDir}.
   */
  public static MergeResult merge(List<Path> inputs, Path outputDir, MergeOptions options) throws IOException {
    long start = System.nanoTime();
    OutputDirectory.requireAbsent(outputDir); // before the inputs are read
    List<VectorSegment> segments = new ArrayList<>();
    try {
      for (Path in : inputs) {
        if (PartialShards.isPartialLayout(in)) {
          segments.addAll(PartialShards.open(in));
        } else {
          segments.add(VectorSegment.open(in));
        }
      }
      VectorMergePlan plan = VectorMergePlan.of(segments);
      try (OutputDirectory out = OutputDirectory.create(outputDir)) {
        MergedAuxWriter aux = new MergedAuxWriter(out.file("auxiliary.idx"), plan, options);
        SortedSet<Integer> fragments;
        try {
          for (int p = 0; p < plan.partitions(); p++) {
            aux.writePartition(p);
          }
          fragments = aux.fragments();
        } catch (IOException | RuntimeException e) {
          aux.abort();
          throw e;
        }
        aux.close();
        RootIndexWriter.write(out.file("index.idx"), plan, options.durable());
        long bytes = out.bytes();
        out.publish();
        VectorSegment first = plan.first();
        return new MergeResult(outputDir, first.type(), first.distance(), plan.partitions(), plan.rows(), bytes,
            (System.nanoTime() - start) / 1e9, fragments);
      }
    } finally {
      for (VectorSegment s : segments) {
        s.close();
      }
    }
  }
}
