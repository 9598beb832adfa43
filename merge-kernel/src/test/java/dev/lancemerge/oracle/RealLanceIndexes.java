package dev.lancemerge.oracle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.WriteParams;
import org.lance.index.DistanceType;
import org.lance.index.Index;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.scalar.ZoneMapIndexParams;
import org.lance.index.scalar.ZoneStats;
import org.lance.index.vector.HnswBuildParams;
import org.lance.index.vector.IvfBuildParams;
import org.lance.index.vector.PQBuildParams;
import org.lance.index.vector.SQBuildParams;
import org.lance.index.vector.VectorIndexParams;
import org.lance.index.vector.VectorTrainer;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

/**
 * Oracle helpers: build a small deterministic Lance dataset and per-fragment index segments with real
 * lance-core 7.0.0 (the distributed "segment" flow), then commit and query them. See NOTES.md.
 */
public final class RealLanceIndexes {

  private RealLanceIndexes() {}

  /** Column names of the generated dataset. */
  public static final String ID = "id";
  public static final String VEC = "vec";
  public static final String I32 = "i32";
  public static final String I64 = "i64";
  public static final String F32 = "f32";
  public static final String STR = "str";
  public static final String TS = "ts";

  /** Number of Gaussian clusters the generated vectors are drawn around (so IVF partitions are meaningful). */
  public static final int CLUSTERS = 16;

  /** Base of the {@code ts} column: 2024-01-01T00:00:00Z in microseconds. */
  public static final long TS_BASE_MICROS = 1_704_067_200_000_000L;

  /** Trained IVF model: centroids are row-major [numPartitions, dim]. */
  public record IvfModel(DistanceType distanceType, int numPartitions, float[] centroids) {}

  /** Trained PQ codebook: row-major float32 [2^numBits, dim] as returned by {@code trainPqCodebook}. */
  public record PqModel(int numSubVectors, int numBits, float[] codebook) {}

  /** One uncommitted index segment: the {@code Index} Lance returned and its directory {@code <ds>/_indices/<uuid>/}. */
  public record Segment(Index index, Path dir) {}

  /** One k-NN result row. */
  public record Hit(long id, float distance, long rowId) {}

  // ---------------------------------------------------------------- data

