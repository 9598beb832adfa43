package dev.lancemerge.format.data;

import java.util.List;

/**
 * Decoded values of one field over a run of rows, independent of Arrow and of the page encoding
 * they came from. Decoders produce it; {@link ArrowConversion} turns it into Arrow vectors and the
 * writer consumes it. Validity is an Arrow-style bitmap (LSB first, 1 = valid) or null when every
 * slot is valid.
 */
public final class ColumnData {
  /** What the slots hold. */
  public enum Kind {
    /** Fixed-width values of {@code byteWidth} bytes each. */
    FIXED,
    /** Booleans, bit-packed LSB first. */
    BOOL,
    /** Variable-width bytes with {@code length + 1} offsets. */
    VARIABLE,
    /** Fixed-size lists: one child with {@code length * dimension} slots. */
    FIXED_SIZE_LIST,
    /** Lists: {@code length + 1} offsets into one child. */
    LIST,
    /** Structs: one child per field, each with {@code length} slots. */
    STRUCT,
    /** Only nulls. */
    NULL
  }

  private final Kind kind;
  private final int length;
  private final byte[] validity;
  private final byte[] values;
  private final int byteWidth;
  private final long[] offsets;
  private final int dimension;
  private final List<ColumnData> children;

  private ColumnData(
      Kind kind, int length, byte[] validity, byte[] values, int byteWidth, long[] offsets, int dimension,
      List<ColumnData> children) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    this.kind = kind;
    this.length = length;
    this.validity = validity;
    this.values = values;
    this.byteWidth = byteWidth;
    this.offsets = offsets;
    this.dimension = dimension;
    this.children = children;
  }

  public static ColumnData fixed(int length, int byteWidth, byte[] values, byte[] validity) {
    if ((long) length * byteWidth > values.length) {
      throw new IllegalArgumentException("values hold " + values.length + " bytes, need " + (long) length * byteWidth);
    }
    return new ColumnData(Kind.FIXED, length, validity, values, byteWidth, null, 0, List.of());
  }

  public static ColumnData bools(int length, byte[] bits, byte[] validity) {
    return new ColumnData(Kind.BOOL, length, validity, bits, 0, null, 0, List.of());
  }

  public static ColumnData variable(int length, long[] offsets, byte[] bytes, byte[] validity) {
    if (offsets.length < length + 1) {
      throw new IllegalArgumentException("need " + (length + 1) + " offsets, got " + offsets.length);
    }
    return new ColumnData(Kind.VARIABLE, length, validity, bytes, 0, offsets, 0, List.of());
  }

  public static ColumnData fixedSizeList(int length, int dimension, ColumnData items, byte[] validity) {
    if (items.length() != (long) length * dimension) {
      throw new IllegalArgumentException("fixed-size list of " + length + " x " + dimension + " has " + items.length() + " items");
    }
    return new ColumnData(Kind.FIXED_SIZE_LIST, length, validity, null, 0, null, dimension, List.of(items));
  }

  public static ColumnData list(int length, long[] offsets, ColumnData items, byte[] validity) {
    return new ColumnData(Kind.LIST, length, validity, null, 0, offsets, 0, List.of(items));
  }

  public static ColumnData struct(int length, List<ColumnData> children, byte[] validity) {
    return new ColumnData(Kind.STRUCT, length, validity, null, 0, null, 0, List.copyOf(children));
  }

  public static ColumnData nulls(int length) {
    return new ColumnData(Kind.NULL, length, new byte[(length + 7) / 8], null, 0, null, 0, List.of());
  }

  public Kind kind() {
    return kind;
  }

  public int length() {
    return length;
  }

  /** Validity bitmap, or null when all slots are valid. */
  public byte[] validity() {
    return validity;
  }

  public boolean isValid(int i) {
    return validity == null || (validity[i >>> 3] >>> (i & 7) & 1) != 0;
  }

  /** Fixed-width bytes, bool bits, or variable-width payload. */
  public byte[] values() {
    return values;
  }

  public int byteWidth() {
    return byteWidth;
  }

  /** Offsets of VARIABLE and LIST data: {@code length + 1} entries. */
  public long[] offsets() {
    return offsets;
  }

  public int dimension() {
    return dimension;
  }

  public List<ColumnData> children() {
    return children;
  }

  public ColumnData child() {
    return children.get(0);
  }

  /** Number of null slots. */
  public int nullCount() {
    if (kind == Kind.NULL) {
      return length;
    }
    if (validity == null) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i < length; i++) {
      if (!isValid(i)) {
        n++;
      }
    }
    return n;
  }
}
