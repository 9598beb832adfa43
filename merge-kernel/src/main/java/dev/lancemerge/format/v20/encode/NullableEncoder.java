package dev.lancemerge.format.v20.encode;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;

/**
 * Fixed-width values, booleans and fixed-size lists of them, as Lance's 2.0 {@code BasicEncoder}
 * writes them: a {@code nullable} wrapper chosen by the page's null count around a {@code flat}
 * (or, for fixed-size lists, a {@code fixed_size_list} whose items get their own wrapper).
 *
 * <ul>
 *   <li>no null: {@code nullable{no_nulls{values}}}, buffers {@code [values...]};
 *   <li>some nulls: {@code nullable{some_nulls{flat{1, validity}, values}}}, the validity bitmap
 *       first, then the values' buffers;
 *   <li>every slot null, or no slot at all: {@code nullable{all_nulls{}}} and no buffer (Lance turns
 *       an empty block into an all-null one too, e.g. the items page of a page of empty lists).
 * </ul>
 */
public final class NullableEncoder {
  private NullableEncoder() {}

  /** Encodes {@code data} (FIXED, BOOL or FIXED_SIZE_LIST), adding its buffers to {@code out}. */
  public static ArrayEncoding encode(ColumnData data, PageBuffers out) {
    int n = data.length();
    int nulls = data.kind() == ColumnData.Kind.NULL ? n : data.nullCount();
    if (n == 0 || nulls == n) {
      return Encodings20.allNulls();
    }
    if (nulls == 0) {
      return Encodings20.noNulls(values(data, out));
    }
    // Lance numbers the validity buffer before it encodes the values, so it comes first.
    ArrayEncoding validity = Encodings20.flat(1, out.add(PageBytes.bitmap(data.validity(), n)));
    return Encodings20.someNulls(validity, values(data, out));
  }

  /** The values without their nullability wrapper: Lance's ValueEncoder / FslEncoder. */
  private static ArrayEncoding values(ColumnData data, PageBuffers out) {
    int n = data.length();
    switch (data.kind()) {
      case FIXED: {
        int w = data.byteWidth();
        return Encodings20.flat(8L * w, out.add(PageBytes.range(data.values(), 0, Math.multiplyExact(n, w))));
      }
      case BOOL:
        // Booleans are a FixedWidth block of 1 bit per value: a bit-packed flat{1}.
        return Encodings20.flat(1, out.add(PageBytes.bitmap(data.values(), n)));
      case FIXED_SIZE_LIST:
        // The items are encoded as a block of their own, so they get their own nullable wrapper
        // (nested twice: the list's nulls outside, the items' nulls inside).
        return Encodings20.fixedSizeList(data.dimension(), encode(data.child(), out));
      default:
        throw new IllegalArgumentException("2.0 flat/fixed-size-list pages cannot hold " + data.kind() + " data");
    }
  }
}
