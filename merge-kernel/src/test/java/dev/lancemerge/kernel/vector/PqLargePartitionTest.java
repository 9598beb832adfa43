package dev.lancemerge.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
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
 * A PQ partition larger than the memory budget is transposed in passes over its rows; the result
 * is byte for byte what the in-memory transposition gives, also when an input is a segment Lance
 * merged (and so stored transposed).
 */
class PqLargePartitionTest {
  @TempDir Path tmp;

  @Test
  void streamingTranspositionEqualsInMemory() throws Exception {
    try (var alloc = new RootAllocator()) {
      Path dsDir = tmp.resolve("ds");
      Dataset ds = RealLanceIndexes.createDataset(dsDir, alloc, 16, 11, null, 9000, 7000, 8000);
      var ivf = RealLanceIndexes.trainIvf(ds, "vec", 2, DistanceType.L2);
      var pq = RealLanceIndexes.trainPq(ds, "vec", 8, 8, DistanceType.L2);
      var params = RealLanceIndexes.vectorParams(IndexType.IVF_PQ, ivf, pq);
      List<Segment> segs = RealLanceIndexes.buildVectorSegments(ds, dsDir, "vec", "pq", IndexType.IVF_PQ, params,
          RealLanceIndexes.fragmentIds(ds));
      Segment lanceMerged = RealLanceIndexes.mergeWithLance(ds, dsDir, segs.subList(0, 2));
      List<Path> inputs = List.of(lanceMerged.dir(), segs.get(2).dir());

      Path inMemory = tmp.resolve("in-memory");
      Path streamed = tmp.resolve("streamed");
      VectorSegmentMerger.merge(inputs, inMemory, MergeOptions.defaults());
      MergeResult r = VectorSegmentMerger.merge(inputs, streamed, new MergeOptions(64 << 10, 64 << 10));
      assertThat(r.rows()).isEqualTo(24_000);

      try (LanceFileReader a = LanceFileReader.open(inMemory.resolve("auxiliary.idx"));
          LanceFileReader b = LanceFileReader.open(streamed.resolve("auxiliary.idx"))) {
        VectorSegment probe = VectorSegment.open(inMemory);
        long largest = 0;
        for (int p = 0; p < probe.partitions(); p++) {
          largest = Math.max(largest, probe.length(p));
        }
        probe.close();
        assertThat(largest * 8).as("some partition exceeds the 64 KiB budget").isGreaterThan(64 << 10);
        assertThat(a.metadata()).isEqualTo(b.metadata());
        for (int f = 0; f < 2; f++) {
          assertThat(bytes(b.readData(f, 0, b.numRows()))).isEqualTo(bytes(a.readData(f, 0, a.numRows())));
        }
      }
      // And both equal merging the three original (untransposed) segments.
      Path originals = tmp.resolve("originals");
      VectorSegmentMerger.merge(new ArrayList<>(segs.stream().map(Segment::dir).toList()), originals, MergeOptions.defaults());
      try (LanceFileReader a = LanceFileReader.open(originals.resolve("auxiliary.idx"));
          LanceFileReader b = LanceFileReader.open(streamed.resolve("auxiliary.idx"))) {
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
