package dev.lancemerge.job;

import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/**
 * A 64-bit checksum of a file's contents, fed batch by batch: one running hash per column name over the
 * column's values in row order, so it does not depend on how the rows were split into batches, nor on
 * whether a reader reports uint64 or int64 (fixed-width values are hashed as their bytes).
 */
final class Checksum {
  private static final long NULL = 0x6E756C6C6E756C6CL;
  private final Map<String, long[]> columns = new TreeMap<>();
  private long rows;

  void add(VectorSchemaRoot batch) {
    rows += batch.getRowCount();
    for (FieldVector v : batch.getFieldVectors()) {
      long[] h = columns.computeIfAbsent(v.getName(), k -> new long[] {k.hashCode()});
      h[0] = hash(h[0], v, 0, batch.getRowCount());
    }
  }

  long rows() {
    return rows;
  }

  long value() {
    long h = 17;
    for (long[] c : columns.values()) {
      h = mix(h, c[0]);
    }
    return h;
  }

  String hex() {
    return String.format("%016x", value());
  }

  private static long hash(long h, ValueVector v, int from, int to) {
    if (v instanceof FixedSizeListVector fsl) {
      int size = fsl.getListSize();
      if (fsl.getNullCount() == 0) {
        return hash(h, fsl.getDataVector(), from * size, to * size);
      }
      for (int i = from; i < to; i++) {
        h = fsl.isNull(i) ? mix(h, NULL) : hash(h, fsl.getDataVector(), i * size, (i + 1) * size);
      }
      return h;
    }
    if (v instanceof BaseFixedWidthVector fixed && !(v instanceof BitVector)) {
      int width = fixed.getTypeWidth();
      ArrowBuf data = fixed.getDataBuffer();
      boolean nulls = fixed.getNullCount() > 0;
      for (int i = from; i < to; i++) {
        if (nulls && fixed.isNull(i)) {
          h = mix(h, NULL);
          continue;
        }
        long at = (long) i * width;
        switch (width) {
          case 8 -> h = mix(h, data.getLong(at));
          case 4 -> h = mix(h, data.getInt(at));
          case 2 -> h = mix(h, data.getShort(at));
          case 1 -> h = mix(h, data.getByte(at));
          default -> {
            for (int b = 0; b < width; b++) {
              h = mix(h, data.getByte(at + b));
            }
          }
        }
      }
      return h;
    }
    for (int i = from; i < to; i++) {
      Object o = v.getObject(i);
      h = mix(h, o == null ? NULL : o.toString().hashCode());
    }
    return h;
  }

  private static long mix(long h, long x) {
    return Long.rotateLeft(h ^ (x * 0x9E3779B97F4A7C15L), 29) * 0xBF58476D1CE4E5B9L;
  }
}
