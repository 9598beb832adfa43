package dev.lancemerge.oracle;

import static dev.lancemerge.oracle.RealLanceIndexes.F32;
import static dev.lancemerge.oracle.RealLanceIndexes.I32;
import static dev.lancemerge.oracle.RealLanceIndexes.VEC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.oracle.RealLanceFiles.FileContents;
import dev.lancemerge.oracle.RealLanceFiles.FormatVersion;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import dev.lancemerge.oracle.RealLanceIndexes.IvfModel;
import dev.lancemerge.oracle.RealLanceIndexes.PqModel;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.Index;
import org.lance.index.IndexType;
import org.lance.index.scalar.ZoneStats;

/** Smoke test of the real-Lance oracle harness: each helper once, on small data, asserting facts we rely on. */
class RealLanceHarnessTest {

  private static final int DIM = 16;
  private static final int NLIST = 8;
  private static final long SEED = 42L;
  private static final int[] FRAGMENT_ROWS = {900, 700, 400};

  @TempDir Path tmp;
  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close(); // fails on leaked buffers
  }

  @Test
  void fileWriterSelectsVersionKeepsMetadataAndReadsBack() throws Exception {
    for (FormatVersion version : FormatVersion.values()) {
      Path file = tmp.resolve("data_" + version.name + ".lance");
      Map<String, String> md = new LinkedHashMap<>();
      md.put("k1", "v1");
      md.put("lance:test", "{\"x\":1}");
      List<List<Object>> expected = new ArrayList<>();
      try (VectorSchemaRoot b1 = RealLanceIndexes.generate(allocator, DIM, SEED, 0, 300);
          VectorSchemaRoot b2 = RealLanceIndexes.generate(allocator, DIM, SEED, 300, 200)) {
        expected.addAll(rowsOf(b1));
        expected.addAll(rowsOf(b2));
        RealLanceFiles.write(file, version, allocator, md, List.of(b1, b2));
      }

      RealLanceFiles.Footer footer = RealLanceFiles.readFooter(file);
      assertThat(footer.major()).isEqualTo(version.footerMajor);
      assertThat(footer.minor()).isEqualTo(version.footerMinor);
      assertThat(footer.numColumns()).isGreaterThanOrEqualTo(7);
      assertThat(footer.numGlobalBuffers()).as("only the schema buffer; no API for extra ones").isEqualTo(1);

      try (FileContents c = RealLanceFiles.read(file, allocator)) {
        assertThat(c.numRows()).isEqualTo(500);
        assertThat(c.metadata()).containsAllEntriesOf(md);
        assertThat(c.schema().getFields()).hasSize(7);
        assertThat(c.rows()).isEqualTo(expected);
      }
    }
    assertThat(RealLanceFiles.readFooter(tmp.resolve("data_2.0.lance")).major()).isEqualTo(0);
    assertThat(RealLanceFiles.readFooter(tmp.resolve("data_2.0.lance")).minor()).isEqualTo(3);
    assertThat(RealLanceFiles.readFooter(tmp.resolve("data_2.1.lance")).major()).isEqualTo(2);
    assertThat(RealLanceFiles.readFooter(tmp.resolve("data_2.1.lance")).minor()).isEqualTo(1);
  }

  @Test
  void perFragmentVectorSegmentsCommitAndQuery() throws Exception {
    Path dsDir = tmp.resolve("vec_ds");
    try (Dataset ds = RealLanceIndexes.createDataset(dsDir, allocator, DIM, SEED, null, FRAGMENT_ROWS)) {
      List<Integer> fids = RealLanceIndexes.fragmentIds(ds);
      assertThat(fids).containsExactly(0, 1, 2);
      assertThat(ds.countRows()).isEqualTo(2000);

      IvfModel ivf = RealLanceIndexes.trainIvf(ds, VEC, NLIST, DistanceType.L2);
      assertThat(ivf.centroids()).hasSize(NLIST * DIM);
      PqModel pq8 = RealLanceIndexes.trainPq(ds, VEC, 4, 8, DistanceType.L2);
      PqModel pq4 = RealLanceIndexes.trainPq(ds, VEC, 4, 4, DistanceType.L2);

      Map<String, List<Segment>> built = new LinkedHashMap<>();
      built.put("flat", RealLanceIndexes.buildVectorSegments(ds, dsDir, VEC, "flat_idx", IndexType.IVF_FLAT,
          RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivf, null), fids));
      built.put("pq8", RealLanceIndexes.buildVectorSegments(ds, dsDir, VEC, "pq8_idx", IndexType.IVF_PQ,
          RealLanceIndexes.vectorParams(IndexType.IVF_PQ, ivf, pq8), fids));
      built.put("pq4", RealLanceIndexes.buildVectorSegments(ds, dsDir, VEC, "pq4_idx", IndexType.IVF_PQ,
          RealLanceIndexes.vectorParams(IndexType.IVF_PQ, ivf, pq4), fids));
      built.put("sq", RealLanceIndexes.buildVectorSegments(ds, dsDir, VEC, "sq_idx", IndexType.IVF_SQ,
          RealLanceIndexes.vectorParams(IndexType.IVF_SQ, ivf, null), fids));
      built.put("hnsw_sq", RealLanceIndexes.buildVectorSegments(ds, dsDir, VEC, "hnsw_sq_idx",
          IndexType.IVF_HNSW_SQ, RealLanceIndexes.vectorParams(IndexType.IVF_HNSW_SQ, ivf, null), fids));
      built.put("hnsw_pq", RealLanceIndexes.buildVectorSegments(ds, dsDir, VEC, "hnsw_pq_idx",
          IndexType.IVF_HNSW_PQ, RealLanceIndexes.vectorParams(IndexType.IVF_HNSW_PQ, ivf, pq8), fids));

      for (Map.Entry<String, List<Segment>> e : built.entrySet()) {
        List<Segment> segs = e.getValue();
        assertThat(segs).hasSize(3);
        for (int i = 0; i < segs.size(); i++) {
          Segment s = segs.get(i);
          assertThat(s.index().fragments()).as(e.getKey()).contains(List.of(fids.get(i)));
          assertThat(s.index().indexVersion()).isEqualTo(1);
          assertThat(s.index().indexDetails()).isPresent();
          assertThat(s.dir()).isEqualTo(dsDir.resolve("_indices").resolve(s.index().uuid().toString()));
          Path aux = s.dir().resolve("auxiliary.idx");
          assertThat(aux).exists();
          assertThat(s.dir().resolve("index.idx")).exists();
          RealLanceFiles.Footer f = RealLanceFiles.readFooter(aux);
          assertThat(List.of(f.major(), f.minor())).as(e.getKey() + " aux footer").containsExactly(2, 1);
          try (FileContents c = RealLanceFiles.read(aux, allocator)) {
            assertThat(c.numRows()).isEqualTo(FRAGMENT_ROWS[i]);
            assertThat(c.schema().getFields().get(0).getName()).isEqualTo("_rowid");
            assertThat(c.metadata()).containsKey("storage_metadata");
            for (List<Object> row : c.rows()) {
              assertThat(((Number) row.get(0)).longValue() >>> 32).isEqualTo(fids.get(i).longValue());
            }
          }
        }
        assertThat(segs.stream().map(s -> s.index().uuid()).distinct()).hasSize(3);
      }

      // 4-bit PQ packs two codes per byte: m/2 bytes per row.
      try (FileContents c = RealLanceFiles.read(built.get("pq4").get(0).dir().resolve("auxiliary.idx"), allocator)) {
        FixedSizeListVector codes = (FixedSizeListVector) c.batches().get(0).getVector("__pq_code");
        assertThat(codes.getListSize()).isEqualTo(2);
      }
      assertThat(ds.listIndexes()).as("nothing committed yet").isEmpty();

      List<Index> committed = RealLanceIndexes.commitSegments(ds, "flat_idx", VEC, built.get("flat"));
      assertThat(committed).hasSize(3);
      long probeId = 1234; // fragment 1 (ids 900..1599), offset 334
      List<Hit> hits = RealLanceIndexes.knn(ds, VEC, RealLanceIndexes.vectorFor(SEED, probeId, DIM), 5, NLIST,
          null, null);
      assertThat(hits).hasSize(5);
      assertThat(hits.get(0).id()).isEqualTo(probeId);
      assertThat(hits.get(0).distance()).isLessThan(1e-6f);
      assertThat(hits.get(0).rowId()).isEqualTo((1L << 32) | 334);
    }
  }

  @Test
  void perFragmentZoneMapSegmentsCommitAndStats() throws Exception {
    Path dsDir = tmp.resolve("zm_ds");
    try (Dataset ds = RealLanceIndexes.createDataset(dsDir, allocator, DIM, SEED, null, FRAGMENT_ROWS)) {
      List<Integer> fids = RealLanceIndexes.fragmentIds(ds);
      List<Segment> segs = RealLanceIndexes.buildZoneMapSegments(ds, dsDir, I32, "i32_zm", 100, fids);
      List<Segment> f32Segs = RealLanceIndexes.buildZoneMapSegments(ds, dsDir, F32, "f32_zm", 256, fids);
      for (int i = 0; i < segs.size(); i++) {
        Segment s = segs.get(i);
        assertThat(s.index().fragments()).contains(List.of(fids.get(i)));
        Path zm = s.dir().resolve("zonemap.lance");
        assertThat(zm).exists();
        RealLanceFiles.Footer f = RealLanceFiles.readFooter(zm);
        assertThat(List.of(f.major(), f.minor())).containsExactly(2, 1);
        try (FileContents c = RealLanceFiles.read(zm, allocator)) {
          assertThat(c.metadata()).containsEntry("rows_per_zone", "100");
          assertThat(c.numRows()).isEqualTo((FRAGMENT_ROWS[i] + 99) / 100);
        }
      }

      RealLanceIndexes.commitSegments(ds, "i32_zm", I32, segs);
      RealLanceIndexes.commitSegments(ds, "f32_zm", F32, f32Segs);
      List<ZoneStats> stats = RealLanceIndexes.zonemapStats(ds, I32);
      assertThat(stats).hasSize(9 + 7 + 4);
      assertThat(stats.get(0).getFragmentId()).isEqualTo(0);
      assertThat(stats.get(0).getZoneLength()).isEqualTo(100);
      assertThat(stats.stream().mapToLong(ZoneStats::getNullCount).sum()).isEqualTo(countNullsI32(2000));
      assertThat(RealLanceIndexes.zonemapStats(ds, F32)).hasSize(4 + 3 + 2);

      long expectedPositive = 0;
      try (VectorSchemaRoot all = RealLanceIndexes.generate(allocator, DIM, SEED, 0, 2000)) {
        IntVector v = (IntVector) all.getVector(I32);
        for (int r = 0; r < 2000; r++) {
          if (!v.isNull(r) && v.get(r) > 0) {
            expectedPositive++;
          }
        }
      }
      assertThat(RealLanceIndexes.countRows(ds, "i32 > 0")).isEqualTo(expectedPositive);
      assertThat(RealLanceIndexes.countRows(ds, "i32 IS NULL")).isEqualTo(countNullsI32(2000));
    }
  }

  @Test
  void indexFilesFollowDatasetStorageVersion() throws Exception {
    Path dsDir = tmp.resolve("v20_ds");
    try (Dataset ds = RealLanceIndexes.createDataset(dsDir, allocator, 8, SEED, "2.0", 300, 200)) {
      assertThat(ds.getLanceFileFormatVersion()).isEqualTo("2.0");
      IvfModel ivf = RealLanceIndexes.trainIvf(ds, VEC, 4, DistanceType.Cosine);
      Segment vec = RealLanceIndexes.buildSegment(ds, dsDir, VEC, "v", IndexType.IVF_FLAT,
          RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivf, null), 1);
      Segment zm = RealLanceIndexes.buildZoneMapSegments(ds, dsDir, I32, "z", 64, List.of(0)).get(0);
      for (Path f : List.of(vec.dir().resolve("auxiliary.idx"), vec.dir().resolve("index.idx"),
          zm.dir().resolve("zonemap.lance"))) {
        RealLanceFiles.Footer footer = RealLanceFiles.readFooter(f);
        assertThat(List.of(footer.major(), footer.minor())).as(f.toString()).containsExactly(0, 3);
      }
      try (FileContents c = RealLanceFiles.read(vec.dir().resolve("auxiliary.idx"), allocator)) {
        assertThat(c.numRows()).isEqualTo(200);
        assertThat(c.metadata()).containsEntry("distance_type", "cosine");
      }
    }
  }

  private static long countNullsI32(int rows) {
    long n = 0;
    for (long id = 0; id < rows; id++) {
      if (id % 7 == 3) {
        n++;
      }
    }
    return n;
  }

  private static List<List<Object>> rowsOf(VectorSchemaRoot root) {
    List<List<Object>> out = new ArrayList<>();
    for (int r = 0; r < root.getRowCount(); r++) {
      List<Object> row = new ArrayList<>();
      for (FieldVector v : root.getFieldVectors()) {
        row.add(v.getObject(r));
      }
      out.add(row);
    }
    return out;
  }
}
