package dev.lancemerge.format;

/**
 * Where rows of a column are stored as plain values, back to back: rows
 * {@code [firstRow, firstRow + rows)} occupy {@code [position, position + rows * bytesPerRow)} of
 * the file. A merge can copy such ranges byte for byte instead of decoding and re-encoding them.
 */
public record RowBytes(long firstRow, long rows, long position, int bytesPerRow) {
  public long length() {
    return rows * bytesPerRow;
  }
}
