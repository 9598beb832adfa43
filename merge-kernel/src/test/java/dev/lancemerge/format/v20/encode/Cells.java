package dev.lancemerge.format.v20.encode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Sets one cell of an Arrow vector from a plain Java value (null, Number, Boolean, String, byte[],
 * or a List for list-like vectors), so edge-case tables can be written down as values.
 */
final class Cells {
  private Cells() {}

  static void set(FieldVector v, int i, Object value) {
    if (v instanceof ListVector lv) {
      setList(lv, i, (List<?>) value);
    } else if (v instanceof LargeListVector lv) {
      setLargeList(lv, i, (List<?>) value);
    } else if (v instanceof FixedSizeListVector fv) {
      setFixedSizeList(fv, i, (List<?>) value);
    } else if (v instanceof NullVector) {
      if (value != null) {
        throw new IllegalArgumentException("null vector holds only nulls");
      }
    } else if (value == null) {
      setNull(v, i);
    } else {
      setValue(v, i, value);
    }
  }

  /** Fixes value counts once a column's cells are set (children of lists included). */
  static void finish(FieldVector v, int n) {
    if (v instanceof FixedSizeListVector fv) {
      fv.getDataVector().setValueCount(n * fv.getListSize());
      fv.setValueCount(n);
    } else {
      v.setValueCount(n);
    }
  }

  private static void setList(ListVector lv, int i, List<?> items) {
    int start = lv.startNewValue(i);
    FieldVector child = lv.getDataVector();
    int k = 0;
    if (items != null) {
      for (Object o : items) {
        set(child, start + k++, o);
      }
    }
    child.setValueCount(start + k);
    lv.endValue(i, k);
    if (items == null) {
      BitVectorHelper.unsetBit(lv.getValidityBuffer(), i);
    }
  }

  private static void setLargeList(LargeListVector lv, int i, List<?> items) {
    long start = lv.startNewValue(i);
    FieldVector child = lv.getDataVector();
    int k = 0;
    if (items != null) {
      for (Object o : items) {
        set(child, (int) start + k++, o);
      }
    }
    child.setValueCount((int) start + k);
    lv.endValue(i, k);
    if (items == null) {
      BitVectorHelper.unsetBit(lv.getValidityBuffer(), i);
    }
  }

  private static void setFixedSizeList(FixedSizeListVector fv, int i, List<?> items) {
    int dim = fv.getListSize();
    FieldVector child = fv.getDataVector();
    if (items == null) {
      fv.setNull(i);
      for (int k = 0; k < dim; k++) {
        set(child, i * dim + k, null);
      }
      return;
    }
    if (items.size() != dim) {
      throw new IllegalArgumentException("fixed-size list of " + dim + " given " + items.size() + " items");
    }
    fv.setNotNull(i);
    for (int k = 0; k < dim; k++) {
      set(child, i * dim + k, items.get(k));
    }
  }

  private static void setNull(FieldVector v, int i) {
    if (v instanceof BaseFixedWidthVector f) {
      f.setNull(i);
    } else if (v instanceof org.apache.arrow.vector.BaseVariableWidthVector vw) {
      vw.setNull(i);
    } else if (v instanceof org.apache.arrow.vector.BaseLargeVariableWidthVector vw) {
      vw.setNull(i);
    } else {
      throw new IllegalArgumentException("cannot set null in " + v.getClass().getSimpleName());
    }
  }

  private static void setValue(FieldVector v, int i, Object value) {
    if (v instanceof TinyIntVector t) {
      t.setSafe(i, ((Number) value).byteValue());
    } else if (v instanceof UInt1Vector t) {
      t.setSafe(i, ((Number) value).intValue());
    } else if (v instanceof SmallIntVector t) {
      t.setSafe(i, ((Number) value).shortValue());
    } else if (v instanceof IntVector t) {
      t.setSafe(i, ((Number) value).intValue());
    } else if (v instanceof BigIntVector t) {
      t.setSafe(i, ((Number) value).longValue());
    } else if (v instanceof UInt8Vector t) {
      t.setSafe(i, ((Number) value).longValue());
    } else if (v instanceof DateMilliVector t) {
      t.setSafe(i, ((Number) value).longValue());
    } else if (v instanceof TimeStampNanoVector t) {
      t.setSafe(i, ((Number) value).longValue());
    } else if (v instanceof Float2Vector t) {
      t.setSafeWithPossibleTruncate(i, ((Number) value).floatValue());
    } else if (v instanceof Float4Vector t) {
      t.setSafe(i, ((Number) value).floatValue());
    } else if (v instanceof Float8Vector t) {
      t.setSafe(i, ((Number) value).doubleValue());
    } else if (v instanceof BitVector t) {
      t.setSafe(i, (Boolean) value ? 1 : 0);
    } else if (v instanceof VarCharVector t) {
      t.setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof LargeVarCharVector t) {
      t.setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof VarBinaryVector t) {
      t.setSafe(i, (byte[]) value);
    } else if (v instanceof LargeVarBinaryVector t) {
      t.setSafe(i, (byte[]) value);
    } else {
      throw new IllegalArgumentException("no setter for " + v.getClass().getSimpleName());
    }
  }
}
