package dev.lancemerge.tests.e2e;

import dev.lancemerge.operators.staging.StagedIndexType;
import dev.lancemerge.operators.staging.StagedSegmentDescriptor;
import dev.lancemerge.operators.staging.StagingArea;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.Index;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;

/**
 * A real Lance dataset built with lance-core for the end-to-end tests, with one uncommitted per-fragment segment of
 * each configured index for every fragment (the distributed "segment" flow: IVF centroids and PQ codebook trained
 * once, shared by every segment). Tests then commit some segments with Lance, announce others as staged, and run
 * the job. Built once per test class ({@link #build}); {@link #copyTo} gives each test its own copy, with the same
 * segment uuids and directories.
 */
final class E2eDataset {
  static final int DIM = 16;
  static final long SEED = 11;
  static final int PARTITIONS = 8;
  static final int ROWS_PER_ZONE = 100;
  static final String VEC = RealLanceIndexes.VEC;
  static final String I64 = RealLanceIndexes.I64;
  static final String ZONE_IDX = "z_idx";

  /** One index of the dataset: name, Lance type, column. */
  record IndexSpec(String name, IndexType type, String column) {
    boolean vector() {
      return type != IndexType.ZONEMAP;
    }

    StagedIndexType stagedType() {
      return StagedIndexType.valueOf(type.name());
    }
  }

  static final IndexSpec FLAT = new IndexSpec("flat_idx", IndexType.IVF_FLAT, VEC);
  static final IndexSpec PQ = new IndexSpec("pq_idx", IndexType.IVF_PQ, VEC);
  static final IndexSpec SQ = new IndexSpec("sq_idx", IndexType.IVF_SQ, VEC);
  static final IndexSpec ZONES = new IndexSpec(ZONE_IDX, IndexType.ZONEMAP, I64);

  private static final AtomicLong CREATED_AT = new AtomicLong(1_780_000_000_000L);

  final Path dir;
  final int[] fragmentRows;
  final List<IndexSpec> indexes;
  /** Per index, its uncommitted per-fragment segments by fragment id. */
  final Map<String, Map<Integer, Segment>> segments;
  final RealLanceIndexes.IvfModel ivf;

  private E2eDataset(Path dir, int[] fragmentRows, List<IndexSpec> indexes, Map<String, Map<Integer, Segment>> segments,
      RealLanceIndexes.IvfModel ivf) {
    this.dir = dir;
    this.fragmentRows = fragmentRows;
    this.indexes = indexes;
    this.segments = segments;
    this.ivf = ivf;
  }

