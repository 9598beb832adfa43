package dev.lancemerge.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.IndexType;

/**
 * The older layout (Lance 2.1 to 3.x): one index directory holding {@code partial_*} shards, merged in
 * Lance's order (smallest fragment id, smallest row id, directory name) whatever the names say.
 */
class PartialShardsLayoutTest {
  @TempDir Path tmp;

  @Test
  void partialShardsAreMergedInFragmentOrder() throws Exception {
    try (var alloc = new RootAllocator()) {
      Path dsDir = tmp.resolve("ds");
      Dataset ds = RealLanceIndexes.createDataset(dsDir, alloc, 16, 5, null, 400, 250, 333);
      var ivf = RealLanceIndexes.trainIvf(ds, "vec", 4, DistanceType.L2);
      List<Segment> segs = RealLanceIndexes.buildVectorSegments(ds, dsDir, "vec", "v", IndexType.IVF_FLAT,
          RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivf, null), RealLanceIndexes.fragmentIds(ds));
      // Shard names sort opposite to their fragments: partial_c holds fragment 0, partial_a fragment 2.
      Path index = Files.createDirectories(tmp.resolve("index"));
      String[] names = {"partial_c", "partial_b", "partial_a"};
      for (int i = 0; i < segs.size(); i++) {
        RealLanceIndexes.copyTree(segs.get(i).dir(), index.resolve(names[i]));
      }
      MergeResult fromLayout = VectorSegmentMerger.merge(List.of(index), tmp.resolve("from-layout"), MergeOptions.defaults());
      List<Path> inFragmentOrder = new ArrayList<>(segs.stream().map(Segment::dir).toList());
      VectorSegmentMerger.merge(inFragmentOrder, tmp.resolve("in-order"), MergeOptions.defaults());

      assertThat(fromLayout.rows()).isEqualTo(983);
      assertThat(fromLayout.fragments()).containsExactly(0, 1, 2);
      try (LanceFileReader a = LanceFileReader.open(tmp.resolve("in-order").resolve("auxiliary.idx"));
          LanceFileReader b = LanceFileReader.open(tmp.resolve("from-layout").resolve("auxiliary.idx"))) {
        for (int f = 0; f < 2; f++) {
          assertThat(bytes(b.readData(f, 0, b.numRows()))).isEqualTo(bytes(a.readData(f, 0, a.numRows())));
        }
      }
    }
  }

  private static byte[] bytes(ColumnData d) {
    ColumnData leaf = d.kind() == ColumnData.Kind.FIXED_SIZE_LIST ? d.child() : d;
    return Arrays.copyOf(leaf.values(), leaf.length() * leaf.byteWidth());
  }
}
