package dev.lancemerge.kernel.vector;

import dev.lancemerge.kernel.MergeException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Merges vector index segments (IVF_FLAT, IVF_PQ, IVF_SQ) into one new segment directory that
 * real Lance opens and searches: partition by partition, shard by shard in the given order. The
 * output is written under a temporary name next to the target and published by one rename, so a
 * failed merge leaves nothing at the target.
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
    if (Files.exists(outputDir)) {
      throw new MergeException(null, "output " + outputDir + " already exists");
    }
    List<VectorSegment> segments = new ArrayList<>();
    Path tmp = null;
    try {
      for (Path in : inputs) {
        if (PartialShards.isPartialLayout(in)) {
          segments.addAll(PartialShards.open(in));
        } else {
          segments.add(VectorSegment.open(in));
        }
      }
      VectorMergePlan plan = VectorMergePlan.of(segments);
      Path parent = outputDir.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      tmp = parent.resolve("." + outputDir.getFileName() + ".tmp-" + UUID.randomUUID());
      Files.createDirectory(tmp);
      try (MergedAuxWriter aux = new MergedAuxWriter(tmp.resolve("auxiliary.idx"), plan, options)) {
        for (int p = 0; p < plan.partitions(); p++) {
          aux.writePartition(p);
        }
      }
      RootIndexWriter.write(tmp.resolve("index.idx"), plan);
      long bytes = Files.size(tmp.resolve("auxiliary.idx")) + Files.size(tmp.resolve("index.idx"));
      try {
        Files.move(tmp, outputDir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        throw new MergeException(null, "output " + outputDir + " appeared while merging");
      }
      tmp = null;
      VectorSegment first = plan.first();
      return new MergeResult(outputDir, first.type(), first.distance(), plan.partitions(), plan.rows(), bytes,
          (System.nanoTime() - start) / 1e9, plan.fragments());
    } finally {
      for (VectorSegment s : segments) {
        s.close();
      }
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // best effort: a leftover temporary directory has a name no reader looks for
    }
  }
}
