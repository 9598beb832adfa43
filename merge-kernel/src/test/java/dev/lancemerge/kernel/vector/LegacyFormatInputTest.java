package dev.lancemerge.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.IndexType;

/**
 * Segments of a dataset stored as Lance 2.0 have 2.0 index files (footer 0.3); merged by us (output 2.1) and
 * committed, they answer k-NN queries exactly as Lance's own merge of the same segments does.
 */
class LegacyFormatInputTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"IVF_FLAT", "IVF_PQ"})
  void segmentsOfA20DatasetMergeLikeLance(String kind) throws Exception {
    try (var alloc = new RootAllocator()) {
      Path dsDir = tmp.resolve("ds");
      Dataset ds = RealLanceIndexes.createDataset(dsDir, alloc, 16, 9, "2.0", 700, 300, 450);
      var ivf = RealLanceIndexes.trainIvf(ds, "vec", 4, DistanceType.L2);
      IndexType type = IndexType.valueOf(kind);
      var pq = type == IndexType.IVF_PQ ? RealLanceIndexes.trainPq(ds, "vec", 4, 8, DistanceType.L2) : null;
      List<Segment> segs = RealLanceIndexes.buildVectorSegments(ds, dsDir, "vec", "v", type,
          RealLanceIndexes.vectorParams(type, ivf, pq), RealLanceIndexes.fragmentIds(ds));
      try (LanceFileReader aux = LanceFileReader.open(segs.get(0).dir().resolve("auxiliary.idx"))) {
        assertThat(aux.version()).isEqualTo(FileVersion.V2_0);
      }
      List<Path> dirs = segs.stream().map(Segment::dir).toList();
      Path oursDs = tmp.resolve("ours");
      Path lanceDs = tmp.resolve("lance");
      RealLanceIndexes.copyDataset(dsDir, oursDs, dirs);
      RealLanceIndexes.copyDataset(dsDir, lanceDs, dirs);

      UUID u = UUID.randomUUID();
      VectorSegmentMerger.merge(dirs.stream().map(d -> oursDs.resolve("_indices").resolve(d.getFileName())).toList(),
          oursDs.resolve("_indices").resolve(u.toString()), MergeOptions.defaults());
      Dataset ours = RealLanceIndexes.openDataset(oursDs, alloc);
      RealLanceIndexes.commitForeignSegment(ours, "v", "vec", u, segs.get(0).index(), RealLanceIndexes.fragmentIds(ours));

      Dataset lance = RealLanceIndexes.openDataset(lanceDs, alloc);
      List<Segment> lanceInputs = segs.stream()
          .map(s -> new Segment(s.index(), lanceDs.resolve("_indices").resolve(s.dir().getFileName()))).toList();
      RealLanceIndexes.commitSegments(lance, "v", "vec", List.of(RealLanceIndexes.mergeWithLance(lance, lanceDs, lanceInputs)));

      for (int q = 0; q < 8; q++) {
        float[] query = RealLanceIndexes.vectorFor(9, q * 131L, 16);
        List<Hit> a = RealLanceIndexes.knn(lance, "vec", query, 10, 4, null, null);
        List<Hit> b = RealLanceIndexes.knn(ours, "vec", query, 10, 4, null, null);
        assertThat(b).as("query %d", q).isEqualTo(a);
      }
    }
  }
}
