package dev.lancemerge.job;

import java.io.IOException;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Generates rows {@code [start, start + rows)} of a vector dataset in batches, for lance-core's dataset writer:
 * {@code id} int64 (the row number) and {@code vec} FixedSizeList&lt;float32&gt;[dim]. Each vector is one of
 * {@value #CLUSTERS} cluster centres plus noise, a pure function of (seed, id), so IVF partitions are
 * meaningful. Nothing is held beyond the current batch; every batch gets fresh buffers (the consumer may
 * still hold the previous ones). With {@code withTs}, a third column {@code ts} int64 (an event time in ms that grows
 * with the id: {@link #tsOf}) gives a ZoneMap index something to prune.
 */
final class VectorDataReader extends ArrowReader {
  static final String ID = "id";
  static final String VEC = "vec";
  static final String TS = "ts";
  /** {@code ts} of row 0: 2026-01-01T00:00:00Z in ms; each row is 10 ms later than the one before, plus 0..9 ms. */
  static final long TS_BASE = 1_767_225_600_000L;
  static final int CLUSTERS = 1024;
  static final int BATCH_ROWS = 8192;

  private final int dim;
  private final long seed;
  private final long end;
  private final boolean withTs;
  private long next;

  VectorDataReader(BufferAllocator allocator, int dim, long seed, long start, long rows) {
    this(allocator, dim, seed, start, rows, false);
  }

  VectorDataReader(BufferAllocator allocator, int dim, long seed, long start, long rows, boolean withTs) {
    super(allocator);
    this.withTs = withTs;
    this.dim = dim;
    this.seed = seed;
    this.next = start;
    this.end = start + rows;
  }

  static Schema schema(int dim) {
    return schema(dim, false);
  }

  static Schema schema(int dim, boolean withTs) {
    Field item = new Field("item", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    Field id = new Field(ID, FieldType.notNullable(new ArrowType.Int(64, true)), null);
    Field vec = new Field(VEC, FieldType.nullable(new ArrowType.FixedSizeList(dim)), List.of(item));
    return withTs ? new Schema(List.of(id, vec, new Field(TS, FieldType.notNullable(new ArrowType.Int(64, true)), null)))
        : new Schema(List.of(id, vec));
  }

  /** The {@code ts} value of row {@code id}. */
  static long tsOf(long seed, long id) {
    return TS_BASE + id * 10 + Long.remainderUnsigned(SampleFile.mix(seed ^ (id * 31)), 10);
  }

  /** The vector of row {@code id} (what {@link #loadNextBatch} writes), for queries. */
  static float[] vectorOf(long seed, long id, int dim) {
    float[] v = new float[dim];
    long cluster = Long.remainderUnsigned(SampleFile.mix(seed ^ SampleFile.mix(id)), CLUSTERS);
    long noise = SampleFile.mix(seed + id * 0x9E3779B97F4A7C15L);
    for (int d = 0; d < dim; d++) {
      noise += 0x9E3779B97F4A7C15L;
      float centre = unit(SampleFile.mix(seed * 31 + cluster * 1_000_003L + d));
      v[d] = centre + 0.25f * unit(SampleFile.mix(noise));
    }
    return v;
  }

  @Override
  protected Schema readSchema() {
    return schema(dim, withTs);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    if (next >= end) {
      return false;
    }
    int n = (int) Math.min(BATCH_ROWS, end - next);
    VectorSchemaRoot root = getVectorSchemaRoot();
    root.clear();
    BigIntVector id = (BigIntVector) root.getVector(ID);
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector(VEC);
    id.allocateNew(n);
    vec.setInitialCapacity(n);
    vec.allocateNew();
    Float4Vector values = (Float4Vector) vec.getDataVector();
    int total = Math.multiplyExact(n, dim);
    ArrowBuf data = values.getDataBuffer();
    values.getValidityBuffer().setOne(0, (total + 7) / 8);
    for (int i = 0; i < n; i++) {
      long row = next + i;
      id.set(i, row);
      vec.setNotNull(i);
      long cluster = Long.remainderUnsigned(SampleFile.mix(seed ^ SampleFile.mix(row)), CLUSTERS);
      long noise = SampleFile.mix(seed + row * 0x9E3779B97F4A7C15L);
      long base = (long) i * dim * 4;
      for (int d = 0; d < dim; d++) {
        noise += 0x9E3779B97F4A7C15L;
        float centre = unit(SampleFile.mix(seed * 31 + cluster * 1_000_003L + d));
        data.setFloat(base + 4L * d, centre + 0.25f * unit(SampleFile.mix(noise)));
      }
    }
    values.setValueCount(total);
    if (withTs) {
      BigIntVector ts = (BigIntVector) root.getVector(TS);
      ts.allocateNew(n);
      for (int i = 0; i < n; i++) {
        ts.set(i, tsOf(seed, next + i));
      }
      ts.setValueCount(n);
    }
    vec.setValueCount(n);
    id.setValueCount(n);
    root.setRowCount(n);
    next += n;
    return true;
  }

  /** A float in [-1, 1) from the top 24 bits. */
  private static float unit(long bits) {
    return ((bits >>> 40) - (1 << 23)) / (float) (1 << 23);
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {}
}
