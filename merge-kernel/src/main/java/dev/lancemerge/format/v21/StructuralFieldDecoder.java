package dev.lancemerge.format.v21;

import dev.lancemerge.format.FieldDecoder;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.data.ColumnData;

/** Decodes Lance 2.1+ structural pages (mini-block, full-zip, constant). */
public final class StructuralFieldDecoder implements FieldDecoder {
  @Override
  public ColumnData read(LanceFileReader file, int topLevel, long from, long to) throws LanceFormatException {
    throw new LanceFormatException(file.path(), "2.1 pages are not decoded yet");
  }
}
