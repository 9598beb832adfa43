package dev.lancemerge.format.v21.encode;

/**
 * One value buffer of a mini-block chunk: a range of an array, so that plain values are serialized
 * straight from the page's array instead of being copied out first.
 */
record ChunkBuffer(byte[] array, int offset, int length) {
  /** A whole array. */
  static ChunkBuffer of(byte[] array) {
    return new ChunkBuffer(array, 0, array.length);
  }
}
