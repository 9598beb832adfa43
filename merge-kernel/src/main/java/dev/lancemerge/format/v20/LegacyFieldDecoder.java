package dev.lancemerge.format.v20;

import dev.lancemerge.format.FieldDecoder;
import dev.lancemerge.format.LanceColumn;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.data.ColumnData;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Decodes Lance 2.0 pages ({@code lance.encodings.ArrayEncoding} trees): builds the reader tree of
 * the field over its columns ({@link FieldReaders}) and reads the rows, touching only the pages that
 * hold them (for lists: the list pages of the rows, then the item pages of their items).
 *
 * <p>A decoder belongs to one open file, so the reader tree of each field is kept: a list reader
 * remembers where each of its pages' items start and need not re-parse every page's encoding on
 * each range read.
 */
public final class LegacyFieldDecoder implements FieldDecoder {
  private final Map<Integer, FieldReader> readers = new ConcurrentHashMap<>();
  private volatile LanceFileReader file;

  @Override
  public ColumnData read(LanceFileReader file, int topLevel, long from, long to) throws IOException {
    if (this.file != file) { // first use, or (unexpectedly) another file: start afresh
      readers.clear();
      this.file = file;
    }
    FieldReader reader = readers.get(topLevel);
    if (reader == null) {
      reader = build(file, topLevel);
      readers.put(topLevel, reader);
    }
    return reader.read(from, to);
  }

  private static FieldReader build(LanceFileReader file, int topLevel) throws LanceFormatException {
    Field field = file.schema().arrow().getFields().get(topLevel);
    Iterator<LanceColumn> columns = file.schema().columnsOf(topLevel).iterator();
    FieldReader reader = FieldReaders.of(file, field, columns);
    if (columns.hasNext()) {
      throw new LanceFormatException(file.path(), "field '" + field.getName() + "' has more columns than its schema explains");
    }
    return reader;
  }
}
