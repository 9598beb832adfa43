package dev.lancemerge.format.v20;

import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.FieldEncoder;
import dev.lancemerge.format.data.ColumnData;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/** Encodes pages in Lance 2.0 form ({@code lance.encodings.ArrayEncoding}). */
public final class LegacyFieldEncoder implements FieldEncoder {
  @Override
  public List<EncodedPage> encode(Field field, ColumnData rows) {
    throw new UnsupportedOperationException("2.0 encoding of " + field + " is not implemented yet");
  }
}
