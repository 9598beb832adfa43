package dev.lancemerge.format.v20.encode;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;

/**
 * Utf8 / Binary (and their large forms) as Lance's 2.0 {@code BinaryEncoder} writes them, always
 * {@code binary{indices = nullable{no_nulls{flat{64, buffer 0}}}, bytes = flat{8, buffer 1},
 * null_adjustment}} with no outer {@code nullable}: nulls live in the indices.
 *
 * <ul>
 *   <li>{@code indices} holds each value's END offset as u64, without the leading 0, counted from
 *       the start of the page's bytes (every page starts again at 0).
 *   <li>{@code null_adjustment} = last end offset + 1; a null value stores end + null_adjustment,
 *       so the reader tells nulls apart ({@code >= null_adjustment}) and recovers the end by modulo.
 *   <li>An all-null page keeps no bytes: all ends are 0, null_adjustment is 1, every index is 1.
 *   <li>An empty page (no value, e.g. the items of empty lists): no index, null_adjustment 0, two
 *       empty buffers.
 * </ul>
 */
public final class BinaryEncoder {
  private BinaryEncoder() {}

  /** Encodes VARIABLE (or NULL) data, adding the indices then the bytes buffer to {@code out}. */
  public static ArrayEncoding encode(ColumnData data, PageBuffers out) {
    int n = data.length();
    int nulls = data.kind() == ColumnData.Kind.NULL ? n : data.nullCount();
    long[] ends = new long[n];
    byte[] bytes = new byte[0];
    long nullAdjustment = 0;
    if (n > 0 && nulls == n) {
      // Lance replaces an all-null block by zero-length values before computing the indices.
      nullAdjustment = 1;
      java.util.Arrays.fill(ends, 1);
    } else if (n > 0) {
      long[] off = data.offsets();
      long base = off[0];
      for (int i = 0; i < n; i++) {
        ends[i] = off[i + 1] - base;
      }
      nullAdjustment = ends[n - 1] + 1;
      if (nulls > 0) {
        for (int i = 0; i < n; i++) {
          if (!data.isValid(i)) {
            ends[i] += nullAdjustment;
          }
        }
      }
      // Bytes under null slots (if any) stay, as in Lance: the ends above still count them.
      bytes = PageBytes.range(data.values(), Math.toIntExact(base), Math.toIntExact(off[n] - base));
    }
    // The indices are a u64 block of their own, encoded by a BasicEncoder: no_nulls flat{64}.
    ArrayEncoding indices = Encodings20.noNulls(Encodings20.flat(64, out.add(PageBytes.u64(ends))));
    ArrayEncoding bytesEncoding = Encodings20.flat(8, out.add(bytes));
    return Encodings20.binary(indices, bytesEncoding, nullAdjustment);
  }
}
