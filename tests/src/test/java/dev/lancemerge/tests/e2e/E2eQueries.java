package dev.lancemerge.tests.e2e;

import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.index.scalar.ZoneStats;

/** Queries run on real Lance, to compare the job's result with a reference dataset. */
final class E2eQueries {
  static final int K = 10;
  /** SQL filters on {@code i64} the ZoneMap index answers (ids are consecutive, i64 is about id * 1,000,003). */
  static final List<String> FILTERS = List.of("i64 < 150000000", "i64 >= 300000000 AND i64 < 420000000",
      "i64 > 1000000000", "i64 IS NULL", "i64 = 5000015");

  private E2eQueries() {}

  /** Query vectors: some rows' own vectors (every {@code rows / n}th row) and some fresh Gaussian points. */
  static List<float[]> queries(long rows, int ownRows, int fresh) {
    List<float[]> qs = new ArrayList<>();
    for (int i = 0; i < ownRows; i++) {
      qs.add(RealLanceIndexes.vectorFor(E2eDataset.SEED, i * rows / ownRows, E2eDataset.DIM));
    }
    Random r = new Random(42);
    for (int i = 0; i < fresh; i++) {
      float[] v = new float[E2eDataset.DIM];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) r.nextGaussian();
      }
      qs.add(v);
    }
    return qs;
  }

  /** k-NN of every query on the one vector index of the dataset at {@code dir}. */
  static List<List<Hit>> knn(Path dir, List<float[]> qs, int nprobes) {
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(dir, a)) {
      List<List<Hit>> out = new ArrayList<>();
      for (float[] q : qs) {
        out.add(RealLanceIndexes.knn(ds, E2eDataset.VEC, q, K, nprobes, null, null));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Answers compared as "the same top k": per query the same distances at every rank, bit for bit, and the same
   * hits (id and row id) wherever the distance is below the k-th one. Only WHICH of several rows tied at exactly the
   * k-th distance fills the last places may differ (and the order among tied rows): PQ codes of near-duplicate rows
   * tie often, and Lance then picks by the rows' order inside the partition, which follows the merge order (the
   * job merges in tiers, the reference in one step). Returns the differing queries, empty if none.
   */
  static List<String> differences(List<List<Hit>> expected, List<List<Hit>> actual) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      List<Hit> e = expected.get(i);
      List<Hit> a = actual.get(i);
      List<Float> de = e.stream().map(Hit::distance).toList();
      List<Float> da = a.stream().map(Hit::distance).toList();
      boolean same = de.equals(da);
      if (same && !e.isEmpty()) {
        float last = de.get(de.size() - 1);
        Set<Hit> se = new HashSet<>(e.stream().filter(h -> h.distance() < last).toList());
        Set<Hit> sa = new HashSet<>(a.stream().filter(h -> h.distance() < last).toList());
        same = se.equals(sa);
      }
      if (!same) {
        out.add("query " + i + ": expected " + e + " but got " + a);
      }
    }
    return out;
  }

  /** Exact top-k ids by L2 over all rows (brute force). */
  static List<long[]> groundTruth(long rows, List<float[]> qs) {
    float[][] all = new float[(int) rows][];
    for (int i = 0; i < rows; i++) {
      all[i] = RealLanceIndexes.vectorFor(E2eDataset.SEED, i, E2eDataset.DIM);
    }
    List<long[]> out = new ArrayList<>();
    for (float[] q : qs) {
      Long[] ids = new Long[all.length];
      double[] dist = new double[all.length];
      for (int i = 0; i < all.length; i++) {
        ids[i] = (long) i;
        double s = 0;
        for (int d = 0; d < q.length; d++) {
          double x = q[d] - all[i][d];
          s += x * x;
        }
        dist[i] = s;
      }
      Arrays.sort(ids, (x, y) -> Double.compare(dist[x.intValue()], dist[y.intValue()]));
      long[] top = new long[K];
      for (int k = 0; k < K; k++) {
        top[k] = ids[k];
      }
      out.add(top);
    }
    return out;
  }

  static double recall(List<List<Hit>> results, List<long[]> truth) {
    double sum = 0;
    for (int i = 0; i < results.size(); i++) {
      Set<Long> t = new HashSet<>();
      for (long id : truth.get(i)) {
        t.add(id);
      }
      sum += results.get(i).stream().filter(h -> t.contains(h.id())).count() / (double) K;
    }
    return sum / results.size();
  }

  /** Zone statistics of the ZoneMap index on {@code i64}, as comparable strings, plus the filtered counts. */
  static List<String> zoneAnswers(Path dir) {
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(dir, a)) {
      List<String> out = new ArrayList<>();
      for (ZoneStats z : RealLanceIndexes.zonemapStats(ds, E2eDataset.I64)) {
        out.add("zone " + z.getFragmentId() + "/" + z.getZoneStart() + "+" + z.getZoneLength() + " [" + z.getMin()
            + ", " + z.getMax() + "] nulls " + z.getNullCount());
      }
      for (String f : FILTERS) {
        out.add(f + ": " + RealLanceIndexes.countRows(ds, f));
      }
      return out;
    }
  }

  /**
   * A reference dataset at {@code target}: a copy of {@code d}'s data in which {@code vector} (if not null) is ONE
   * segment Lance merged itself ({@code mergeExistingIndexSegments}) from every per-fragment segment, and the
   * ZoneMap index (if {@code zones}) is one full Lance build over all fragments. No other index is committed.
   */
  static Path reference(E2eDataset d, Path target, E2eDataset.IndexSpec vector, boolean merged, boolean zones)
      throws IOException {
    List<Path> dirs = new ArrayList<>();
    if (vector != null) {
      d.segments.get(vector.name()).values().forEach(s -> dirs.add(s.dir()));
    }
    RealLanceIndexes.copyDataset(d.dir, target, dirs);
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(target, a)) {
      for (String name : new HashSet<>(ds.listIndexes())) {
        ds.dropIndex(name);
      }
      ds.checkoutLatest();
      if (vector != null) {
        List<Segment> segs = new ArrayList<>();
        for (Segment s : d.segments.get(vector.name()).values()) {
          segs.add(new Segment(s.index(), target.resolve("_indices").resolve(s.dir().getFileName().toString())));
        }
        if (merged) {
          Segment one = RealLanceIndexes.mergeWithLance(ds, target, segs);
          RealLanceIndexes.commitSegments(ds, vector.name(), vector.column(), List.of(one));
        } else {
          RealLanceIndexes.commitSegments(ds, vector.name(), vector.column(), segs);
        }
      }
      if (zones) {
        RealLanceIndexes.buildFullZoneMap(ds, target, E2eDataset.I64, E2eDataset.ZONE_IDX, E2eDataset.ROWS_PER_ZONE);
      }
    }
    return target;
  }

  /**
   * A copy of the job's dataset at {@code target} in which only {@code keep} of the vector indexes is left (Lance
   * answers k-NN on a column with one of its vector indexes, silently, so the others are dropped in the copy).
   */
  static Path onlyVectorIndex(E2eDataset d, Path target, String keep) throws IOException {
    RealLanceIndexes.copyTree(d.dir, target);
    try (BufferAllocator a = new RootAllocator(); Dataset ds = RealLanceIndexes.openDataset(target, a)) {
      for (E2eDataset.IndexSpec s : d.indexes) {
        if (s.vector() && !s.name().equals(keep)) {
          ds.dropIndex(s.name());
        }
      }
    }
    return target;
  }
}
