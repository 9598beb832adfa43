package dev.lancemerge.kernel.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * PQ code layout within one partition. Lance stores a partition's codes either row-major (one code
 * of {@code width} bytes per row) or transposed (column-major over the partition's bytes: byte
 * {@code b} of row {@code i} at {@code b * n + i}).
 */
final class PqCodes {
  private PqCodes() {}

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Row-major codes of {@code n} rows to the transposed layout. */
  static byte[] transpose(byte[] rowMajor, int n, int width) {
    byte[] out = new byte[rowMajor.length];
    int rows8 = n & ~7;
    int cols8 = width & ~7;
    long[] r = new long[8];
    // 8 x 8 byte blocks, transposed in registers: 8 long loads and 8 long stores per 64 bytes.
    for (int i0 = 0; i0 < rows8; i0 += 8) {
      for (int b0 = 0; b0 < cols8; b0 += 8) {
        for (int k = 0; k < 8; k++) {
          r[k] = (long) LONGS.get(rowMajor, (i0 + k) * width + b0);
        }
        transpose8x8(r);
        for (int j = 0; j < 8; j++) {
          LONGS.set(out, (b0 + j) * n + i0, r[j]);
        }
      }
    }
    // Rows past the last full block of 8, and columns past the last full block of 8.
    for (int b = 0; b < width; b++) {
      int from = b < cols8 ? rows8 : 0;
      for (int i = from; i < n; i++) {
        out[b * n + i] = rowMajor[i * width + b];
      }
    }
    return out;
  }

  /**
   * Transposes an 8 x 8 byte matrix held as 8 little-endian longs (long i = row i, byte j = column j) by
   * swapping 4 x 4, then 2 x 2, then 1 x 1 blocks across the diagonal.
   */
  private static void transpose8x8(long[] r) {
    for (int i = 0; i < 4; i++) {
      long t = ((r[i] >>> 32) ^ r[i + 4]) & 0x00000000FFFFFFFFL;
      r[i] ^= t << 32;
      r[i + 4] ^= t;
    }
    for (int i : new int[] {0, 1, 4, 5}) {
      long t = ((r[i] >>> 16) ^ r[i + 2]) & 0x0000FFFF0000FFFFL;
      r[i] ^= t << 16;
      r[i + 2] ^= t;
    }
    for (int i = 0; i < 8; i += 2) {
      long t = ((r[i] >>> 8) ^ r[i + 1]) & 0x00FF00FF00FF00FFL;
      r[i] ^= t << 8;
      r[i + 1] ^= t;
    }
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
