package dev.lancemerge.format.v20.encode;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;

/**
 * The page of a list's own column in 2.0, as Lance's {@code ListOffsetsEncoder} writes it:
 * {@code list{offsets = nullable{no_nulls{flat{64, buffer 0}}}, null_offset_adjustment, num_items}}
 * with one u64 per list.
 *
 * <ul>
 *   <li>Each value is the END offset of its list, without the leading 0, counted from the first
 *       item of THIS page: every offsets page starts again at 0. The reader adds the
 *       {@code num_items} of all earlier pages to find the items in the child column, so the
 *       child column's pages must hold exactly the items of the matching offsets pages.
 *   <li>{@code num_items} = items referenced by the page; {@code null_offset_adjustment} =
 *       num_items + 1. A null list stores end + null_offset_adjustment (an empty list stores its
 *       plain end), so the reader recovers validity by comparison and the end by modulo.
 * </ul>
 */
public final class ListOffsetsEncoder {
  private ListOffsetsEncoder() {}

  /** Encodes the offsets and validity of LIST (or NULL) data, adding its one buffer to {@code out}. */
  public static ArrayEncoding encode(ColumnData lists, PageBuffers out) {
    int n = lists.length();
    boolean allNull = lists.kind() == ColumnData.Kind.NULL;
    long[] off = allNull ? null : lists.offsets();
    long base = allNull || n == 0 ? 0 : off[0];
    long numItems = allNull || n == 0 ? 0 : off[n] - base;
    long adjustment = numItems + 1;
    long[] ends = new long[n];
    for (int i = 0; i < n; i++) {
      long end = allNull ? 0 : off[i + 1] - base;
      boolean valid = !allNull && lists.isValid(i);
      ends[i] = valid ? end : end + adjustment;
    }
    // Lance builds the u64 block directly (never an all-null block) and gives it to a BasicEncoder.
    ArrayEncoding offsets = Encodings20.noNulls(Encodings20.flat(64, out.add(PageBytes.u64(ends))));
    return Encodings20.list(offsets, adjustment, numItems);
  }
}
