package dev.lancemerge.format.v21;

import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.FieldEncoder;
import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.data.ColumnData;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/** Encodes pages in Lance 2.1 structural form (mini-block, full-zip, all-null). */
public final class StructuralFieldEncoder implements FieldEncoder {
  private final FileVersion version;

  public StructuralFieldEncoder(FileVersion version) {
    this.version = version;
  }

  @Override
  public List<EncodedPage> encode(Field field, ColumnData rows) {
    throw new UnsupportedOperationException("2.1 encoding of " + field + " is not implemented yet");
  }
}
