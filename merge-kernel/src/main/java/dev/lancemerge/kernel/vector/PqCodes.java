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
  private static final long M32 = 0x00000000FFFFFFFFL;
  private static final long M16 = 0x0000FFFF0000FFFFL;
  private static final long M8 = 0x00FF00FF00FF00FFL;

  /** Row-major codes of {@code n} rows to the transposed layout. */
  static byte[] transpose(byte[] rowMajor, int n, int width) {
    byte[] out = new byte[rowMajor.length];
    int rows8 = n & ~7;
    int cols8 = width & ~7;
    // 8 x 8 byte blocks transposed in registers: 8 long loads and 8 long stores per 64 bytes. The
    // block lives in locals, not an array, so the JIT keeps it in registers.
    for (int b0 = 0; b0 < cols8; b0 += 8) {
      for (int i0 = 0; i0 < rows8; i0 += 8) {
        int s = i0 * width + b0;
        long r0 = (long) LONGS.get(rowMajor, s);
        long r1 = (long) LONGS.get(rowMajor, s + width);
        long r2 = (long) LONGS.get(rowMajor, s + 2 * width);
        long r3 = (long) LONGS.get(rowMajor, s + 3 * width);
        long r4 = (long) LONGS.get(rowMajor, s + 4 * width);
        long r5 = (long) LONGS.get(rowMajor, s + 5 * width);
        long r6 = (long) LONGS.get(rowMajor, s + 6 * width);
        long r7 = (long) LONGS.get(rowMajor, s + 7 * width);
        // Swap the 4 x 4, then 2 x 2, then 1 x 1 blocks across the diagonal (long i = row i, byte j = column j).
        long t;
        t = ((r0 >>> 32) ^ r4) & M32;
        r0 ^= t << 32;
        r4 ^= t;
        t = ((r1 >>> 32) ^ r5) & M32;
        r1 ^= t << 32;
        r5 ^= t;
        t = ((r2 >>> 32) ^ r6) & M32;
        r2 ^= t << 32;
        r6 ^= t;
        t = ((r3 >>> 32) ^ r7) & M32;
        r3 ^= t << 32;
        r7 ^= t;
        t = ((r0 >>> 16) ^ r2) & M16;
        r0 ^= t << 16;
        r2 ^= t;
        t = ((r1 >>> 16) ^ r3) & M16;
        r1 ^= t << 16;
        r3 ^= t;
        t = ((r4 >>> 16) ^ r6) & M16;
        r4 ^= t << 16;
        r6 ^= t;
        t = ((r5 >>> 16) ^ r7) & M16;
        r5 ^= t << 16;
        r7 ^= t;
        t = ((r0 >>> 8) ^ r1) & M8;
        r0 ^= t << 8;
        r1 ^= t;
        t = ((r2 >>> 8) ^ r3) & M8;
        r2 ^= t << 8;
        r3 ^= t;
        t = ((r4 >>> 8) ^ r5) & M8;
        r4 ^= t << 8;
        r5 ^= t;
        t = ((r6 >>> 8) ^ r7) & M8;
        r6 ^= t << 8;
        r7 ^= t;
        int d = b0 * n + i0;
        LONGS.set(out, d, r0);
        LONGS.set(out, d + n, r1);
        LONGS.set(out, d + 2 * n, r2);
        LONGS.set(out, d + 3 * n, r3);
        LONGS.set(out, d + 4 * n, r4);
        LONGS.set(out, d + 5 * n, r5);
        LONGS.set(out, d + 6 * n, r6);
        LONGS.set(out, d + 7 * n, r7);
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
