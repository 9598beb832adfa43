package dev.lancemerge.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.WriteParams;
import org.lance.index.DistanceType;
import org.lance.index.Index;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.vector.IvfBuildParams;
import org.lance.index.vector.PQBuildParams;
import org.lance.index.vector.VectorIndexParams;
import org.lance.index.vector.VectorTrainer;

/**
 * Runtime helpers of {@code bench merge} that build inputs with real Lance (lance-core's API, as the
 * distributed segment flow does): a dataset of one fragment per segment, IVF centroids and a PQ codebook
 * trained once, and one uncommitted index segment per fragment under {@code <dataset>/_indices/<uuid>/}.
 */
final class BenchIndexes {
  /** IVF training: Lance's k-means on a sample of {@code partitions x 256} rows (its default sample rate). */
  static final int IVF_MAX_ITERS = 20;
  /**
   * PQ training samples {@code 256 x PQ_SAMPLE_RATE} rows and runs {@code PQ_MAX_ITERS} k-means iterations:
   * enough for a working codebook, whose quality the merge timing does not depend on (Lance's defaults, 256
   * and 50, take about 40 s on 1M x 128).
   */
  static final int PQ_SAMPLE_RATE = 64;
  static final int PQ_MAX_ITERS = 10;

  private BenchIndexes() {}

  /** Creates a dataset at {@code dir} with one fragment per entry of {@code fragmentRows} (ids consecutive from 0). */
  static Dataset createDataset(Path dir, BufferAllocator allocator, int dim, long seed, long[] fragmentRows) {
    String uri = dir.toAbsolutePath().toString();
    long start = 0;
    for (int i = 0; i < fragmentRows.length; i++) {
      try (VectorDataReader reader = new VectorDataReader(allocator, dim, seed, start, fragmentRows[i])) {
        Dataset.write().allocator(allocator).reader(reader).uri(uri)
            .mode(i == 0 ? WriteParams.WriteMode.CREATE : WriteParams.WriteMode.APPEND)
            .maxRowsPerFile((int) Math.max(1, fragmentRows[i])).execute().close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      start += fragmentRows[i];
    }
    return open(dir, allocator);
  }

  static Dataset open(Path dir, BufferAllocator allocator) {
    return Dataset.open().allocator(allocator).uri(dir.toAbsolutePath().toString()).build();
  }

  static List<Integer> fragmentIds(Dataset ds) {
    List<Integer> ids = new ArrayList<>();
    for (Fragment f : ds.getFragments()) {
      ids.add(f.getId());
    }
    return ids;
  }

  /** Row counts of {@code segments} fragments adding up to {@code rows}, as even as possible. */
  static long[] split(long rows, int segments) {
    long[] out = new long[segments];
    for (int i = 0; i < segments; i++) {
      out[i] = rows * (i + 1) / segments - rows * i / segments;
    }
    return out;
  }

  static float[] trainIvf(Dataset ds, int partitions) {
    IvfBuildParams p = new IvfBuildParams.Builder().setNumPartitions(partitions).setMaxIters(IVF_MAX_ITERS).build();
    return VectorTrainer.trainIvfCentroids(ds, VectorDataReader.VEC, p, DistanceType.L2);
  }

  static float[] trainPq(Dataset ds, int subVectors) {
    PQBuildParams p = new PQBuildParams.Builder().setNumSubVectors(subVectors).setNumBits(8)
        .setSampleRate(PQ_SAMPLE_RATE).setMaxIters(PQ_MAX_ITERS).build();
    return VectorTrainer.trainPqCodebook(ds, VectorDataReader.VEC, p, DistanceType.L2);
  }

  /** Parameters of a per-fragment IVF_FLAT or IVF_PQ build with precomputed centroids (and codebook), l2. */
  static IndexParams params(IndexType type, int partitions, float[] centroids, int subVectors, float[] codebook) {
    IvfBuildParams ivf = new IvfBuildParams.Builder().setNumPartitions(partitions).setMaxIters(IVF_MAX_ITERS)
        .setCentroids(centroids).build();
    VectorIndexParams.Builder vp = new VectorIndexParams.Builder(ivf).setDistanceType(DistanceType.L2);
    if (type == IndexType.IVF_PQ) {
      vp.setPqParams(new PQBuildParams.Builder().setNumSubVectors(subVectors).setNumBits(8).setCodebook(codebook).build());
    } else if (type != IndexType.IVF_FLAT) {
      throw new IllegalArgumentException("bench merge builds IVF_FLAT or IVF_PQ, not " + type);
    }
    return IndexParams.builder().setVectorIndexParams(vp.build()).build();
  }

  /** Builds one uncommitted segment per fragment (a fresh uuid each). */
  static List<Index> buildSegments(Dataset ds, String indexName, IndexType type, IndexParams params, List<Integer> fids) {
    List<Index> out = new ArrayList<>();
    for (int fid : fids) {
      out.add(ds.createIndex(IndexOptions.builder(List.of(VectorDataReader.VEC), type, params)
          .withIndexName(indexName).withFragmentIds(List.of(fid)).build()));
    }
    return out;
  }

  /** {@code <dataset>/_indices/<uuid>/}. */
  static Path segmentDir(Path datasetDir, UUID uuid) {
    return datasetDir.resolve("_indices").resolve(uuid.toString());
  }

  /** What lance-core needs to merge an uncommitted segment again in a later run, as JSON. */
  static ObjectNode describe(Index index) {
    ObjectNode o = Json.object();
    o.put("uuid", index.uuid().toString()).put("name", index.name()).put("datasetVersion", index.datasetVersion())
        .put("indexVersion", index.indexVersion());
    ArrayNode fields = o.putArray("fields");
    index.fields().forEach(fields::add);
    ArrayNode fragments = o.putArray("fragments");
    index.fragments().orElse(List.of()).forEach(fragments::add);
    index.indexDetails().ifPresent(d -> o.put("indexDetails", Base64.getEncoder().encodeToString(d)));
    return o;
  }

  /** The {@link Index} {@link #describe} described. */
  static Index index(JsonNode o) {
    List<Integer> fields = new ArrayList<>();
    o.get("fields").forEach(f -> fields.add(f.asInt()));
    List<Integer> fragments = new ArrayList<>();
    o.get("fragments").forEach(f -> fragments.add(f.asInt()));
    Index.Builder b = Index.builder().uuid(UUID.fromString(o.get("uuid").asText())).name(o.get("name").asText())
        .fields(fields).datasetVersion(o.get("datasetVersion").asLong()).fragments(fragments)
        .indexVersion(o.get("indexVersion").asInt()).indexType(IndexType.VECTOR);
    if (o.hasNonNull("indexDetails")) {
      b.indexDetails(Base64.getDecoder().decode(o.get("indexDetails").asText()));
    }
    return b.build();
  }
}
