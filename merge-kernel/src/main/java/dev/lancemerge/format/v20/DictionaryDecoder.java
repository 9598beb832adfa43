package dev.lancemerge.format.v20;

import dev.lancemerge.format.data.Bitmaps;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Dictionary;
import java.io.IOException;

/**
 * {@code dictionary}: what Lance's 2.0 writer uses for a utf8 page of at least 100 rows whose
 * estimated cardinality is below 100. {@code indices} are u8 (a flat of 8-bit values in a
 * {@code nullable}); index 0 means null and index {@code k > 0} means item {@code k - 1}.
 * {@code items} is a binary encoding of {@code num_dictionary_items} strings (a page of nulls only
 * gets a dictionary of one null item). Items are decoded whole (at most 255), indices only for the
 * requested rows, and the strings are materialised, as Lance's reader does for utf8 fields.
 */
final class DictionaryDecoder implements ArrayDecoder {
  private static final ValueShape U8 = new ValueShape.Fixed(1);

  @Override
  public ColumnData decode(PageContext page, ArrayEncoding enc, ValueShape shape, Slice slice) throws IOException {
    if (!(shape instanceof ValueShape.Variable)) {
      throw page.fail("a dictionary encoding cannot hold " + shape);
    }
    Dictionary d = enc.getDictionary();
    if (!d.hasIndices() || !d.hasItems()) {
      throw page.fail("dictionary encoding lacks its indices or items encoding");
    }
    int n = slice.count();
    if (n == 0) {
      return ColumnData.variable(0, new long[1], new byte[0], null);
    }
    long numItems = Integer.toUnsignedLong(d.getNumDictionaryItems());
    if (numItems > Integer.MAX_VALUE - 1) {
      throw page.fail("dictionary declares " + numItems + " items");
    }
    ColumnData indices = ArrayDecoders.decode(page, d.getIndices(), U8, slice);
    ColumnData items = ArrayDecoders.decode(page, d.getItems(), new ValueShape.Variable(), new Slice(numItems, 0, (int) numItems));
    byte[] idx = indices.values();
    long[] itemOffsets = items.offsets();
    long total = 0;
    byte[] validity = null;
    for (int i = 0; i < n; i++) {
      int k = idx[i] & 0xFF;
      boolean valid = k != 0 && indices.isValid(i);
      if (valid) {
        if (k > numItems) {
          throw page.fail("dictionary index " + k + " of row " + (slice.from() + i) + " is past the " + numItems + " items (index 0 is null)");
        }
        valid = items.isValid(k - 1);
      }
      if (valid) {
        total += itemOffsets[k] - itemOffsets[k - 1];
      } else {
        if (validity == null) {
          validity = Bitmaps.allSet(n);
        }
        Bitmaps.set(validity, i, false);
      }
    }
    ArrayDecoders.checkAllocation(page, total, "dictionary values [" + slice.from() + ", " + slice.end() + ")");
    int[] itemOf = new int[n];
    for (int i = 0; i < n; i++) {
      itemOf[i] = validity == null || Bitmaps.get(validity, i) ? (idx[i] & 0xFF) - 1 : -1;
    }
    return ColumnDataOps.take(items, itemOf, validity);
  }
}