  /** Arrow schema of the generated data: id, vec FSL<f32>[dim], and nullable scalar columns for ZoneMap tests. */
  public static Schema schema(int dim) {
    Field item = new Field("item", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    return new Schema(List.of(
        new Field(ID, FieldType.notNullable(new ArrowType.Int(64, true)), null),
        new Field(VEC, FieldType.nullable(new ArrowType.FixedSizeList(dim)), List.of(item)),
        Field.nullable(I32, new ArrowType.Int(32, true)),
        Field.nullable(I64, new ArrowType.Int(64, true)),
        Field.nullable(F32, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
        Field.nullable(STR, ArrowType.Utf8.INSTANCE),
        Field.nullable(TS, new ArrowType.Timestamp(TimeUnit.MICROSECOND, null))));
  }

  /** The vector of row {@code id}: a pure function of (seed, id, dim), so tests can recompute any row's vector. */
  public static float[] vectorFor(long seed, long id, int dim) {
    Random centers = new Random(seed);
    Random row = rowRandom(seed, id);
    int cluster = row.nextInt(CLUSTERS);
    float[] c = new float[dim];
    for (int k = 0; k <= cluster; k++) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) centers.nextGaussian();
      }
    }
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = c[d] + 0.25f * (float) row.nextGaussian();
    }
    return v;
  }

  /**
   * Generates rows [startId, startId+n) deterministically from (seed, id): i32/i64/f32/str/ts each have nulls
   * (id%7==3, id%11==5, id%13==1, id%17==2, id%19==4), f32 has NaN at id%23==7.
   */
  public static VectorSchemaRoot generate(BufferAllocator allocator, int dim, long seed, long startId, int n) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema(dim), allocator);
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector(ID);
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector(VEC);
    Float4Vector vecData = (Float4Vector) vec.getDataVector();
    IntVector i32 = (IntVector) root.getVector(I32);
    BigIntVector i64 = (BigIntVector) root.getVector(I64);
    Float4Vector f32 = (Float4Vector) root.getVector(F32);
    VarCharVector str = (VarCharVector) root.getVector(STR);
    TimeStampMicroVector ts = (TimeStampMicroVector) root.getVector(TS);
    vecData.setInitialCapacity(n * dim);
    vecData.allocateNew();
    for (int r = 0; r < n; r++) {
      long rid = startId + r;
      Random rnd = rowRandom(seed ^ 0x5DEECE66DL, rid);
      id.setSafe(r, rid);
      vec.setNotNull(r);
      float[] v = vectorFor(seed, rid, dim);
      for (int d = 0; d < dim; d++) {
        vecData.setSafe(r * dim + d, v[d]);
      }
      if (rid % 7 == 3) {
        i32.setNull(r);
      } else {
        i32.setSafe(r, rnd.nextInt(2_000_001) - 1_000_000);
      }
      if (rid % 11 == 5) {
        i64.setNull(r);
      } else {
        i64.setSafe(r, rid * 1_000_003L - (long) rnd.nextInt(1000));
      }
      if (rid % 13 == 1) {
        f32.setNull(r);
      } else if (rid % 23 == 7) {
        f32.setSafe(r, Float.NaN);
      } else {
        f32.setSafe(r, (float) rnd.nextGaussian() * 100f);
      }
      if (rid % 17 == 2) {
        str.setNull(r);
      } else {
        str.setSafe(r, ("s" + (char) ('a' + rnd.nextInt(26)) + rid).getBytes(StandardCharsets.UTF_8));
      }
      if (rid % 19 == 4) {
        ts.setNull(r);
      } else {
        ts.setSafe(r, TS_BASE_MICROS + rid * 1_000_000L + rnd.nextInt(1_000_000));
      }
    }
    for (FieldVector fv : root.getFieldVectors()) {
      fv.setValueCount(n);
    }
    vecData.setValueCount(n * dim);
    root.setRowCount(n);
    return root;
  }

  /**
   * Creates a dataset at {@code dir} with one fragment per entry of {@code fragmentRows} (one append each, so sizes
   * can be uneven; ids are consecutive from 0), with Lance data storage version {@code dataVersion} (null = default).
   */
  public static Dataset createDataset(
      Path dir, BufferAllocator allocator, int dim, long seed, String dataVersion, int... fragmentRows)
      throws IOException {
    if (fragmentRows.length == 0) {
      throw new IllegalArgumentException("need at least one fragment");
    }
    long start = 0;
    for (int i = 0; i < fragmentRows.length; i++) {
      WriteParams.WriteMode mode = i == 0 ? WriteParams.WriteMode.CREATE : WriteParams.WriteMode.APPEND;
      try (VectorSchemaRoot batch = generate(allocator, dim, seed, start, fragmentRows[i]);
          ArrowReader reader = readerOf(batch, allocator)) {
        var b = Dataset.write().allocator(allocator).reader(reader).uri(dir.toAbsolutePath().toString())
            .mode(mode).maxRowsPerFile(Math.max(1, fragmentRows[i]));
        if (dataVersion != null) {
          b.dataStorageVersion(dataVersion);
        }
        b.execute().close();
      }
      start += fragmentRows[i];
    }
    return openDataset(dir, allocator);
  }

  /**
   * Creates a dataset at {@code dir} from caller-made batches (any schema, all batches the same), one fragment per
   * batch (one append each), with Lance's default data storage version; the caller keeps ownership of the batches.
   */
  public static Dataset createDatasetFromBatches(Path dir, BufferAllocator allocator, List<VectorSchemaRoot> fragments)
      throws IOException {
    if (fragments.isEmpty()) {
      throw new IllegalArgumentException("need at least one fragment");
    }
    for (int i = 0; i < fragments.size(); i++) {
      WriteParams.WriteMode mode = i == 0 ? WriteParams.WriteMode.CREATE : WriteParams.WriteMode.APPEND;
      try (ArrowReader reader = readerOf(fragments.get(i), allocator)) {
        Dataset.write().allocator(allocator).reader(reader).uri(dir.toAbsolutePath().toString()).mode(mode)
            .maxRowsPerFile(Math.max(1, fragments.get(i).getRowCount())).execute().close();
      }
    }
    return openDataset(dir, allocator);
  }

  /** Opens the latest version of the dataset at {@code dir} (the caller closes it). */
  public static Dataset openDataset(Path dir, BufferAllocator allocator) {
    return Dataset.open().allocator(allocator).uri(dir.toAbsolutePath().toString()).build();
  }

  /** Fragment ids of the dataset's current version, in manifest order. */
  public static List<Integer> fragmentIds(Dataset ds) {
    List<Integer> ids = new ArrayList<>();
    for (Fragment f : ds.getFragments()) {
      ids.add(f.getId());
    }
    return ids;
  }

  // ---------------------------------------------------------------- training and parameters

  /** Trains IVF centroids once on the whole column (the driver step of a distributed build). */
  public static IvfModel trainIvf(Dataset ds, String column, int numPartitions, DistanceType dt) {
    IvfBuildParams p = new IvfBuildParams.Builder().setNumPartitions(numPartitions).setMaxIters(20).build();
    return new IvfModel(dt, numPartitions, VectorTrainer.trainIvfCentroids(ds, column, p, dt));
  }

  /** Trains a PQ codebook once on the whole column ({@code numBits} 8 or 4). */
  public static PqModel trainPq(Dataset ds, String column, int numSubVectors, int numBits, DistanceType dt) {
    PQBuildParams p = new PQBuildParams.Builder().setNumSubVectors(numSubVectors).setNumBits(numBits).build();
    return new PqModel(numSubVectors, numBits, VectorTrainer.trainPqCodebook(ds, column, p, dt));
  }

  /**
   * Index parameters for a segment build with precomputed centroids (and codebook): {@code type} is one of
   * IVF_FLAT, IVF_SQ, IVF_PQ, IVF_HNSW_SQ, IVF_HNSW_PQ; {@code pq} is required for the PQ kinds, ignored otherwise.
   */
  public static IndexParams vectorParams(IndexType type, IvfModel ivf, PqModel pq) {
    IvfBuildParams ivfp = new IvfBuildParams.Builder().setNumPartitions(ivf.numPartitions()).setMaxIters(20)
        .setCentroids(ivf.centroids()).build();
    VectorIndexParams vp = switch (type) {
      case IVF_FLAT -> new VectorIndexParams.Builder(ivfp).setDistanceType(ivf.distanceType()).build();
      case IVF_SQ -> new VectorIndexParams.Builder(ivfp).setDistanceType(ivf.distanceType())
          .setSqParams(new SQBuildParams.Builder().setNumBits((short) 8).build()).build();
      case IVF_PQ -> new VectorIndexParams.Builder(ivfp).setDistanceType(ivf.distanceType())
          .setPqParams(pqParams(pq)).build();
      case IVF_HNSW_SQ -> VectorIndexParams.withIvfHnswSqParams(ivf.distanceType(), ivfp, hnswParams(),
          new SQBuildParams.Builder().setNumBits((short) 8).build());
      case IVF_HNSW_PQ -> VectorIndexParams.withIvfHnswPqParams(ivf.distanceType(), ivfp, hnswParams(), pqParams(pq));
      default -> throw new IllegalArgumentException("unsupported vector index type " + type);
    };
    return IndexParams.builder().setVectorIndexParams(vp).build();
  }

  private static PQBuildParams pqParams(PqModel pq) {
    if (pq == null) {
      throw new IllegalArgumentException("PQ index needs a trained PqModel");
    }
    return new PQBuildParams.Builder().setNumSubVectors(pq.numSubVectors()).setNumBits(pq.numBits())
        .setCodebook(pq.codebook()).build();
  }

  private static HnswBuildParams hnswParams() {
    return new HnswBuildParams.Builder().setM(16).setEfConstruction(100).setMaxLevel((short) 7).build();
  }

  // ---------------------------------------------------------------- segments

  /** Directory of an index segment: {@code <datasetDir>/_indices/<uuid>/}. */
  public static Path segmentDir(Path datasetDir, Index index) {
    return datasetDir.resolve("_indices").resolve(index.uuid().toString());
  }

  /** Builds one uncommitted segment of {@code indexName} on {@code column} covering only fragment {@code fid}. */
  public static Segment buildSegment(
      Dataset ds, Path datasetDir, String column, String indexName, IndexType type, IndexParams params, int fid) {
    Index idx = ds.createIndex(IndexOptions.builder(List.of(column), type, params)
        .withIndexName(indexName).withFragmentIds(List.of(fid)).build());
    Path dir = segmentDir(datasetDir, idx);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("segment directory not found: " + dir);
    }
    return new Segment(idx, dir);
  }

  /** Builds one uncommitted vector segment per fragment in {@code fids} (one worker's job each; fresh uuid each). */
  public static List<Segment> buildVectorSegments(
      Dataset ds, Path datasetDir, String column, String indexName, IndexType type, IndexParams params,
      List<Integer> fids) {
    List<Segment> out = new ArrayList<>();
    for (int fid : fids) {
      out.add(buildSegment(ds, datasetDir, column, indexName, type, params, fid));
    }
    return out;
  }

  /** Builds one uncommitted ZoneMap segment per fragment ({@code zonemap.lance}) with the given rows per zone. */
  public static List<Segment> buildZoneMapSegments(
      Dataset ds, Path datasetDir, String column, String indexName, long rowsPerZone, List<Integer> fids) {
    IndexParams params = IndexParams.builder()
        .setScalarIndexParams(ZoneMapIndexParams.builder().rowsPerZone(rowsPerZone).build()).build();
    List<Segment> out = new ArrayList<>();
    for (int fid : fids) {
      out.add(buildSegment(ds, datasetDir, column, indexName, IndexType.ZONEMAP, params, fid));
    }
    return out;
  }

  /** Commits segments (fragments must be disjoint) as index {@code indexName} on {@code column}; returns Lance's list. */
  public static List<Index> commitSegments(Dataset ds, String indexName, String column, List<Segment> segments) {
    List<Index> idx = new ArrayList<>();
    for (Segment s : segments) {
      idx.add(s.index());
    }
    List<Index> committed = ds.commitExistingIndexSegments(indexName, column, idx);
    ds.checkoutLatest();
    return committed;
  }

  /**
   * Lance's own merge ({@code mergeExistingIndexSegments}) of uncommitted segments of {@code ds}, in the order
   * given, into a new segment {@code <datasetDir>/_indices/<new uuid>/} (nothing committed, inputs left on disk).
   */
  public static Segment mergeWithLance(Dataset ds, Path datasetDir, List<Segment> segments) {
    List<Index> idx = new ArrayList<>();
    for (Segment s : segments) {
      idx.add(s.index());
    }
    Index merged = ds.mergeExistingIndexSegments(idx);
    Path dir = segmentDir(datasetDir, merged);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("merged segment directory not found: " + dir);
    }
    return new Segment(merged, dir);
  }

  /**
   * Commits a segment whose files someone else wrote to {@code <dataset>/_indices/<uuid>/} (e.g. our merger's
   * output) as index {@code indexName} on {@code column}, covering {@code fragments}; {@code fields},
   * {@code indexDetails} and {@code indexVersion} are copied from {@code template}, a segment of the same index
   * kind (see docs/lance-java.md, "Committing a segment written by someone else").
   */
  public static List<Index> commitForeignSegment(
      Dataset ds, String indexName, String column, UUID uuid, Index template, List<Integer> fragments) {
    Index.Builder b = Index.builder().uuid(uuid).name(indexName).fields(template.fields())
        .datasetVersion(ds.version()).fragments(fragments).indexVersion(template.indexVersion());
    template.indexDetails().ifPresent(b::indexDetails);
    List<Index> committed = ds.commitExistingIndexSegments(indexName, column, List.of(b.build()));
    ds.checkoutLatest();
    return committed;
  }

  /**
   * Copies the dataset at {@code src} to {@code dst} (which must not exist) without its {@code _indices}
   * directory, then copies each of {@code segmentDirs} to {@code dst/_indices/<its name>/}. Manifests hold
   * relative paths, so the copy is a dataset of its own: commits to it leave {@code src} untouched.
   */
  public static void copyDataset(Path src, Path dst, Collection<Path> segmentDirs) throws IOException {
    Path indices = src.resolve("_indices");
    try (Stream<Path> top = Files.list(src)) {
      Files.createDirectories(dst);
      for (Path p : (Iterable<Path>) top::iterator) {
        if (!p.equals(indices)) {
          copyTree(p, dst.resolve(p.getFileName().toString()));
        }
      }
    }
    for (Path seg : segmentDirs) {
      copyTree(seg, dst.resolve("_indices").resolve(seg.getFileName().toString()));
    }
  }

  /** Copies a file or a directory tree to {@code dst} (which must not exist). */
  public static void copyTree(Path src, Path dst) throws IOException {
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /**
   * Builds and commits ONE ZoneMap index of {@code column} over all fragments (a normal, non-distributed build)
   * with the given rows per zone; returns it with its directory {@code <datasetDir>/_indices/<uuid>/}.
   */
  public static Segment buildFullZoneMap(
      Dataset ds, Path datasetDir, String column, String indexName, long rowsPerZone) {
    IndexParams params = IndexParams.builder()
        .setScalarIndexParams(ZoneMapIndexParams.builder().rowsPerZone(rowsPerZone).build()).build();
    Index idx = ds.createIndex(IndexOptions.builder(List.of(column), IndexType.ZONEMAP, params)
        .withIndexName(indexName).build());
    ds.checkoutLatest();
    Path dir = segmentDir(datasetDir, idx);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("index directory not found: " + dir);
    }
    return new Segment(idx, dir);
  }

  // ---------------------------------------------------------------- queries

  /** Runs a k-NN query on {@code column}; {@code ef}/{@code refineFactor} null = not set (ef must be >= k for HNSW). */
  public static List<Hit> knn(
      Dataset ds, String column, float[] query, int k, int nprobes, Integer ef, Integer refineFactor)
      throws IOException {
    Query.Builder q = new Query.Builder().setColumn(column).setKey(query).setK(k).setNprobes(nprobes);
    if (ef != null) {
      q.setEf(ef);
    }
    if (refineFactor != null) {
      q.setRefineFactor(refineFactor);
    }
    ScanOptions opts = new ScanOptions.Builder().nearest(q.build()).columns(List.of(ID, "_distance"))
        .withRowId(true).build();
    List<Hit> hits = new ArrayList<>();
    try (LanceScanner scanner = ds.newScan(opts); ArrowReader r = scanner.scanBatches()) {
      while (r.loadNextBatch()) {
        VectorSchemaRoot b = r.getVectorSchemaRoot();
        BigIntVector ids = (BigIntVector) b.getVector(ID);
        Float4Vector dist = (Float4Vector) b.getVector("_distance");
        FieldVector rowIds = b.getVector("_rowid");
        for (int i = 0; i < b.getRowCount(); i++) {
          hits.add(new Hit(ids.get(i), dist.get(i), ((Number) rowIds.getObject(i)).longValue()));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    return hits;
  }

  /** Counts rows matching a SQL filter (uses committed scalar indexes such as ZoneMap when applicable). */
  public static long countRows(Dataset ds, String filter) {
    return ds.countRows(filter);
  }

  /** Per-zone statistics of the committed ZoneMap index on {@code column} (fragment, start, length, min, max, nulls). */
  public static List<ZoneStats> zonemapStats(Dataset ds, String column) {
    return ds.getZonemapStats(column);
  }

  // ---------------------------------------------------------------- internals

  private static Random rowRandom(long seed, long id) {
    long h = seed * 0x9E3779B97F4A7C15L + id * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 31;
    return new Random(h);
  }

  /** An ArrowReader over one batch (IPC round trip, which keeps the reader self-contained and closeable). */
  private static ArrowReader readerOf(VectorSchemaRoot batch, BufferAllocator allocator) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ArrowStreamWriter w = new ArrowStreamWriter(batch, null, bytes)) {
      w.start();
      w.writeBatch();
      w.end();
    }
    return new ArrowStreamReader(new ByteArrayInputStream(bytes.toByteArray()), allocator);
  }
}
