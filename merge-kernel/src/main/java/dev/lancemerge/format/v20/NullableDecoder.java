package dev.lancemerge.format.v20;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Nullable;
import java.io.IOException;

/**
 * {@code nullable}: the wrapper Lance's 2.0 {@code BasicEncoder} puts around fixed-width values,
 * booleans and fixed-size lists (and around binary/list offsets, always as {@code no_nulls}).
 * {@code no_nulls} holds the values only; {@code some_nulls} a validity bitmap (a 1-bit flat, LSB
 * first, 1 = valid) plus values for every row, nulls included; {@code all_nulls} no buffers at all.
 */
final class NullableDecoder implements ArrayDecoder {
  @Override
  public ColumnData decode(PageContext page, ArrayEncoding enc, ValueShape shape, Slice slice) throws IOException {
    Nullable n = enc.getNullable();
    switch (n.getNullabilityCase()) {
      case NO_NULLS:
        if (!n.getNoNulls().hasValues()) {
          throw page.fail("nullable.no_nulls has no values encoding");
        }
        return ArrayDecoders.decode(page, n.getNoNulls().getValues(), shape, slice);
      case SOME_NULLS: {
        Nullable.SomeNull s = n.getSomeNulls();
        if (!s.hasValidity() || !s.hasValues()) {
          throw page.fail("nullable.some_nulls lacks its validity or values encoding");
        }
        ColumnData validity = ArrayDecoders.decode(page, s.getValidity(), new ValueShape.Bool(), slice);
        if (validity.validity() != null) {
          throw page.fail("the validity bitmap of nullable.some_nulls has nulls of its own");
        }
        ColumnData values = ArrayDecoders.decode(page, s.getValues(), shape, slice);
        return Validity.apply(values, validity.values());
      }
      case ALL_NULLS:
        ArrayDecoders.checkAllocation(page, nullBytes(shape, slice.count()), "an all-null run of " + slice.count() + " " + shape);
        return shape.nulls(slice.count());
      default:
        throw page.fail("nullable encoding has no nullability set");
    }
  }

  /** Bytes {@link ValueShape#nulls} allocates for {@code n} rows, or -1 on overflow. */
  private static long nullBytes(ValueShape shape, long n) {
    try {
      if (shape instanceof ValueShape.Fixed f) {
        return Math.multiplyExact(n, (long) f.width());
      }
      if (shape instanceof ValueShape.Variable) {
        return Math.multiplyExact(n + 1, 8L);
      }
      if (shape instanceof ValueShape.FixedSizeList l) {
        long items = Math.multiplyExact(n, (long) l.dimension());
        return items > Integer.MAX_VALUE ? -1 : nullBytes(l.items(), items);
      }
      return (n + 7) / 8;
    } catch (ArithmeticException e) {
      return -1;
    }
  }
}
