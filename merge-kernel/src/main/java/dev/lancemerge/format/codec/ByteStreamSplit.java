package dev.lancemerge.format.codec;

import java.nio.ByteBuffer;

/**
 * Lance byte-stream-split (mini-block, only used when field metadata asks for compression): within a
 * chunk of {@code n} values of {@code B} bytes, byte {@code j} of value {@code i} is stored at
 * {@code j*n + i}. Decoding yields the plain little-endian values.
 */
public final class ByteStreamSplit {
  private ByteStreamSplit() {}

  /**
   * Un-splits {@code n} values of {@code bitsPerValue} bits (a multiple of 8, at most 64) from
   * {@code in[position, position + n*B)}; the position is advanced.
   */
  public static byte[] decode(int bitsPerValue, ByteBuffer in, int n) {
    int b = check(bitsPerValue, n);
    long size = (long) n * b;
    if (size > in.remaining()) {
      throw new CodecException("byte stream split: " + n + " values of " + b + " bytes need " + size
          + " bytes, buffer has " + in.remaining());
    }
    byte[] out = new byte[(int) size];
    int p = in.position();
    for (int j = 0; j < b; j++) {
      int src = p + j * n;
      for (int i = 0; i < n; i++) {
        out[i * b + j] = in.get(src + i);
      }
    }
    in.position(p + (int) size);
    return out;
  }

  /** Splits {@code n} plain values of {@code bitsPerValue} bits from {@code values[off..]}. */
  public static byte[] encode(int bitsPerValue, byte[] values, int off, int n) {
    int b = check(bitsPerValue, n);
    long size = (long) n * b;
    if (off < 0 || off + size > values.length) {
      throw new IllegalArgumentException("byte stream split: input too short");
    }
    byte[] out = new byte[(int) size];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < b; j++) {
        out[j * n + i] = values[off + i * b + j];
      }
    }
    return out;
  }

  private static int check(int bitsPerValue, int n) {
    if (bitsPerValue <= 0 || bitsPerValue > 64 || bitsPerValue % 8 != 0) {
      throw new CodecException("byte stream split: unsupported width " + bitsPerValue + " bits");
    }
    if (n < 0) {
      throw new CodecException("byte stream split: negative value count " + n);
    }
    long size = (long) n * (bitsPerValue >>> 3);
    if (size > Integer.MAX_VALUE - 8) {
      throw new CodecException("byte stream split: " + size + " bytes is too large");
    }
    return bitsPerValue >>> 3;
  }
}
