package dev.lancemerge.kernel.vector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.proto.index.IVF;
import dev.lancemerge.format.proto.index.Tensor;
import dev.lancemerge.kernel.MergeException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * One vector index segment on disk ({@code index.idx} + {@code auxiliary.idx}), opened and
 * described: index and distance type, IVF partition lengths and offsets, centroids, quantizer, and
 * the fragments its rows come from. Only metadata is read at open; rows are read by the merge.
 */
public final class VectorSegment implements Closeable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROW_ID_WINDOW = 1 << 16;

  private final Path dir;
  private final String name;
  private final LanceFileReader aux;
  private final IndexType type;
  private final DistanceType distance;
  private final long[] lengths;
  private final long[] offsets;
  private final Tensor centroids;
  private final Quantizer quantizer;
  private final int rowIdField;
  private final int vectorField;
  private final Map<String, String> indexMetadata;
  private SortedSet<Integer> fragments;
  private long minRowId = Long.MAX_VALUE;

  private VectorSegment(Path dir, LanceFileReader aux, Map<String, String> indexMetadata, IVF indexIvf) throws IOException {
    this.dir = dir;
    this.name = String.valueOf(dir.getFileName());
    this.aux = aux;
    this.indexMetadata = indexMetadata;
    Map<String, String> meta = aux.metadata();
    String dist = meta.get("distance_type");
    if (dist == null) {
      throw fail("auxiliary.idx has no distance_type");
    }
    try {
      this.distance = DistanceType.parse(dist);
    } catch (IllegalArgumentException e) {
      throw fail("auxiliary.idx distance_type '" + dist + "' is unknown");
    }
    IVF ivf = ivf(aux, meta.get("lance:ivf"), "auxiliary.idx");
    this.type = detectType(meta);
    int n = ivf.getLengthsCount();
    this.lengths = new long[n];
    this.offsets = new long[n];
    if (ivf.getOffsetsCount() != 0 && ivf.getOffsetsCount() != n) {
      throw fail("auxiliary.idx IVF has " + ivf.getOffsetsCount() + " offsets for " + n + " partitions");
    }
    long sum = 0;
    for (int p = 0; p < n; p++) {
      lengths[p] = Integer.toUnsignedLong(ivf.getLengths(p));
      offsets[p] = ivf.getOffsetsCount() == 0 ? sum : ivf.getOffsets(p);
      if (offsets[p] < 0 || offsets[p] + lengths[p] > aux.numRows()) {
        throw fail("auxiliary.idx IVF partition " + p + " rows [" + offsets[p] + ", " + (offsets[p] + lengths[p])
            + ") lie outside the file's " + aux.numRows() + " rows");
      }
      sum += lengths[p];
    }
    if (sum != aux.numRows()) {
      throw fail("auxiliary.idx IVF lengths add up to " + sum + " rows but the file has " + aux.numRows());
    }
    this.centroids = indexIvf != null && indexIvf.hasCentroidsTensor() ? indexIvf.getCentroidsTensor()
        : ivf.hasCentroidsTensor() ? ivf.getCentroidsTensor() : null;
    this.rowIdField = field("_rowid");
    this.quantizer = quantizer(meta);
    // RQ storage is not read: the plan refuses it before any row is touched.
    this.vectorField = type == IndexType.IVF_RQ ? -1 : field(quantizer.column());
  }

  /** Opens a segment directory; fails with a {@link MergeException} naming the segment and what is wrong. */
  public static VectorSegment open(Path dir) throws IOException {
    String name = String.valueOf(dir.getFileName());
    Path auxPath = dir.resolve("auxiliary.idx");
    if (!Files.isRegularFile(auxPath)) {
      throw new MergeException(name, Files.isDirectory(dir) ? "has no auxiliary.idx" : "is not a directory (" + dir + ")");
    }
    Map<String, String> indexMeta = Map.of();
    IVF indexIvf = null;
    Path indexPath = dir.resolve("index.idx");
    if (Files.isRegularFile(indexPath)) {
      try (LanceFileReader index = LanceFileReader.open(indexPath)) {
        indexMeta = index.metadata();
        if (indexMeta.containsKey("lance:ivf")) {
          indexIvf = ivf(index, indexMeta.get("lance:ivf"), "index.idx", name);
        }
      } catch (LanceFormatException e) {
        throw new MergeException(name, "index.idx: " + e.problem(), e);
      }
    }
    LanceFileReader aux;
    try {
      aux = LanceFileReader.open(auxPath);
    } catch (LanceFormatException e) {
      throw new MergeException(name, "auxiliary.idx: " + e.problem(), e);
    }
    try {
      return new VectorSegment(dir, aux, indexMeta, indexIvf);
    } catch (IOException | RuntimeException e) {
      aux.close();
      throw e;
    }
  }

  private IndexType detectType(Map<String, String> auxMeta) throws MergeException {
    String indexJson = indexMetadata.get("lance:index");
    if (indexJson == null) {
      indexJson = auxMeta.get("lance:index");
    }
    if (indexJson != null) {
      try {
        JsonNode n = JSON.readTree(indexJson);
        return IndexType.parse(n.path("type").asText());
      } catch (IOException | IllegalArgumentException e) {
        throw fail("lance:index '" + indexJson + "' does not name a known index type");
      }
    }
    boolean hnsw = indexMetadata.containsKey("lance:hnsw");
    if (auxMeta.containsKey("lance:rabit") || hasField("_rabit_codes")) {
      return IndexType.IVF_RQ;
    }
    if (auxMeta.containsKey("lance:pq") || hasField("__pq_code")) {
      return hnsw ? IndexType.IVF_HNSW_PQ : IndexType.IVF_PQ;
    }
    if (auxMeta.containsKey("lance:sq") || hasField("__sq_code")) {
      return hnsw ? IndexType.IVF_HNSW_SQ : IndexType.IVF_SQ;
    }
    return hnsw ? IndexType.IVF_HNSW_FLAT : IndexType.IVF_FLAT;
  }

  private Quantizer quantizer(Map<String, String> meta) throws IOException {
    if (type == IndexType.IVF_RQ) {
      return new Quantizer.Flat(0, 0); // refused by the plan before any row is read
    }
    String json = null;
    boolean pq = type == IndexType.IVF_PQ || type == IndexType.IVF_HNSW_PQ;
    boolean sq = type == IndexType.IVF_SQ || type == IndexType.IVF_HNSW_SQ;
    if (pq) {
      json = meta.get("lance:pq");
    } else if (sq) {
      json = meta.get("lance:sq");
    }
    if (json == null) {
      json = storageMetadata(meta);
    }
    try {
      if (pq) {
        Quantizer.PqJson j = JSON.readValue(json, Quantizer.PqJson.class);
        return new Quantizer.Pq(j.dimension(), j.numSubVectors(), j.nbits(), j.transposed(), codebook(j));
      }
      if (sq) {
        Quantizer.SqJson j = JSON.readValue(json, Quantizer.SqJson.class);
        if (j.bounds() == null) {
          throw fail("auxiliary.idx SQ metadata has no bounds");
        }
        return new Quantizer.Sq(j.dim(), j.numBits(), j.bounds().start(), j.bounds().end());
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw fail("auxiliary.idx quantizer metadata does not parse: " + e.getOriginalMessage());
    }
    Field flat = aux.schema().arrow().getFields().stream().filter(f -> f.getName().equals("flat")).findFirst()
        .orElseThrow(() -> fail("auxiliary.idx of an IVF_FLAT segment has no 'flat' column"));
    if (!(flat.getType() instanceof ArrowType.FixedSizeList fsl)) {
      throw fail("auxiliary.idx column 'flat' is " + flat.getType() + ", not a fixed-size list");
    }
    return new Quantizer.Flat(fsl.getListSize(), elementBytes(flat.getChildren().get(0).getType()));
  }

  private int elementBytes(ArrowType t) throws MergeException {
    if (t instanceof ArrowType.FloatingPoint fp) {
      return fp.getPrecision() == FloatingPointPrecision.HALF ? 2 : fp.getPrecision() == FloatingPointPrecision.SINGLE ? 4 : 8;
    }
    if (t instanceof ArrowType.Int i && i.getBitWidth() == 8) {
      return 1;
    }
    throw fail("auxiliary.idx column 'flat' holds " + t + " values");
  }

  private String storageMetadata(Map<String, String> meta) throws MergeException {
    String s = meta.get("storage_metadata");
    if (s == null) {
      throw fail("auxiliary.idx has no storage_metadata");
    }
    try {
      JsonNode arr = JSON.readTree(s);
      if (!arr.isArray() || arr.size() < 1 || !arr.get(0).isTextual()) {
        throw fail("auxiliary.idx storage_metadata is not a JSON array of strings");
      }
      return arr.get(0).asText();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw fail("auxiliary.idx storage_metadata does not parse: " + e.getOriginalMessage());
    }
  }

  private Tensor codebook(Quantizer.PqJson j) throws IOException {
    try {
      if (j.codebookPosition() > 0) {
        return Tensor.parseFrom(aux.readGlobalBuffer(j.codebookPosition()));
      }
      int[] inline = j.codebookTensor();
      if (inline == null || inline.length == 0) {
        throw fail("auxiliary.idx PQ metadata has neither a codebook buffer nor an inline codebook");
      }
      byte[] b = new byte[inline.length];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) inline[i];
      }
      return Tensor.parseFrom(b);
    } catch (InvalidProtocolBufferException e) {
      throw fail("auxiliary.idx PQ codebook does not parse as a Tensor");
    } catch (LanceFormatException e) {
      throw fail("auxiliary.idx PQ codebook: " + e.problem());
    }
  }

  private static IVF ivf(LanceFileReader file, String index, String what, String segment) throws IOException {
    if (index == null) {
      throw new MergeException(segment, what + " has no lance:ivf");
    }
    int i;
    try {
      i = Integer.parseInt(index.trim());
    } catch (NumberFormatException e) {
      throw new MergeException(segment, what + " lance:ivf '" + index + "' is not a buffer index");
    }
    try {
      return IVF.parseFrom(file.readGlobalBuffer(i));
    } catch (InvalidProtocolBufferException e) {
      throw new MergeException(segment, what + " IVF buffer " + i + " does not parse");
    } catch (LanceFormatException e) {
      throw new MergeException(segment, what + " IVF buffer: " + e.problem(), e);
    }
  }

  private IVF ivf(LanceFileReader file, String index, String what) throws IOException {
    return ivf(file, index, what, name);
  }

  private boolean hasField(String n) {
    return aux.schema().arrow().getFields().stream().anyMatch(f -> f.getName().equals(n));
  }

  private int field(String n) throws MergeException {
    var fields = aux.schema().arrow().getFields();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().equals(n)) {
        return i;
      }
    }
    throw fail("auxiliary.idx has no '" + n + "' column");
  }

  MergeException fail(String problem) {
    return new MergeException(name, problem);
  }

  /** Fragment ids of the rows ({@code _rowid >> 32}), read once in windows of 64k rows. */
  public synchronized SortedSet<Integer> fragments() throws IOException {
    if (fragments == null) {
      TreeSet<Integer> out = new TreeSet<>();
      long min = Long.MAX_VALUE;
      for (long a = 0; a < aux.numRows(); a += ROW_ID_WINDOW) {
        long b = Math.min(aux.numRows(), a + ROW_ID_WINDOW);
        min = FragmentCoverage.scan(this, aux.readData(rowIdField, a, b), out, min);
      }
      minRowId = min;
      fragments = Collections.unmodifiableSortedSet(out);
    }
    return fragments;
  }

  /** Smallest row id (unsigned), or all ones for an empty segment. */
  public long minRowId() throws IOException {
    fragments();
    return minRowId;
  }

  public Path dir() {
    return dir;
  }

  /** The directory name (the segment's uuid for segments under {@code _indices/}). */
  public String name() {
    return name;
  }

  public LanceFileReader aux() {
    return aux;
  }

  public IndexType type() {
    return type;
  }

  public DistanceType distance() {
    return distance;
  }

  public int partitions() {
    return lengths.length;
  }

  public long length(int partition) {
    return lengths[partition];
  }

  public long offset(int partition) {
    return offsets[partition];
  }

  public long rows() {
    return aux.numRows();
  }

  /** Centroids from {@code index.idx} (or the aux IVF), or null if the segment has none. */
  public Tensor centroids() {
    return centroids;
  }

  public Quantizer quantizer() {
    return quantizer;
  }

  public int rowIdField() {
    return rowIdField;
  }

  public int vectorField() {
    return vectorField;
  }

  /** Schema metadata of {@code index.idx} (empty if absent). */
  public Map<String, String> indexMetadata() {
    return indexMetadata;
  }

  @Override
  public void close() throws IOException {
    aux.close();
  }
}
