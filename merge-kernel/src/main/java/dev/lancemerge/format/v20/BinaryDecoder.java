package dev.lancemerge.format.v20;

import dev.lancemerge.format.data.Bitmaps;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Binary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code binary}: strings and binary values of any width (utf8, binary, large_*), the layout of
 * Lance's 2.0 {@code BinaryEncoder}:
 * <ul>
 *   <li>{@code indices} holds one u64 per value: the <i>end</i> offset of the value in the page's
 *       bytes, with no leading 0 (the first value starts at 0);
 *   <li>a null value stores its end offset plus {@code null_adjustment}, which the writer sets to
 *       (last end offset + 1); so {@code v >= null_adjustment} means null and {@code v -
 *       null_adjustment} is its end offset (a null may still cover bytes, as Arrow allows);
 *   <li>{@code bytes} is a flat of 8-bit values holding all values back to back.
 * </ul>
 * Values {@code [a, b)} need end offsets {@code a-1 .. b-1}; only those indices and only the bytes
 * between them are read. There is no {@code nullable} wrapper: nulls live in the indices.
 */
final class BinaryDecoder implements ArrayDecoder {
  private static final ValueShape U64 = new ValueShape.Fixed(8);
  private static final ValueShape BYTE = new ValueShape.Fixed(1);

  @Override
  public ColumnData decode(PageContext page, ArrayEncoding enc, ValueShape shape, Slice slice) throws IOException {
    if (!(shape instanceof ValueShape.Variable)) {
      throw page.fail("a binary encoding cannot hold " + shape);
    }
    Binary b = enc.getBinary();
    if (!b.hasIndices() || !b.hasBytes()) {
      throw page.fail("binary encoding lacks its indices or bytes encoding");
    }
    int n = slice.count();
    if (n == 0) {
      return ColumnData.variable(0, new long[1], new byte[0], null);
    }
    long adjustment = b.getNullAdjustment();
    if (adjustment <= 0) {
      throw page.fail("binary null_adjustment " + Long.toUnsignedString(adjustment) + " is impossible for a page with values");
    }
    int extra = slice.from() > 0 ? 1 : 0;
    if (n > Integer.MAX_VALUE - 1) {
      throw page.fail("too many binary values requested at once: " + n);
    }
    ColumnData idx = ArrayDecoders.decode(page, b.getIndices(), U64, new Slice(slice.total(), slice.from() - extra, n + extra));
    if (idx.validity() != null) {
      throw page.fail("binary indices contain nulls");
    }
    ByteBuffer le = ByteBuffer.wrap(idx.values()).order(ByteOrder.LITTLE_ENDIAN);
    long start = extra == 1 ? endOffset(page, le.getLong(0), adjustment, slice.from() - 1) : 0;
    long[] offsets = new long[n + 1];
    byte[] validity = null;
    long prev = start;
    for (int i = 0; i < n; i++) {
      long raw = le.getLong((i + extra) * 8);
      boolean valid = Long.compareUnsigned(raw, adjustment) < 0;
      long end = endOffset(page, raw, adjustment, slice.from() + i);
      if (end < prev) {
        throw page.fail("binary value " + (slice.from() + i) + " ends at byte " + end + ", before its start " + prev);
      }
      if (!valid) {
        if (validity == null) {
          validity = Bitmaps.allSet(n);
        }
        Bitmaps.set(validity, i, false);
      }
      offsets[i + 1] = end - start;
      prev = end;
    }
    long length = prev - start;
    ArrayDecoders.checkAllocation(page, length, "binary values [" + slice.from() + ", " + slice.end() + ")");
    ColumnData bytes = ArrayDecoders.decode(page, b.getBytes(), BYTE, new Slice(Slice.UNKNOWN, start, (int) length));
    if (bytes.validity() != null) {
      throw page.fail("binary bytes contain nulls");
    }
    return ColumnData.variable(n, offsets, bytes.values(), validity);
  }

  /** The end offset stored in an index, whether the value is null or not. */
  private static long endOffset(PageContext page, long raw, long adjustment, long value) throws IOException {
    if (Long.compareUnsigned(raw, adjustment) < 0) {
      return raw;
    }
    long end = raw - adjustment;
    if (Long.compareUnsigned(end, adjustment) >= 0) {
      throw page.fail("binary index " + Long.toUnsignedString(raw) + " of value " + value
          + " is neither an end offset nor one plus null_adjustment " + adjustment);
    }
    return end;
  }
}
