package dev.lancemerge.format.v20;

import dev.lancemerge.format.LogicalTypes;
import dev.lancemerge.format.data.ColumnData;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * What a 2.0 page of a non-nested field decodes to. The encoding tree of a page does not say the
 * field type, so decoders check each encoding against the shape the schema expects: that is how a
 * page whose encoding does not fit its field is caught instead of being misread.
 */
sealed interface ValueShape {
  /** Values of {@code width} bytes each (ints, floats, dates, times, timestamps, decimals, ...). */
  record Fixed(int width) implements ValueShape {
    @Override
    public String toString() {
      return width + "-byte values";
    }
  }

  /** Booleans, one bit each. */
  record Bool() implements ValueShape {
    @Override
    public String toString() {
      return "booleans";
    }
  }

  /** Strings or binary of any length (utf8, binary and their large forms). */
  record Variable() implements ValueShape {
    @Override
    public String toString() {
      return "variable-width values";
    }
  }

  /** Fixed-size lists: {@code dimension} items per row, items of shape {@code items}. */
  record FixedSizeList(int dimension, ValueShape items) implements ValueShape {
    @Override
    public String toString() {
      return "fixed-size lists of " + dimension + " x " + items;
    }
  }

  /** Arrow's Null type: nothing but nulls. */
  record Null() implements ValueShape {
    @Override
    public String toString() {
      return "nulls";
    }
  }

  /** The shape of a non-nested field; null when the field is a list or struct (those have columns of their own). */
  static ValueShape of(Field f) {
    ArrowType t = f.getType();
    if (t instanceof ArrowType.List || t instanceof ArrowType.LargeList || t instanceof ArrowType.Struct) {
      return null;
    }
    if (t instanceof ArrowType.FixedSizeList fsl) {
      ValueShape items = of(f.getChildren().get(0));
      if (items == null) {
        throw new IllegalArgumentException("fixed-size list of " + f.getChildren().get(0).getType() + " is not supported in 2.0 files");
      }
      return new FixedSizeList(fsl.getListSize(), items);
    }
    if (t instanceof ArrowType.Null) {
      return new Null();
    }
    if (LogicalTypes.isVariableWidth(t)) {
      return new Variable();
    }
    int w = LogicalTypes.byteWidth(t);
    if (w == 0) {
      return new Bool();
    }
    if (w > 0) {
      return new Fixed(w);
    }
    throw new IllegalArgumentException("type " + t + " has no 2.0 page decoder");
  }

  /** {@code n} null slots of this shape (an all-null page), typed so they concatenate with real values. */
  default ColumnData nulls(int n) {
    byte[] none = new byte[(n + 7) / 8];
    if (this instanceof Fixed f) {
      return ColumnData.fixed(n, f.width(), new byte[Math.multiplyExact(n, f.width())], none);
    }
    if (this instanceof Bool) {
      return ColumnData.bools(n, new byte[(n + 7) / 8], none);
    }
    if (this instanceof Variable) {
      return ColumnData.variable(n, new long[n + 1], new byte[0], none);
    }
    if (this instanceof FixedSizeList l) {
      return ColumnData.fixedSizeList(n, l.dimension(), l.items().nulls(Math.multiplyExact(n, l.dimension())), none);
    }
    return ColumnData.nulls(n);
  }

  /** Zero rows of this shape. */
  default ColumnData empty() {
    if (this instanceof Fixed f) {
      return ColumnData.fixed(0, f.width(), new byte[0], null);
    }
    if (this instanceof Bool) {
      return ColumnData.bools(0, new byte[0], null);
    }
    if (this instanceof Variable) {
      return ColumnData.variable(0, new long[1], new byte[0], null);
    }
    if (this instanceof FixedSizeList l) {
      return ColumnData.fixedSizeList(0, l.dimension(), l.items().empty(), null);
    }
    return ColumnData.nulls(0);
  }
}
