package dev.lancemerge.format;

import dev.lancemerge.format.data.ColumnData;
import java.io.IOException;

/** Decodes rows of one top-level field from the pages of its columns; one implementation per page family. */
public interface FieldDecoder {
  /** Rows {@code [from, to)} of top-level field {@code topLevel}; reads only the pages that hold them. */
  ColumnData read(LanceFileReader file, int topLevel, long from, long to) throws IOException;
}
