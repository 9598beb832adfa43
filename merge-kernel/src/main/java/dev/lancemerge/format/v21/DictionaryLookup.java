package dev.lancemerge.format.v21;

import dev.lancemerge.format.data.ColumnData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Replaces dictionary indices by the dictionary's values. */
final class DictionaryLookup {
  private DictionaryLookup() {}

  /**
   * @param def def levels of the same items, or null; a null item may carry any index, so only
   *     valid items must point into the dictionary
   */
  static ColumnData apply(ColumnData dict, ColumnData indices, int[] def, String where) {
    int n = indices.length();
    int w = indices.byteWidth();
    ByteBuffer idx = ByteBuffer.wrap(indices.values()).order(ByteOrder.LITTLE_ENDIAN);
    long[] at = new long[n];
    for (int i = 0; i < n; i++) {
      long k = w == 8 ? idx.getLong(i * 8) : w == 4 ? Integer.toUnsignedLong(idx.getInt(i * 4))
          : w == 2 ? Short.toUnsignedInt(idx.getShort(i * 2)) : Byte.toUnsignedInt(idx.get(i));
      if (k >= dict.length()) {
        if (def == null || (i < def.length && def[i] == 0)) {
          throw new StructuralException(where + ": dictionary index " + k + " >= " + dict.length() + " entries");
        }
        k = -1;
      }
      at[i] = k;
    }
    switch (dict.kind()) {
      case VARIABLE: {
        long total = 0;
        for (long k : at) {
          total += k < 0 ? 0 : dict.offsets()[(int) k + 1] - dict.offsets()[(int) k];
        }
        if (total > Integer.MAX_VALUE - 8) {
          throw new StructuralException(where + ": dictionary expands to " + total + " bytes");
        }
        byte[] bytes = new byte[(int) total];
        long[] off = new long[n + 1];
        int p = 0;
        for (int i = 0; i < n; i++) {
          long k = at[i];
          if (k >= 0) {
            int s = (int) dict.offsets()[(int) k];
            int len = (int) (dict.offsets()[(int) k + 1] - s);
            System.arraycopy(dict.values(), s, bytes, p, len);
            p += len;
          }
          off[i + 1] = p;
        }
        return ColumnData.variable(n, off, bytes, null);
      }
      case FIXED: {
        int bw = dict.byteWidth();
        byte[] out = new byte[Math.multiplyExact(n, bw)];
        for (int i = 0; i < n; i++) {
          if (at[i] >= 0) {
            System.arraycopy(dict.values(), (int) at[i] * bw, out, i * bw, bw);
          }
        }
        return ColumnData.fixed(n, bw, out, null);
      }
      default:
        throw new StructuralException(where + ": dictionary of " + dict.kind() + " values is not supported");
    }
  }
}
