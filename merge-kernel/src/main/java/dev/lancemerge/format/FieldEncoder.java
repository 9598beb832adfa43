package dev.lancemerge.format;

import dev.lancemerge.format.data.ColumnData;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/** Encodes rows of one top-level field into pages; one implementation per file-version family. */
public interface FieldEncoder {
  /**
   * Encodes {@code rows} of {@code field} as one page per physical column of the field, in column
   * order (2.0: the field's column then its children's; 2.1: its leaf columns).
   */
  List<EncodedPage> encode(Field field, ColumnData rows);
}
