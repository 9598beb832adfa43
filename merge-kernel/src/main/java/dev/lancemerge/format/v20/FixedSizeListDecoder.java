package dev.lancemerge.format.v20;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.FixedSizeList;
import java.io.IOException;

/**
 * {@code fixed_size_list}: rows of {@code dimension} items, the items encoded as one nested array
 * (Lance wraps them in their own {@code nullable}, so item nulls live there; row nulls live in the
 * {@code nullable} around this node). Rows {@code [a, b)} are items {@code [a*d, b*d)}.
 * {@code has_validity} is always false in 2.0 and Lance's 2.0 reader ignores it; so do we.
 */
final class FixedSizeListDecoder implements ArrayDecoder {
  @Override
  public ColumnData decode(PageContext page, ArrayEncoding enc, ValueShape shape, Slice slice) throws IOException {
    FixedSizeList fsl = enc.getFixedSizeList();
    if (!(shape instanceof ValueShape.FixedSizeList expected)) {
      throw page.fail("a fixed_size_list encoding cannot hold " + shape);
    }
    long dim = Integer.toUnsignedLong(fsl.getDimension());
    if (dim != expected.dimension()) {
      throw page.fail("fixed_size_list dimension " + dim + " does not match the field's " + expected.dimension());
    }
    if (!fsl.hasItems()) {
      throw page.fail("fixed_size_list has no items encoding");
    }
    Slice items = slice.expand(dim);
    if (items == null) {
      throw page.fail(slice.count() + " rows of " + dim + " items overflow");
    }
    ColumnData values = ArrayDecoders.decode(page, fsl.getItems(), expected.items(), items);
    return ColumnData.fixedSizeList(slice.count(), expected.dimension(), values, null);
  }
}