  /** Creates the dataset ({@code fragments} x {@code rows}) and every per-fragment segment of {@code indexes}. */
  static E2eDataset build(Path dir, int fragments, int rows, List<IndexSpec> indexes) throws IOException {
    int[] fr = new int[fragments];
    java.util.Arrays.fill(fr, rows);
    Map<String, Map<Integer, Segment>> segs = new LinkedHashMap<>();
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = RealLanceIndexes.createDataset(dir, a, DIM, SEED, null, fr)) {
      List<Integer> fids = RealLanceIndexes.fragmentIds(ds);
      RealLanceIndexes.IvfModel ivf = RealLanceIndexes.trainIvf(ds, VEC, PARTITIONS, DistanceType.L2);
      RealLanceIndexes.PqModel pq = null;
      for (IndexSpec spec : indexes) {
        List<Segment> built;
        if (spec.vector()) {
          if (spec.type() == IndexType.IVF_PQ && pq == null) {
            pq = RealLanceIndexes.trainPq(ds, VEC, 4, 8, DistanceType.L2);
          }
          IndexParams params = RealLanceIndexes.vectorParams(spec.type(), ivf, pq);
          built = RealLanceIndexes.buildVectorSegments(ds, dir, spec.column(), spec.name(), spec.type(), params, fids);
        } else {
          built = RealLanceIndexes.buildZoneMapSegments(ds, dir, spec.column(), spec.name(), ROWS_PER_ZONE, fids);
        }
        Map<Integer, Segment> byFragment = new LinkedHashMap<>();
        for (int i = 0; i < fids.size(); i++) {
          byFragment.put(fids.get(i), built.get(i));
        }
        segs.put(spec.name(), byFragment);
      }
      return new E2eDataset(dir, fr, List.copyOf(indexes), segs, ivf);
    }
  }

  /** An existing dataset whose segments the test keeps itself (no per-fragment segment map). */
  static E2eDataset wrap(Path dir, List<IndexSpec> indexes) {
    Map<String, Map<Integer, Segment>> segs = new LinkedHashMap<>();
    indexes.forEach(i -> segs.put(i.name(), new LinkedHashMap<>()));
    return new E2eDataset(dir, new int[0], List.copyOf(indexes), segs, null);
  }

  /** A copy of the dataset at {@code target} (its manifest and every segment directory, same uuids). */
  E2eDataset copyTo(Path target) throws IOException {
    RealLanceIndexes.copyTree(dir, target);
    Map<String, Map<Integer, Segment>> segs = new LinkedHashMap<>();
    segments.forEach((name, byFragment) -> {
      Map<Integer, Segment> m = new LinkedHashMap<>();
      byFragment.forEach((f, s) -> m.put(f, new Segment(s.index(), target.resolve("_indices").resolve(s.dir().getFileName().toString()))));
      segs.put(name, m);
    });
    return new E2eDataset(target, fragmentRows, indexes, segs, ivf);
  }

  List<String> indexNames() {
    return indexes.stream().map(IndexSpec::name).toList();
  }

  IndexSpec spec(String name) {
    return indexes.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  Segment segment(String index, int fragment) {
    return Objects.requireNonNull(segments.get(index).get(fragment), index + " fragment " + fragment);
  }

  long rows() {
    long n = 0;
    for (int r : fragmentRows) {
      n += r;
    }
    return n;
  }

  /** Commits the segments of {@code fragments} of every index with Lance (one commit per index), retrying races. */
  void commit(List<Integer> fragments) {
    for (IndexSpec spec : indexes) {
      List<Segment> s = new ArrayList<>();
      for (int f : fragments) {
        s.add(segment(spec.name(), f));
      }
      commitWithRetry(spec, s);
    }
  }

  /** Another writer commits {@code segs} of {@code spec} (a new handle each attempt; a racing job commit is retried). */
  void commitWithRetry(IndexSpec spec, List<Segment> segs) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(dir, a)) {
        RealLanceIndexes.commitSegments(ds, spec.name(), spec.column(), segs);
        return;
      } catch (RuntimeException e) {
        last = e;
        sleep(100);
      }
    }
    throw last;
  }

  /** Announces the segments of {@code fragments} of every index as staged (one descriptor per segment). */
  List<Path> stage(Path staging, List<Integer> fragments) throws IOException {
    List<Path> out = new ArrayList<>();
    for (IndexSpec spec : indexes) {
      for (int f : fragments) {
        out.add(announce(staging, spec, segment(spec.name(), f).index(), List.of(f)));
      }
    }
    return out;
  }

  /** Announces segment {@code idx} of {@code spec} covering {@code fragments} as {@link StagingArea#announce} does. */
  static Path announce(Path staging, IndexSpec spec, Index idx, List<Integer> fragments) throws IOException {
    Files.createDirectories(staging);
    return StagingArea.announce(staging, descriptor(spec, idx.uuid(), idx, fragments));
  }

  static StagedSegmentDescriptor descriptor(IndexSpec spec, java.util.UUID uuid, Index details,
      List<Integer> fragments) {
    return new StagedSegmentDescriptor(StagedSegmentDescriptor.FORMAT_VERSION, uuid, spec.name(), spec.column(),
        spec.stagedType(), fragments,
        new StagedSegmentDescriptor.Details(spec.vector() ? "l2" : null, details.indexVersion(),
            details.datasetVersion(), details.indexDetails().map(b -> Base64.getEncoder().encodeToString(b))
            .orElse(null)),
        List.of(), CREATED_AT.incrementAndGet());
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
