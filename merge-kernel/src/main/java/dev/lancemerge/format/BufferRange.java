package dev.lancemerge.format;

/** Where a buffer lies in a file: absolute position and size in bytes. */
public record BufferRange(long position, long size) {
  public long end() {
    return position + size;
  }
}
