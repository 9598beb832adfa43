package dev.lancemerge.format.v20;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import java.io.IOException;

/** Decodes a slice of the values held by one node of a 2.0 {@code ArrayEncoding} tree. */
interface ArrayDecoder {
  /**
   * Values {@code [slice.from, slice.end)} of {@code encoding}, which must be able to hold
   * {@code shape}; the result has exactly {@code slice.count} rows.
   */
  ColumnData decode(PageContext page, ArrayEncoding encoding, ValueShape shape, Slice slice) throws IOException;
}
