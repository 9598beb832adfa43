package dev.lancemerge.kernel.vector;

/**
 * PQ code layout within one partition. Lance stores a partition's codes either row-major (one code
 * of {@code width} bytes per row) or transposed (column-major over the partition's bytes: byte
 * {@code b} of row {@code i} at {@code b * n + i}).
 */
final class PqCodes {
  private PqCodes() {}

  /** Row-major codes of {@code n} rows to the transposed layout. */
  static byte[] transpose(byte[] rowMajor, int n, int width) {
    byte[] out = new byte[rowMajor.length];
    // Write sequentially, read with a stride of one code: a code is a few bytes, so the reads stay in cache.
    for (int b = 0; b < width; b++) {
      int dst = b * n;
      for (int i = 0, src = b; i < n; i++, src += width) {
        out[dst + i] = rowMajor[src];
      }
    }
    return out;
  }

  /** Transposed codes of {@code n} rows back to row-major. */
  static byte[] untranspose(byte[] transposed, int n, int width) {
    byte[] out = new byte[transposed.length];
    for (int b = 0; b < width; b++) {
      int src = b * n;
      for (int i = 0; i < n; i++) {
        out[i * width + b] = transposed[src + i];
      }
    }
    return out;
  }
}
