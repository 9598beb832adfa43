package dev.lancemerge.format.v20;

import dev.lancemerge.format.data.Bitmaps;
import dev.lancemerge.format.data.ColumnData;

/**
 * Puts a decoded validity bitmap on decoded values. 2.0 keeps validity beside the values (the
 * {@code some_nulls} wrapper), so the values decoder returns data without it and this joins them,
 * AND-ing with any nulls the values already carry (a binary page marks its own nulls).
 */
final class Validity {
  private Validity() {}

  static ColumnData apply(ColumnData d, byte[] bits) {
    int n = d.length();
    if (Bitmaps.allValid(bits, n)) {
      return d;
    }
    byte[] v = new byte[(n + 7) / 8];
    Bitmaps.copy(bits, 0, v, 0, n);
    if (d.validity() != null) {
      for (int i = 0; i < v.length; i++) {
        v[i] &= d.validity()[i];
      }
    }
    switch (d.kind()) {
      case FIXED:
        return ColumnData.fixed(n, d.byteWidth(), d.values(), v);
      case BOOL:
        return ColumnData.bools(n, d.values(), v);
      case VARIABLE:
        return ColumnData.variable(n, d.offsets(), d.values(), v);
      case FIXED_SIZE_LIST:
        return ColumnData.fixedSizeList(n, d.dimension(), d.child(), v);
      case LIST:
        return ColumnData.list(n, d.offsets(), d.child(), v);
      case STRUCT:
        return ColumnData.struct(n, d.children(), v);
      default:
        return d;
    }
  }

  /** Bits {@code [from, from + count)} of an LSB-first bitmap, re-based to bit 0. */
  static byte[] bits(byte[] src, long from, int count) {
    byte[] out = new byte[(count + 7) / 8];
    Bitmaps.copy(src, from, out, 0, count);
    return out;
  }
}
