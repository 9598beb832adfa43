package dev.lancemerge.kernel.vector.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.index.IVF;
import dev.lancemerge.kernel.vector.MergeOptions;
import dev.lancemerge.kernel.vector.MergeResult;
import dev.lancemerge.kernel.vector.Quantizer;
import dev.lancemerge.kernel.vector.VectorSegment;
import dev.lancemerge.kernel.vector.VectorSegmentMerger;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import dev.lancemerge.oracle.RealLanceIndexes.IvfModel;
import dev.lancemerge.oracle.RealLanceIndexes.PqModel;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.IndexType;

/**
 * Shared machinery of the proof-against-real-Lance suite: seeded datasets with uneven fragments, per-fragment
 * segments built by real lance-core 7.0.0, dataset copies in which one merged segment each is committed
 * (Lance's own merge, ours, or the segments unmerged), k-NN queries, brute-force ground truth, and a dump of a
 * segment's aux rows per partition (read with our reader, PQ codes un-transposed) for row-exact comparison.
 */
final class MergeOracle {
  static final long SEED = 20_260_321L;
  static final int K = 10;
  static final String COLUMN = RealLanceIndexes.VEC;
  static final String INDEX_NAME = "vec_idx";
  static final ObjectMapper JSON = new ObjectMapper();

  private MergeOracle() {}

  // ------------------------------------------------------------------ cases

  /**
   * A dataset shape: dimension, IVF partitions, rows per fragment (one fragment per entry, uneven);
   * {@code deadPartition}: the last centroid is moved far away from the data, so that partition is empty in every
   * segment and in the merged output (l2 only).
   */
  record Layout(String name, int dim, int nlist, int[] fragmentRows, boolean deadPartition) {
    Layout(String name, int dim, int nlist, int[] fragmentRows) {
      this(name, dim, nlist, fragmentRows, false);
    }

    int rows() {
      return Arrays.stream(fragmentRows).sum();
    }

