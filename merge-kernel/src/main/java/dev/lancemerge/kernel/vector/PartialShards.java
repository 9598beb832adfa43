package dev.lancemerge.kernel.vector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The older distributed layout (Lance 2.1 to 3.x): one index directory holding {@code partial_*}
 * shard directories. Lance merges them ordered by (smallest fragment id, smallest row id, directory
 * name), an empty shard last; so do we.
 */
final class PartialShards {
  private PartialShards() {}

  /** True when {@code dir} is an index directory of partial shards rather than a segment. */
  static boolean isPartialLayout(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve("auxiliary.idx")) || !Files.isDirectory(dir)) {
      return false;
    }
    return !shardDirs(dir).isEmpty();
  }

  /** Opens the shards of {@code dir} in Lance's merge order. */
  static List<VectorSegment> open(Path dir) throws IOException {
    List<VectorSegment> shards = new ArrayList<>();
    try {
      for (Path p : shardDirs(dir)) {
        shards.add(VectorSegment.open(p));
      }
      List<long[]> keys = new ArrayList<>();
      for (VectorSegment s : shards) {
        long minFragment = s.fragments().isEmpty() ? 0xFFFF_FFFFL : s.fragments().first();
        keys.add(new long[] {minFragment, s.minRowId()});
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < shards.size(); i++) {
        order.add(i);
      }
      order.sort(Comparator.<Integer>comparingLong(i -> keys.get(i)[0])
          .thenComparing((x, y) -> Long.compareUnsigned(keys.get(x)[1], keys.get(y)[1]))
          .thenComparing(i -> shards.get(i).name()));
      List<VectorSegment> sorted = new ArrayList<>();
      for (int i : order) {
        sorted.add(shards.get(i));
      }
      return sorted;
    } catch (IOException | RuntimeException e) {
      for (VectorSegment s : shards) {
        s.close();
      }
      throw e;
    }
  }

  private static List<Path> shardDirs(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isDirectory(p) && String.valueOf(p.getFileName()).startsWith("partial_")).sorted().toList();
    }
  }
}
