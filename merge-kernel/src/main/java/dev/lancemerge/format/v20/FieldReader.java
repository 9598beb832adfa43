package dev.lancemerge.format.v20;

import dev.lancemerge.format.data.ColumnData;
import java.io.IOException;

/**
 * Reads one schema field of a 2.0 file from its column(s). Positions are the field's own rows: top
 * level rows for a top-level field, item positions for a list's child, and so on down.
 */
interface FieldReader {
  /** How many rows (or items) the field's own column holds. */
  long rows();

  /** Rows {@code [from, to)}, reading only the pages that hold them. */
  ColumnData read(long from, long to) throws IOException;
}