    int segments() {
      return fragmentRows.length;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** One segment over 1,800 rows. */
  static final Layout D16_ONE = new Layout("d16x1", 16, 8, new int[] {1800});
  /** Four segments, one of 37 rows (most of its 16 partitions empty). */
  static final Layout D32_FOUR = new Layout("d32x4", 32, 16, new int[] {1500, 700, 37, 300});
  /** Thirteen segments, several tiny (1, 3, 5, 12 rows): many partitions empty in many segments. */
  static final Layout D16_THIRTEEN = new Layout("d16x13", 16, 16,
      new int[] {600, 400, 5, 250, 1, 90, 333, 12, 700, 3, 150, 60, 220});
  /** Like {@link #D32_FOUR}, with partition 15 empty everywhere. */
  static final Layout D32_FOUR_DEAD = new Layout("d32x4dead", 32, 16, new int[] {1500, 700, 37, 300}, true);
  /**
   * 30,007 rows in 4 partitions (thousands of rows each): with a 64 KiB memory budget every merge path works in
   * windows, and PQ partitions exceed the budget, so they are transposed by streaming.
   */
  static final Layout D16_BIG = new Layout("d16x5big", 16, 4, new int[] {12000, 9000, 7, 3000, 6000});
  /** The one dim-128 case. */
  static final Layout D128_FOUR = new Layout("d128x4", 128, 8, new int[] {1200, 600, 20, 400});

  /** An index kind: Lance index type, distance, PQ shape (0 for FLAT/SQ). */
  record Kind(String name, IndexType type, DistanceType distance, int pqSubVectors, int pqBits) {
    boolean isPq() {
      return type == IndexType.IVF_PQ;
    }

    boolean isSq() {
      return type == IndexType.IVF_SQ;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final Kind FLAT_L2 = new Kind("IVF_FLAT_l2", IndexType.IVF_FLAT, DistanceType.L2, 0, 0);
  static final Kind FLAT_COSINE = new Kind("IVF_FLAT_cosine", IndexType.IVF_FLAT, DistanceType.Cosine, 0, 0);
  static final Kind FLAT_DOT = new Kind("IVF_FLAT_dot", IndexType.IVF_FLAT, DistanceType.Dot, 0, 0);
  static final Kind PQ8_L2 = new Kind("IVF_PQ8_l2", IndexType.IVF_PQ, DistanceType.L2, 8, 8);
  static final Kind PQ4_L2 = new Kind("IVF_PQ4_l2", IndexType.IVF_PQ, DistanceType.L2, 8, 4);
  static final Kind PQ8_COSINE = new Kind("IVF_PQ8_cosine", IndexType.IVF_PQ, DistanceType.Cosine, 8, 8);
  static final Kind PQ8_DOT = new Kind("IVF_PQ8_dot", IndexType.IVF_PQ, DistanceType.Dot, 8, 8);
  /** 16 sub-vectors: 16 code bytes per row (8-bit) or 8 (4-bit). */
  static final Kind PQ8_M16_L2 = new Kind("IVF_PQ8m16_l2", IndexType.IVF_PQ, DistanceType.L2, 16, 8);
  static final Kind PQ4_M16_L2 = new Kind("IVF_PQ4m16_l2", IndexType.IVF_PQ, DistanceType.L2, 16, 4);
  static final Kind SQ_L2 = new Kind("IVF_SQ_l2", IndexType.IVF_SQ, DistanceType.L2, 0, 0);
  static final Kind SQ_COSINE = new Kind("IVF_SQ_cosine", IndexType.IVF_SQ, DistanceType.Cosine, 0, 0);

  /** Kind on layout; {@code shuffled}: merge order is a seeded permutation of the fragments, not fragment order. */
  record Case(Kind kind, Layout layout, boolean shuffled) {
    String name() {
      return kind.name() + "_" + layout.name() + (shuffled ? "_shuffled" : "");
    }

    @Override
    public String toString() {
      return name();
    }
  }

  // ------------------------------------------------------------------ fixture

  /** A base dataset (nothing ever committed to it) and every row's vector by id. */
  record Base(Layout layout, Path dir, List<Integer> fids, float[][] vectors, long[] rowAddress) {
    Set<Long> allRowAddresses() {
      Set<Long> s = new HashSet<>();
      for (long a : rowAddress) {
        s.add(a);
      }
      return s;
    }
  }

  /** Per-test-class state: base datasets, trained models and built segments, each created once. */
  static final class Fixture implements AutoCloseable {
    final Path root;
    final BufferAllocator alloc = new RootAllocator();
    private final Map<String, Base> bases = new HashMap<>();
    private final Map<String, IvfModel> ivfs = new HashMap<>();
    private final Map<String, PqModel> pqs = new HashMap<>();
    private final Map<String, List<Segment>> segments = new HashMap<>();
    private int copies;

    Fixture(Path root) {
      this.root = root;
    }

    synchronized Base base(Layout l) throws IOException {
      Base b = bases.get(l.name());
      if (b == null) {
        Path dir = root.resolve("base_" + l.name());
        List<Integer> fids;
        try (Dataset ds = RealLanceIndexes.createDataset(dir, alloc, l.dim(), SEED, null, l.fragmentRows())) {
          fids = RealLanceIndexes.fragmentIds(ds);
        }
        float[][] v = new float[l.rows()][];
        long[] addr = new long[l.rows()];
        int id = 0;
        for (int f = 0; f < l.segments(); f++) {
          for (int r = 0; r < l.fragmentRows()[f]; r++, id++) {
            v[id] = RealLanceIndexes.vectorFor(SEED, id, l.dim());
            addr[id] = ((long) fids.get(f) << 32) | r;
          }
        }
        b = new Base(l, dir, List.copyOf(fids), v, addr);
        bases.put(l.name(), b);
      }
      return b;
    }

    synchronized IvfModel ivf(Layout l, DistanceType dt) throws IOException {
      String key = l.name() + "/" + dt;
      IvfModel m = ivfs.get(key);
      if (m == null) {
        m = SeededTraining.ivf(base(l).vectors(), l.nlist(), dt, SEED + key.hashCode());
        if (l.deadPartition()) {
          float[] c = m.centroids().clone();
          Arrays.fill(c, (l.nlist() - 1) * l.dim(), l.nlist() * l.dim(), 1000f);
          m = new IvfModel(dt, l.nlist(), c);
        }
        ivfs.put(key, m);
      }
      return m;
    }

    synchronized PqModel pq(Layout l, Kind k) throws IOException {
      String key = l.name() + "/" + k.distance() + "/" + k.pqSubVectors() + "/" + k.pqBits();
      PqModel m = pqs.get(key);
      if (m == null) {
        m = SeededTraining.pq(base(l).vectors(), ivf(l, k.distance()), k.pqSubVectors(), k.pqBits(),
            SEED + key.hashCode());
        pqs.put(key, m);
      }
      return m;
    }

    /** Per-fragment segments of {@code kind} on {@code layout}, built once by real Lance, in fragment order. */
    synchronized List<Segment> segments(Kind kind, Layout l) throws IOException {
      String key = kind.name() + "/" + l.name();
      List<Segment> segs = segments.get(key);
      if (segs == null) {
        Base b = base(l);
        try (Dataset ds = RealLanceIndexes.openDataset(b.dir(), alloc)) {
          segs = RealLanceIndexes.buildVectorSegments(ds, b.dir(), COLUMN, INDEX_NAME, kind.type(),
              RealLanceIndexes.vectorParams(kind.type(), ivf(l, kind.distance()), kind.isPq() ? pq(l, kind) : null),
              b.fids());
        }
        segs = List.copyOf(segs);
        segments.put(key, segs);
      }
      return segs;
    }

    /** The case's segments in its merge order (a seeded permutation when shuffled). */
    List<Segment> ordered(Case c) throws IOException {
      List<Segment> segs = new ArrayList<>(segments(c.kind(), c.layout()));
      if (c.shuffled()) {
        Collections.shuffle(segs, new Random(SEED ^ c.name().hashCode()));
      }
      return segs;
    }

    /** A fresh copy of the base dataset holding {@code segmentDirs} under {@code _indices/}. */
    synchronized Path copy(Base b, String label, Collection<Path> segmentDirs) throws IOException {
      Path dst = root.resolve("copy" + (copies++) + "_" + label);
      RealLanceIndexes.copyDataset(b.dir(), dst, segmentDirs);
      return dst;
    }

    Dataset open(Path dir) {
      return RealLanceIndexes.openDataset(dir, alloc);
    }

    @Override
    public void close() {
      alloc.close();
    }
  }

  static List<Path> dirs(List<Segment> segs) {
    return segs.stream().map(Segment::dir).toList();
  }

  // ------------------------------------------------------------------ the three ways to serve the segments

  /** A dataset copy with one index committed, and where its (single) segment lives. */
  record Committed(Path datasetDir, Path segmentDir, MergeResult result) {}

  /** Lance's own merge, in the given order, committed in a fresh copy. Returns the merged segment too. */
  static Committed lanceMerged(Fixture fx, Base b, String label, List<Segment> ordered) throws IOException {
    Path dir = fx.copy(b, label, dirs(ordered));
    try (Dataset ds = fx.open(dir)) {
      Segment merged = RealLanceIndexes.mergeWithLance(ds, dir, ordered);
      ds.commitExistingIndexSegments(INDEX_NAME, COLUMN, List.of(merged.index()));
      ds.checkoutLatest();
      return new Committed(dir, merged.dir(), null);
    }
  }

  /** The segments committed as they are (one logical index of many segments), in a fresh copy. */
  static Committed unmerged(Fixture fx, Base b, String label, List<Segment> segs) throws IOException {
    Path dir = fx.copy(b, label, dirs(segs));
    try (Dataset ds = fx.open(dir)) {
      RealLanceIndexes.commitSegments(ds, INDEX_NAME, COLUMN, segs);
      return new Committed(dir, null, null);
    }
  }

  /**
   * Our merge of {@code inputs} (any segment directories, in order) straight into
   * {@code <fresh copy>/_indices/<fresh uuid>/}, committed there with {@code template}'s fields, details and
   * index version, covering every fragment of the dataset.
   */
  static Committed oursMerged(Fixture fx, Base b, String label, List<Path> inputs, Segment template)
      throws IOException {
    return oursMerged(fx, b, label, inputs, template, MergeOptions.defaults());
  }

  /** As above with explicit merge options. */
  static Committed oursMerged(Fixture fx, Base b, String label, List<Path> inputs, Segment template,
      MergeOptions options) throws IOException {
    Path dir = fx.copy(b, label, List.of());
    UUID uuid = UUID.randomUUID();
    Path out = dir.resolve("_indices").resolve(uuid.toString());
    Files.createDirectories(out.getParent());
    MergeResult r = VectorSegmentMerger.merge(inputs, out, options);
    try (Dataset ds = fx.open(dir)) {
      RealLanceIndexes.commitForeignSegment(ds, INDEX_NAME, COLUMN, uuid, template.index(), b.fids());
    }
    return new Committed(dir, out, r);
  }

  /** Our merge into a scratch directory outside any dataset (an intermediate of a re-merge). */
  static MergeResult oursScratch(Fixture fx, String label, List<Path> inputs) throws IOException {
    return oursScratch(fx, label, inputs, MergeOptions.defaults());
  }

  /** As above with explicit merge options. */
  static MergeResult oursScratch(Fixture fx, String label, List<Path> inputs, MergeOptions options)
      throws IOException {
    Path out;
    synchronized (fx) {
      out = fx.root.resolve("scratch" + (fx.copies++) + "_" + label);
    }
    return VectorSegmentMerger.merge(inputs, out, options);
  }

  // ------------------------------------------------------------------ queries

  /** One query vector and what it is (for messages). */
  record QueryVec(String label, float[] v) {}

  /**
   * Query vectors: {@code existing} rows of the dataset (the first row of every fragment, then seeded random
   * ids), {@code fresh} new points of the same distribution (ids beyond the dataset) and two off-distribution
   * points (scaled Gaussian).
   */
  static List<QueryVec> queries(Base b, int existing, int fresh) {
    List<QueryVec> out = new ArrayList<>();
    Random rnd = new Random(SEED * 7 + b.layout().name().hashCode());
    int id = 0;
    for (int f = 0; f < b.layout().segments() && out.size() < existing; f++) {
      out.add(new QueryVec("row " + id + " (first of fragment " + b.fids().get(f) + ")", b.vectors()[id]));
      id += b.layout().fragmentRows()[f];
    }
    while (out.size() < existing) {
      int r = rnd.nextInt(b.layout().rows());
      out.add(new QueryVec("row " + r, b.vectors()[r]));
    }
    for (int i = 0; i < fresh; i++) {
      out.add(new QueryVec("fresh " + i, RealLanceIndexes.vectorFor(SEED, 50_000_000L + i, b.layout().dim())));
    }
    for (int i = 0; i < 2; i++) {
      float[] v = new float[b.layout().dim()];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) rnd.nextGaussian() * 3f;
      }
      out.add(new QueryVec("off-distribution " + i, v));
    }
    return out;
  }

  /** k-NN results of every query at {@code nprobes}, on the committed index of {@code datasetDir}. */
  static List<List<Hit>> search(Fixture fx, Path datasetDir, List<QueryVec> qs, int nprobes) throws IOException {
    List<List<Hit>> out = new ArrayList<>();
    try (Dataset ds = fx.open(datasetDir)) {
      if (ds.getIndexes().isEmpty()) {
        throw new IllegalStateException("no index committed in " + datasetDir);
      }
      for (QueryVec q : qs) {
        out.add(RealLanceIndexes.knn(ds, COLUMN, q.v(), K, nprobes, null, null));
      }
    }
    return out;
  }

  /** Descriptions of the queries whose results differ (ids, distances or row ids), empty if all are equal. */
  static List<String> differences(List<QueryVec> qs, int nprobes, List<List<Hit>> expected, List<List<Hit>> actual,
      String expectedName, String actualName) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < qs.size(); i++) {
      List<Hit> e = expected.get(i);
      List<Hit> a = actual.get(i);
      if (!e.equals(a)) {
        StringBuilder sb = new StringBuilder("query " + i + " (" + qs.get(i).label() + ", nprobes " + nprobes + "):");
        for (int j = 0; j < Math.max(e.size(), a.size()); j++) {
          Hit x = j < e.size() ? e.get(j) : null;
          Hit y = j < a.size() ? a.get(j) : null;
          if (x == null || !x.equals(y)) {
            sb.append("\n    rank ").append(j).append(": ").append(expectedName).append(' ').append(fmt(x))
                .append(" vs ").append(actualName).append(' ').append(fmt(y));
          }
        }
        out.add(sb.toString());
      }
    }
    return out;
  }

