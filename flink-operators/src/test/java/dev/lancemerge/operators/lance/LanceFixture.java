package dev.lancemerge.operators.lance;

import dev.lancemerge.kernel.vector.MergeOptions;
import dev.lancemerge.kernel.vector.VectorSegmentMerger;
import dev.lancemerge.kernel.zonemap.ZoneMapMerger;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.Index;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;

/**
 * A small real Lance dataset (4 fragments x 300 rows, dim 16) with two indexes committed unmerged, one segment
 * per fragment: IVF_FLAT {@code vec_idx} on {@code vec} (4 partitions, shared centroids) and ZoneMap {@code z_idx}
 * on {@code i64} (100 rows per zone). Built once, copied per test.
 */
public final class LanceFixture {
  public static final String VEC_IDX = "vec_idx";
  public static final String ZONE_IDX = "z_idx";
  public static final String VEC = RealLanceIndexes.VEC;
  public static final String I64 = RealLanceIndexes.I64;
  public static final int DIM = 16;
  public static final long SEED = 7;
  public static final int ROWS_PER_FRAGMENT = 300;
  public static final int FRAGMENTS = 4;
  public static final int PARTITIONS = 4;
  public static final Set<String> BOTH = Set.of(VEC_IDX, ZONE_IDX);

  private LanceFixture() {}

  /** Creates the dataset at {@code dir}; returns the version with both indexes committed. */
  public static long create(Path dir) throws IOException {
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = RealLanceIndexes.createDataset(dir, a, DIM, SEED, null, rows())) {
      List<Integer> fids = RealLanceIndexes.fragmentIds(ds);
      RealLanceIndexes.IvfModel ivf = RealLanceIndexes.trainIvf(ds, VEC, PARTITIONS, DistanceType.L2);
      IndexParams params = RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivf, null);
      List<Segment> vec = RealLanceIndexes.buildVectorSegments(ds, dir, VEC, VEC_IDX, IndexType.IVF_FLAT, params, fids);
      RealLanceIndexes.commitSegments(ds, VEC_IDX, VEC, vec);
      List<Segment> zones = RealLanceIndexes.buildZoneMapSegments(ds, dir, I64, ZONE_IDX, 100, fids);
      RealLanceIndexes.commitSegments(ds, ZONE_IDX, I64, zones);
      return ds.version();
    }
  }

  private static int[] rows() {
    int[] r = new int[FRAGMENTS];
    java.util.Arrays.fill(r, ROWS_PER_FRAGMENT);
    return r;
  }

  /** Merges {@code inputs} (vector segments) with our kernel into {@code <dataset>/_indices/<new uuid>/}. */
  public static MergedSegment mergeVector(LanceDatasetCatalog catalog, List<LiveSegment> inputs) throws IOException {
    UUID uuid = UUID.randomUUID();
    Path out = catalog.segmentDirectory(uuid);
    VectorSegmentMerger.merge(dirs(inputs), out, MergeOptions.defaults());
    return MergedSegment.of(VEC, uuid, out, inputs);
  }

  /** Merges {@code inputs} (ZoneMap segments) with our kernel into {@code <dataset>/_indices/<new uuid>/}. */
  public static MergedSegment mergeZoneMap(LanceDatasetCatalog catalog, List<LiveSegment> inputs) throws IOException {
    UUID uuid = UUID.randomUUID();
    Path out = catalog.segmentDirectory(uuid);
    ZoneMapMerger.merge(dirs(inputs), out);
    return MergedSegment.of(I64, uuid, out, inputs);
  }

  private static List<Path> dirs(List<LiveSegment> inputs) {
    List<Path> d = new ArrayList<>();
    for (LiveSegment s : inputs) {
      d.add(s.directory());
    }
    return d;
  }

  /**
   * Another writer (its own dataset handle) replaces {@code seg} by a copy of its files under a fresh uuid, with
   * {@code commitExistingIndexSegments}; returns the new uuid.
   */
  public static UUID otherWriterReplaces(Path dir, LiveSegment seg, String column) throws IOException {
    UUID copy = UUID.randomUUID();
    RealLanceIndexes.copyTree(seg.directory(), dir.resolve("_indices").resolve(copy.toString()));
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(dir, a)) {
      Index template = null;
      for (Index i : ds.getIndexes()) {
        if (i.uuid().equals(seg.uuid())) {
          template = i;
        }
      }
      if (template == null) {
        throw new IllegalStateException(seg.uuid() + " is not live");
      }
      RealLanceIndexes.commitForeignSegment(ds, seg.indexName(), column, copy, template,
          new ArrayList<>(seg.fragments()));
    }
    return copy;
  }

  /** Another writer changes the dataset config (a commit that touches no index). */
  public static void otherWriterUpdatesConfig(Path dir, String key, String value) {
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(dir, a)) {
      ds.updateConfig(Map.of(key, value));
    }
  }

  /** k-NN (exact for IVF_FLAT with every partition probed) of row {@code id}'s own vector. */
  public static List<Hit> knn(Path dir, long id, int k) throws IOException {
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(dir, a)) {
      return RealLanceIndexes.knn(ds, VEC, RealLanceIndexes.vectorFor(SEED, id, DIM), k, PARTITIONS, null, null);
    }
  }

  /** Runs {@code body} on a fresh handle of the dataset's latest version. */
  public static <T> T withDataset(Path dir, java.util.function.Function<Dataset, T> body) {
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(dir, a)) {
      return body.apply(ds);
    }
  }

  /** Live segments of {@code indexName} sorted by their first fragment. */
  public static List<LiveSegment> sorted(LanceDatasetCatalog catalog, String indexName) {
    List<LiveSegment> s = new ArrayList<>(catalog.liveSegments(Set.of(indexName)));
    s.sort(java.util.Comparator.comparing(x -> x.fragments().first()));
    return s;
  }
}
