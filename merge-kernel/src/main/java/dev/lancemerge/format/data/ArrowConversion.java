package dev.lancemerge.format.data;

import dev.lancemerge.format.LogicalTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** {@link ColumnData} to Arrow vectors and back, buffer by buffer as Arrow's IPC loader does. */
public final class ArrowConversion {
  private ArrowConversion() {}

  /** A new vector of {@code field}'s type holding {@code data}; the caller closes it. */
  public static FieldVector toVector(Field field, ColumnData data, BufferAllocator allocator) {
    FieldVector v = field.createVector(allocator);
    try {
      load(v, field, data, allocator);
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  private static void load(FieldVector v, Field field, ColumnData d, BufferAllocator alloc) {
    int n = d.length();
    ArrowType t = field.getType();
    List<ArrowBuf> bufs = new ArrayList<>();
    try {
      if (!(t instanceof ArrowType.Null)) {
        bufs.add(validity(d, alloc));
      }
      if (t instanceof ArrowType.Null) {
        // Null vectors have no buffers at all.
      } else if (t instanceof ArrowType.FixedSizeList || t instanceof ArrowType.Struct) {
        // children loaded below
      } else if (t instanceof ArrowType.List || t instanceof ArrowType.LargeList) {
        bufs.add(offsets(d.offsets(), n, t instanceof ArrowType.LargeList, alloc));
      } else if (LogicalTypes.isVariableWidth(t)) {
        boolean large = t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.LargeBinary;
        bufs.add(offsets(d.offsets(), n, large, alloc));
        long base = d.offsets()[0];
        bufs.add(bytes(d.values(), (int) base, (int) (d.offsets()[n] - base), alloc));
      } else if (t instanceof ArrowType.Bool) {
        bufs.add(bytes(d.values(), 0, (n + 7) / 8, alloc));
      } else {
        bufs.add(bytes(d.values(), 0, n * d.byteWidth(), alloc));
      }
      v.loadFieldBuffers(new ArrowFieldNode(n, d.nullCount()), bufs);
    } finally {
      for (ArrowBuf b : bufs) {
        b.close();
      }
    }
    List<FieldVector> kids = v.getChildrenFromFields();
    for (int i = 0; i < kids.size(); i++) {
      ColumnData child = d.kind() == ColumnData.Kind.NULL
          ? NullFill.forField(field.getChildren().get(i), 0)
          : d.children().get(i);
      load(kids.get(i), field.getChildren().get(i), child, alloc);
    }
    v.setValueCount(n);
  }

  private static ArrowBuf validity(ColumnData d, BufferAllocator alloc) {
    int n = d.length();
    int size = (n + 7) / 8;
    ArrowBuf b = alloc.buffer(Math.max(size, 1));
    b.setZero(0, b.capacity());
    if (d.validity() == null && d.kind() != ColumnData.Kind.NULL) {
      for (int i = 0; i < n; i++) {
        BitVectorHelper.setBit(b, i);
      }
    } else if (d.validity() != null) {
      b.setBytes(0, d.validity(), 0, size);
    }
    return b;
  }

  private static ArrowBuf offsets(long[] offsets, int n, boolean large, BufferAllocator alloc) {
    int w = large ? 8 : 4;
    ArrowBuf b = alloc.buffer((long) (n + 1) * w);
    long base = offsets[0];
    for (int i = 0; i <= n; i++) {
      long o = offsets[i] - base;
      if (large) {
        b.setLong((long) i * 8, o);
      } else {
        b.setInt((long) i * 4, Math.toIntExact(o));
      }
    }
    return b;
  }

  private static ArrowBuf bytes(byte[] src, int from, int len, BufferAllocator alloc) {
    ArrowBuf b = alloc.buffer(Math.max(len, 1));
    b.setBytes(0, src, from, len);
    return b;
  }

  /** The values of an Arrow vector as {@link ColumnData} (used by the writer). */
  public static ColumnData fromVector(FieldVector v) {
    int n = v.getValueCount();
    Field field = v.getField();
    ArrowType t = field.getType();
    byte[] validity = null;
    if (v.getNullCount() > 0 || t instanceof ArrowType.Null) {
      validity = new byte[(n + 7) / 8];
      for (int i = 0; i < n; i++) {
        Bitmaps.set(validity, i, !v.isNull(i));
      }
    }
    if (t instanceof ArrowType.Null) {
      return ColumnData.nulls(n);
    }
    if (t instanceof ArrowType.FixedSizeList fsl) {
      FieldVector child = v.getChildrenFromFields().get(0);
      ColumnData items = ColumnDataOps.slice(fromVector(child), 0, n * fsl.getListSize());
      return ColumnData.fixedSizeList(n, fsl.getListSize(), items, validity);
    }
    if (t instanceof ArrowType.List || t instanceof ArrowType.LargeList) {
      boolean large = t instanceof ArrowType.LargeList;
      long[] o = readOffsets(v.getOffsetBuffer(), n, large);
      ColumnData items = fromVector(v.getChildrenFromFields().get(0));
      ColumnData list = ColumnData.list(n, o, items, validity);
      return o[0] == 0 && o[n] == items.length() ? list : ColumnDataOps.slice(list, 0, n);
    }
    if (t instanceof ArrowType.Struct) {
      List<ColumnData> kids = new ArrayList<>();
      for (FieldVector c : v.getChildrenFromFields()) {
        kids.add(ColumnDataOps.slice(fromVector(c), 0, n));
      }
      return ColumnData.struct(n, kids, validity);
    }
    if (LogicalTypes.isVariableWidth(t)) {
      boolean large = t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.LargeBinary;
      long[] o = readOffsets(v.getOffsetBuffer(), n, large);
      long base = o[0];
      byte[] bytes = new byte[Math.toIntExact(o[n] - base)];
      v.getDataBuffer().getBytes(base, bytes, 0, bytes.length);
      for (int i = 0; i <= n; i++) {
        o[i] -= base;
      }
      return ColumnData.variable(n, o, bytes, validity);
    }
    if (t instanceof ArrowType.Bool) {
      byte[] bits = new byte[(n + 7) / 8];
      v.getDataBuffer().getBytes(0, bits, 0, bits.length);
      return ColumnData.bools(n, bits, validity);
    }
    int w = LogicalTypes.byteWidth(t);
    byte[] values = new byte[n * w];
    v.getDataBuffer().getBytes(0, values, 0, values.length);
    return ColumnData.fixed(n, w, values, validity);
  }

  private static long[] readOffsets(ArrowBuf buf, int n, boolean large) {
    long[] o = new long[n + 1];
    if (n == 0 && buf.capacity() == 0) {
      return o;
    }
    for (int i = 0; i <= n; i++) {
      o[i] = large ? buf.getLong((long) i * 8) : buf.getInt((long) i * 4);
    }
    return o;
  }
}