  private static String fmt(Hit h) {
    if (h == null) {
      return "(none)";
    }
    return "id " + h.id() + " dist " + h.distance() + " (bits " + Integer.toHexString(Float.floatToRawIntBits(h.distance()))
        + ") rowid " + (h.rowId() >>> 32) + ":" + (h.rowId() & 0xFFFFFFFFL);
  }

  /** Exact top-k ids by brute force (l2: squared distance; cosine: 1 - cos; dot: -dot). */
  static List<long[]> groundTruth(Base b, DistanceType dt, List<QueryVec> qs) {
    List<long[]> out = new ArrayList<>();
    for (QueryVec q : qs) {
      double[] best = new double[K];
      long[] top = new long[K];
      Arrays.fill(best, Double.POSITIVE_INFINITY);
      for (int i = 0; i < b.vectors().length; i++) {
        double d = distance(dt, q.v(), b.vectors()[i]);
        if (d < best[K - 1]) {
          int j = K - 1;
          while (j > 0 && best[j - 1] > d) {
            best[j] = best[j - 1];
            top[j] = top[j - 1];
            j--;
          }
          best[j] = d;
          top[j] = i;
        }
      }
      out.add(top);
    }
    return out;
  }

  static double distance(DistanceType dt, float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    double l2 = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
      double x = a[i] - b[i];
      l2 += x * x;
    }
    if (dt == DistanceType.Cosine) {
      return 1 - dot / Math.sqrt(na * nb);
    }
    if (dt == DistanceType.Dot) {
      return -dot;
    }
    return l2;
  }

  /** Mean recall@K of {@code results} against {@code truth}. */
  static double recall(List<List<Hit>> results, List<long[]> truth) {
    double sum = 0;
    for (int i = 0; i < results.size(); i++) {
      Set<Long> t = new HashSet<>();
      for (long id : truth.get(i)) {
        t.add(id);
      }
      long found = results.get(i).stream().filter(h -> t.contains(h.id())).count();
      sum += found / (double) K;
    }
    return sum / results.size();
  }

  // ------------------------------------------------------------------ aux rows, read with our reader

  /** A segment's storage: per partition the row ids and the logical (un-transposed) vector/code bytes per row. */
  record AuxDump(String label, dev.lancemerge.kernel.vector.IndexType type, String distance, Quantizer quantizer,
      long[] lengths, List<long[]> rowIds, List<byte[][]> rows) {
    long totalRows() {
      return Arrays.stream(lengths).sum();
    }
  }

  static AuxDump dump(String label, Path segmentDir) throws IOException {
    try (VectorSegment s = VectorSegment.open(segmentDir)) {
      int n = s.partitions();
      long[] lengths = new long[n];
      List<long[]> ids = new ArrayList<>();
      List<byte[][]> rows = new ArrayList<>();
      Quantizer q = s.quantizer();
      int width = q.codeBytes();
      for (int p = 0; p < n; p++) {
        long off = s.offset(p);
        int len = (int) s.length(p);
        lengths[p] = len;
        long[] pid = new long[len];
        byte[][] prow = new byte[len][];
        if (len > 0) {
          ColumnData idc = s.aux().readData(s.rowIdField(), off, off + len);
          ByteBuffer bb = ByteBuffer.wrap(idc.values()).order(ByteOrder.LITTLE_ENDIAN);
          for (int i = 0; i < len; i++) {
            pid[i] = bb.getLong(i * 8);
          }
          ColumnData vc = s.aux().readData(s.vectorField(), off, off + len);
          byte[] flat = Arrays.copyOf(vc.child().values(), len * width);
          boolean transposed = q instanceof Quantizer.Pq pq && pq.transposed();
          for (int i = 0; i < len; i++) {
            prow[i] = new byte[width];
            for (int j = 0; j < width; j++) {
              prow[i][j] = transposed ? flat[j * len + i] : flat[i * width + j];
            }
          }
        }
        ids.add(pid);
        rows.add(prow);
      }
      return new AuxDump(label, s.type(), s.distance().text(), q, lengths, ids, rows);
    }
  }

  /**
   * Differences between two dumps (partition count and lengths, then per partition and row the {@code _rowid}
   * and, if {@code codes}, the vector/code bytes), at most {@code limit} lines; empty if equal.
   */
  static List<String> auxDifferences(AuxDump exp, AuxDump act, boolean codes, int limit) {
    List<String> out = new ArrayList<>();
    String vcol = exp.quantizer().column();
    if (exp.lengths().length != act.lengths().length) {
      out.add("partitions: " + exp.label() + " " + exp.lengths().length + ", " + act.label() + " " + act.lengths().length);
      return out;
    }
    for (int p = 0; p < exp.lengths().length && out.size() < limit; p++) {
      if (exp.lengths()[p] != act.lengths()[p]) {
        out.add("partition " + p + ": " + exp.label() + " has " + exp.lengths()[p] + " rows, " + act.label() + " "
            + act.lengths()[p]);
        continue;
      }
      for (int i = 0; i < exp.lengths()[p] && out.size() < limit; i++) {
        long a = exp.rowIds().get(p)[i];
        long b = act.rowIds().get(p)[i];
        if (a != b) {
          out.add("partition " + p + " row " + i + ": _rowid " + exp.label() + " " + addr(a) + ", " + act.label() + " "
              + addr(b));
        } else if (codes && !Arrays.equals(exp.rows().get(p)[i], act.rows().get(p)[i])) {
          out.add("partition " + p + " row " + i + " (_rowid " + addr(a) + "): " + vcol + " " + exp.label() + " "
              + hex(exp.rows().get(p)[i]) + ", " + act.label() + " " + hex(act.rows().get(p)[i]));
        }
      }
    }
    return out;
  }

  static String addr(long rowId) {
    return "frag " + (rowId >>> 32) + " offset " + (rowId & 0xFFFFFFFFL);
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(b.length, 24); i++) {
      sb.append(String.format("%02x", b[i]));
    }
    return sb.append(b.length > 24 ? "..." : "").toString();
  }

  /** The IVF buffer named by {@code lance:ivf} of a Lance file, read with our reader. */
  static IVF ivfOf(Path file) throws IOException {
    try (LanceFileReader r = LanceFileReader.open(file)) {
      String idx = r.metadata().get("lance:ivf");
      if (idx == null) {
        throw new AssertionError(file + " has no lance:ivf");
      }
      return IVF.parseFrom(r.readGlobalBuffer(Integer.parseInt(idx.trim())));
    }
  }

  static Map<String, String> metadataOf(Path file) throws IOException {
    try (LanceFileReader r = LanceFileReader.open(file)) {
      return new LinkedHashMap<>(r.metadata());
    }
  }

  static JsonNode json(String s) throws IOException {
    return JSON.readTree(s);
  }
}
