package dev.lancemerge.operators.source;

import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.staging.StagedIndexType;
import dev.lancemerge.operators.staging.StagedSegmentDescriptor;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.Index;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.scalar.ZoneStats;

/**
 * One small real Lance dataset for every test of this package, built once per JVM (real lance-core): 3 fragments x
 * 200 rows, dim 8. Committed unmerged, one segment per fragment: IVF_FLAT {@code vec_idx} on {@code vec} over
 * fragments 0 and 1 (4 partitions, shared centroids) and ZoneMap {@code z_idx} on {@code i64} over fragments 0 and 1
 * (50 rows per zone). A third IVF_FLAT segment over fragment 2 is built but not committed (for staging), so is an
 * IVF_HNSW_SQ segment over fragment 0. Tests read it and must not change it.
 */
final class SourceFixture {
  static final String VEC_IDX = "vec_idx";
  static final String ZONE_IDX = "z_idx";
  static final int DIM = 8;
  static final int ROWS = 200;
  static final int PARTITIONS = 4;
  static final long ROWS_PER_ZONE = 50;

  private static SourceFixture instance;

  final Path root;
  final Path dataset;
  /** Committed vector segments, by fragment. */
  final List<LiveSegment> vectors;
  /** Committed ZoneMap segments, by fragment. */
  final List<LiveSegment> zoneMaps;
  /** The uncommitted vector segment over fragment 2. */
  final Index stagedIndex;
  /** An uncommitted IVF_HNSW_SQ segment over fragment 0 (not mergeable yet). */
  final Path hnswDirectory;
  /** Lance's own zone statistics of the committed ZoneMap index. */
  final List<ZoneStats> zoneStats;
  final long version;

  private SourceFixture(Path root) throws IOException {
    this.root = root;
    this.dataset = root.resolve("ds");
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = RealLanceIndexes.createDataset(dataset, a, DIM, 7, null, ROWS, ROWS, ROWS)) {
      List<Integer> fids = RealLanceIndexes.fragmentIds(ds);
      RealLanceIndexes.IvfModel ivf = RealLanceIndexes.trainIvf(ds, RealLanceIndexes.VEC, PARTITIONS, DistanceType.L2);
      IndexParams params = RealLanceIndexes.vectorParams(IndexType.IVF_FLAT, ivf, null);
      List<Segment> vec = RealLanceIndexes.buildVectorSegments(ds, dataset, RealLanceIndexes.VEC, VEC_IDX,
          IndexType.IVF_FLAT, params, fids);
      RealLanceIndexes.commitSegments(ds, VEC_IDX, RealLanceIndexes.VEC, vec.subList(0, 2));
      stagedIndex = vec.get(2).index();
      hnswDirectory = RealLanceIndexes.buildSegment(ds, dataset, RealLanceIndexes.VEC, "hnsw_idx",
          IndexType.IVF_HNSW_SQ, RealLanceIndexes.vectorParams(IndexType.IVF_HNSW_SQ, ivf, null), fids.get(0)).dir();
      List<Segment> zones = RealLanceIndexes.buildZoneMapSegments(ds, dataset, RealLanceIndexes.I64, ZONE_IDX,
          ROWS_PER_ZONE, fids.subList(0, 2));
      RealLanceIndexes.commitSegments(ds, ZONE_IDX, RealLanceIndexes.I64, zones);
      zoneStats = RealLanceIndexes.zonemapStats(ds, RealLanceIndexes.I64);
      version = ds.version();
    }
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(dataset)) {
      vectors = sorted(c.liveSegments(Set.of(VEC_IDX)));
      zoneMaps = sorted(c.liveSegments(Set.of(ZONE_IDX)));
    }
  }

  static synchronized SourceFixture get() {
    if (instance == null) {
      try {
        Path root = Files.createTempDirectory("segment-source-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
        instance = new SourceFixture(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** The descriptor a distributed build would publish for the uncommitted segment over fragment 2. */
  StagedSegmentDescriptor stagedDescriptor(long createdAt) {
    return new StagedSegmentDescriptor(StagedSegmentDescriptor.FORMAT_VERSION, stagedIndex.uuid(), VEC_IDX,
        RealLanceIndexes.VEC, StagedIndexType.IVF_FLAT, List.of(2),
        new StagedSegmentDescriptor.Details("l2", stagedIndex.indexVersion(), stagedIndex.datasetVersion(),
            stagedIndex.indexDetails().map(b -> Base64.getEncoder().encodeToString(b)).orElse(null)),
        List.of(), createdAt);
  }

  Path stagedDirectory() {
    return dataset.resolve("_indices").resolve(stagedIndex.uuid().toString());
  }

  private static List<LiveSegment> sorted(List<LiveSegment> s) {
    List<LiveSegment> out = new ArrayList<>(s);
    out.sort(Comparator.comparing(x -> x.fragments().first()));
    return out;
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
