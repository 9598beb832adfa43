package dev.lancemerge.format.v21;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
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
    int[] at = new int[n];
    for (int i = 0; i < n; i++) {
      long k = w == 8 ? idx.getLong(i * 8) : w == 4 ? Integer.toUnsignedLong(idx.getInt(i * 4))
          : w == 2 ? Short.toUnsignedInt(idx.getShort(i * 2)) : Byte.toUnsignedInt(idx.get(i));
      if (k >= dict.length()) {
        if (def == null || (i < def.length && def[i] == 0)) {
          throw new StructuralException(where + ": dictionary index " + k + " >= " + dict.length() + " entries");
        }
        k = -1;
      }
      at[i] = (int) k;
    }
    try {
      return ColumnDataOps.take(dict, at, null);
    } catch (IllegalArgumentException e) {
      throw new StructuralException(where + ": " + e.getMessage());
    }
  }
}
