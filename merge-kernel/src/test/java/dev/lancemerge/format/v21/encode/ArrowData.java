package dev.lancemerge.format.v21.encode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

/**
 * Seeded random Arrow batches for the writer tests. The shape of each column follows words in its
 * name: {@code _nn} no nulls, {@code allnull} every row null, {@code mostlynull} rows 1500..3499
 * null, {@code cnull} null children in fixed-size lists, {@code inn} no null list items,
 * {@code wide} long strings, {@code long} long lists, {@code empty} mostly empty lists,
 * {@code garbage} null lists that still span items, {@code full} no empty lists. Other columns get about 10% nulls.
 */
final class ArrowData {
  private ArrowData() {}

  static VectorSchemaRoot batch(Schema schema, BufferAllocator allocator, long seed, long rowBase, int rows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    int c = 0;
    for (FieldVector v : root.getFieldVectors()) {
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + rowBase * 131 + c++);
      String hint = v.getField().getName().toLowerCase();
      boolean indexColumn = hint.startsWith("_") || hint.equals("flat");
      fill(v, rows, rowBase, r, hint.contains("_nn") || indexColumn ? 0 : 0.1, hint, true);
    }
    root.setRowCount(rows);
    return root;
  }

  private static boolean isNull(SplittableRandom r, double rate, String hint, long row, boolean top) {
    if (top && hint.contains("allnull")) {
      return true;
    }
    if (top && hint.contains("mostlynull") && row >= 1500 && row < 3500) {
      return true;
    }
    return rate > 0 && r.nextDouble() < rate;
  }

  static void fill(FieldVector v, int n, long rowBase, SplittableRandom r, double nullRate, String hint, boolean top) {
    ArrowType t = v.getField().getType();
    if (v instanceof NullVector nv) {
      nv.setValueCount(n);
    } else if (v instanceof BitVector bv) {
      bv.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (isNull(r, nullRate, hint, rowBase + i, top)) {
          bv.setNull(i);
        } else {
          bv.set(i, r.nextBoolean() ? 1 : 0);
        }
      }
      bv.setValueCount(n);
    } else if (v instanceof BaseFixedWidthVector fv) {
      fv.allocateNew(n);
      int w = fv.getTypeWidth();
      ArrowBuf data = fv.getDataBuffer();
      boolean temporal = t instanceof ArrowType.Timestamp || t instanceof ArrowType.Duration
          || (t instanceof ArrowType.Date d && d.getUnit() == DateUnit.MILLISECOND)
          || (t instanceof ArrowType.Time tm && tm.getBitWidth() == 64);
      byte[] b = new byte[w];
      for (int i = 0; i < n; i++) {
        if (isNull(r, nullRate, hint, rowBase + i, top)) {
          fv.setNull(i);
          continue;
        }
        if (temporal) {
          data.setLong((long) i * 8, r.nextLong(-(1L << 40), 1L << 40));
        } else {
          for (int k = 0; k < w; k++) {
            b[k] = (byte) r.nextInt(256);
          }
          data.setBytes((long) i * w, b);
        }
        BitVectorHelper.setBit(fv.getValidityBuffer(), i);
      }
      fv.setValueCount(n);
    } else if (v instanceof BaseVariableWidthVector || v instanceof BaseLargeVariableWidthVector) {
      boolean text = t instanceof ArrowType.Utf8 || t instanceof ArrowType.LargeUtf8;
      v.allocateNew();
      for (int i = 0; i < n; i++) {
        if (isNull(r, nullRate, hint, rowBase + i, top)) {
          setNullVar(v, i);
          continue;
        }
        int len;
        if (hint.contains("wide")) {
          len = r.nextInt(10) == 0 ? r.nextInt(4) : r.nextInt(1500);
        } else {
          len = r.nextInt(8) == 0 ? 0 : r.nextInt(40);
        }
        byte[] bytes = new byte[len];
        for (int k = 0; k < len; k++) {
          bytes[k] = (byte) (text ? 'a' + r.nextInt(26) : r.nextInt(256));
        }
        if (text && len > 2 && r.nextInt(5) == 0) {
          byte[] u = "é€".getBytes(StandardCharsets.UTF_8); // multi-byte characters
          System.arraycopy(u, 0, bytes, 0, Math.min(u.length, len));
          if (len < u.length) {
            bytes = new byte[] {'x'};
          }
        }
        setVar(v, i, bytes);
      }
      v.setValueCount(n);
    } else if (v instanceof FixedSizeListVector fsl) {
      int dim = ((ArrowType.FixedSizeList) t).getListSize();
      fsl.setInitialCapacity(n);
      fsl.allocateNew();
      boolean[] rowNull = new boolean[n];
      for (int i = 0; i < n; i++) {
        rowNull[i] = isNull(r, nullRate, hint, rowBase + i, top);
      }
      fill(fsl.getDataVector(), n * dim, 0, r, hint.contains("cnull") ? 0.15 : 0, hint, false);
      for (int i = 0; i < n; i++) {
        if (rowNull[i]) {
          fsl.setNull(i);
        } else {
          fsl.setNotNull(i);
        }
      }
      fsl.setValueCount(n);
    } else if (v instanceof ListVector || v instanceof LargeListVector) {
      boolean large = v instanceof LargeListVector;
      long[] off = new long[n + 1];
      boolean[] valid = new boolean[n];
      for (int i = 0; i < n; i++) {
        valid[i] = !isNull(r, nullRate, hint, rowBase + i, top);
        int len;
        if (hint.contains("long")) {
          len = r.nextInt(6) == 0 ? r.nextInt(3000) : r.nextInt(5);
        } else if (hint.contains("full")) {
          len = 1 + r.nextInt(6);
        } else if (hint.contains("empty")) {
          len = r.nextInt(50) == 0 ? 1 + r.nextInt(3) : 0;
        } else {
          len = r.nextInt(7) == 0 ? 0 : 1 + r.nextInt(6);
        }
        if (!valid[i] && !hint.contains("garbage")) {
          len = 0;
        }
        off[i + 1] = off[i] + len;
      }
      v.setInitialCapacity(n);
      v.allocateNew();
      while (v.getValueCapacity() < n) {
        if (large) {
          ((LargeListVector) v).reAlloc();
        } else {
          ((ListVector) v).reAlloc();
        }
      }
      ArrowBuf offsets = large ? ((LargeListVector) v).getOffsetBuffer() : ((ListVector) v).getOffsetBuffer();
      for (int i = 0; i <= n; i++) {
        if (large) {
          offsets.setLong(8L * i, off[i]);
        } else {
          offsets.setInt(4L * i, (int) off[i]);
        }
      }
      ArrowBuf validity = v.getValidityBuffer();
      for (int i = 0; i < n; i++) {
        BitVectorHelper.setValidityBit(validity, i, valid[i] ? 1 : 0);
      }
      FieldVector child = (FieldVector) (large ? ((LargeListVector) v).getDataVector() : ((ListVector) v).getDataVector());
      String childHint = hint.contains("itemwide") ? "wide" : hint.replace("wide", "");
      fill(child, (int) off[n], 0, r, hint.contains("inn") ? 0 : 0.1, childHint, false);
      if (large) {
        ((LargeListVector) v).setLastSet(n - 1);
      } else {
        ((ListVector) v).setLastSet(n - 1);
      }
      v.setValueCount(n);
    } else if (v instanceof StructVector sv) {
      sv.setInitialCapacity(n);
      sv.allocateNew();
      boolean[] rowNull = new boolean[n];
      for (int i = 0; i < n; i++) {
        rowNull[i] = isNull(r, nullRate, hint, rowBase + i, top);
      }
      for (FieldVector c : sv.getChildrenFromFields()) {
        String name = c.getField().getName().toLowerCase();
        fill(c, n, rowBase, r, name.contains("_nn") ? 0 : 0.1, hint + "." + name, false);
      }
      for (int i = 0; i < n; i++) {
        if (rowNull[i]) {
          sv.setNull(i);
        } else {
          sv.setIndexDefined(i);
        }
      }
      sv.setValueCount(n);
    } else {
      throw new IllegalArgumentException("no generator for " + v.getClass());
    }
  }

  private static void setNullVar(FieldVector v, int i) {
    if (v instanceof BaseVariableWidthVector bv) {
      bv.setNull(i);
    } else {
      ((BaseLargeVariableWidthVector) v).setNull(i);
    }
  }

  private static void setVar(FieldVector v, int i, byte[] bytes) {
    if (v instanceof BaseVariableWidthVector bv) {
      bv.setSafe(i, bytes);
    } else {
      ((BaseLargeVariableWidthVector) v).setSafe(i, bytes);
    }
  }

  /** Every row as normalized {@code getObject} values, comparable with {@code equals}. */
  static List<List<Object>> rows(List<VectorSchemaRoot> batches) {
    List<List<Object>> out = new ArrayList<>();
    for (VectorSchemaRoot b : batches) {
      for (int r = 0; r < b.getRowCount(); r++) {
        List<Object> row = new ArrayList<>();
        for (FieldVector v : b.getFieldVectors()) {
          row.add(norm(v.getObject(r)));
        }
        out.add(row);
      }
    }
    return out;
  }

  static Object norm(Object o) {
    if (o instanceof byte[] b) {
      return "0x" + HexFormat.of().formatHex(b);
    }
    if (o instanceof Text t) {
      return "s:" + t;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object e : l) {
        out.add(norm(e));
      }
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(k, norm(val)));
      return out;
    }
    return o;
  }
}
