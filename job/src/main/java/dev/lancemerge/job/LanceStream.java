package dev.lancemerge.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.WriteParams;
import org.lance.index.DistanceType;
import org.lance.index.Index;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.scalar.ZoneMapIndexParams;
import org.lance.index.vector.IvfBuildParams;
import org.lance.index.vector.VectorIndexParams;
import org.lance.index.vector.VectorTrainer;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

/**
 * A growing Lance dataset built with real Lance (lance-core), as a distributed index build sees it: rows are appended
 * one fragment at a time ({@code id}, {@code vec} float32[dim], {@code ts}), IVF centroids are trained once, and each
 * new fragment gets its own uncommitted index segments ({@code createIndex(...withFragmentIds(fid))}), which are then
 * committed with {@code commitExistingIndexSegments}. Used by {@code demo} and {@code bench job}.
 *
 * <p>One handle; not thread-safe. Commits retry when Lance reports a conflict with a concurrent commit (the merge job
 * commits to the same indexes).
 */
final class LanceStream implements AutoCloseable {
  static final String VEC = VectorDataReader.VEC;
  static final String TS = VectorDataReader.TS;
  static final String ID = VectorDataReader.ID;

  private final Path dir;
  private final int dim;
  private final long seed;
  private final BufferAllocator allocator = new RootAllocator();
  private Dataset ds;
  private long nextId;
  private float[] centroids;
  private int partitions;

  private LanceStream(Path dir, int dim, long seed) {
    this.dir = dir.toAbsolutePath().normalize();
    this.dim = dim;
    this.seed = seed;
  }

  /** Creates the dataset with one fragment per entry of {@code fragmentRows}. */
  static LanceStream create(Path dir, int dim, long seed, long... fragmentRows) {
    LanceStream s = new LanceStream(dir, dim, seed);
    for (long rows : fragmentRows) {
      s.append(rows);
    }
    return s;
  }

  /** Opens an existing dataset made by {@link #create} (rows appended later continue after its last id). */
  static LanceStream open(Path dir, int dim, long seed) {
    LanceStream s = new LanceStream(dir, dim, seed);
    s.ds = Dataset.open().allocator(s.allocator).uri(s.dir.toString()).build();
    s.nextId = s.ds.countRows();
    return s;
  }

  Path dir() {
    return dir;
  }

  Dataset dataset() {
    ds.checkoutLatest();
    return ds;
  }

  long rows() {
    return nextId;
  }

  /** Appends one fragment of {@code rows} rows; returns its fragment id. */
  int append(long rows) {
    try (VectorDataReader reader = new VectorDataReader(allocator, dim, seed, nextId, rows, true)) {
      Dataset.write().allocator(allocator).reader(reader).uri(dir.toString())
          .mode(ds == null ? WriteParams.WriteMode.CREATE : WriteParams.WriteMode.APPEND)
          .maxRowsPerFile((int) Math.max(1, rows)).execute().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    nextId += rows;
    if (ds == null) {
      ds = Dataset.open().allocator(allocator).uri(dir.toString()).build();
    }
    ds.checkoutLatest();
    int max = -1;
    for (Fragment f : ds.getFragments()) {
      max = Math.max(max, f.getId());
    }
    return max;
  }

  List<Integer> fragmentIds() {
    List<Integer> ids = new ArrayList<>();
    for (Fragment f : dataset().getFragments()) {
      ids.add(f.getId());
    }
    return ids;
  }

  /** Trains IVF centroids once on the rows so far (Lance's k-means, l2). */
  void trainIvf(int numPartitions) {
    IvfBuildParams p = new IvfBuildParams.Builder().setNumPartitions(numPartitions).setMaxIters(20).build();
    centroids = VectorTrainer.trainIvfCentroids(dataset(), VEC, p, DistanceType.L2);
    partitions = numPartitions;
  }

  void useIvf(float[] centroids, int numPartitions) {
    this.centroids = centroids;
    this.partitions = numPartitions;
  }

  float[] centroids() {
    return centroids;
  }

  /**
   * An uncommitted IVF_FLAT segment of {@code index} on {@code vec} covering fragment {@code fid}. Once the index has
   * committed segments, lance-core 7.0.0 refuses {@code createIndex} with its name ("Index name ... already exists")
   * unless {@code replace(true)}; with {@code withFragmentIds} that still only builds an uncommitted segment (the
   * committed ones stay until {@link #commit}).
   */
  Index vectorSegment(String index, int fid) {
    IvfBuildParams ivf = new IvfBuildParams.Builder().setNumPartitions(partitions).setMaxIters(20)
        .setCentroids(centroids).build();
    IndexParams params = IndexParams.builder()
        .setVectorIndexParams(new VectorIndexParams.Builder(ivf).setDistanceType(DistanceType.L2).build()).build();
    return dataset().createIndex(IndexOptions.builder(List.of(VEC), IndexType.IVF_FLAT, params)
        .withIndexName(index).withFragmentIds(List.of(fid)).replace(true).build());
  }

  /** An uncommitted ZoneMap segment of {@code index} on {@code ts} covering fragment {@code fid}. */
  Index zoneMapSegment(String index, int fid, long rowsPerZone) {
    IndexParams params = IndexParams.builder()
        .setScalarIndexParams(ZoneMapIndexParams.builder().rowsPerZone(rowsPerZone).build()).build();
    return dataset().createIndex(IndexOptions.builder(List.of(TS), IndexType.ZONEMAP, params)
        .withIndexName(index).withFragmentIds(List.of(fid)).replace(true).build());
  }

  /** Commits segments of {@code index} on {@code column}, retrying on commit conflicts. */
  void commit(String index, String column, List<Index> segments) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        dataset().commitExistingIndexSegments(index, column, segments);
        return;
      } catch (RuntimeException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (!m.contains("conflict") && !m.contains("retry")) {
          throw e;
        }
        last = e;
        try {
          Thread.sleep(50L * (attempt + 1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }

  /** One k-NN result. */
  record Hit(long id, float distance) {}

  /** The {@code k} nearest rows to the vector of row {@code id} (index used, {@code nprobes} partitions). */
  List<Hit> knnOfRow(long id, int k, int nprobes) throws IOException {
    Query q = new Query.Builder().setColumn(VEC).setKey(VectorDataReader.vectorOf(seed, id, dim)).setK(k)
        .setNprobes(nprobes).build();
    ScanOptions opts = new ScanOptions.Builder().nearest(q).columns(List.of(ID, "_distance")).build();
    List<Hit> hits = new ArrayList<>();
    try (LanceScanner scanner = dataset().newScan(opts); ArrowReader r = scanner.scanBatches()) {
      while (r.loadNextBatch()) {
        VectorSchemaRoot b = r.getVectorSchemaRoot();
        BigIntVector ids = (BigIntVector) b.getVector(ID);
        FieldVector dist = b.getVector("_distance");
        for (int i = 0; i < b.getRowCount(); i++) {
          hits.add(new Hit(ids.get(i), ((Float4Vector) dist).get(i)));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    return hits;
  }

  long countRows(String filter) {
    return dataset().countRows(filter);
  }

  long tsOf(long id) {
    return VectorDataReader.tsOf(seed, id);
  }

  @Override
  public void close() {
    if (ds != null) {
      ds.close();
    }
    allocator.close();
  }
}
