package dev.lancemerge.format.v20;

import dev.lancemerge.format.FieldDecoder;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.data.ColumnData;

/** Decodes Lance 2.0 pages ({@code lance.encodings.ArrayEncoding} trees). */
public final class LegacyFieldDecoder implements FieldDecoder {
  @Override
  public ColumnData read(LanceFileReader file, int topLevel, long from, long to) throws LanceFormatException {
    throw new LanceFormatException(file.path(), "2.0 pages are not decoded yet");
  }
}
