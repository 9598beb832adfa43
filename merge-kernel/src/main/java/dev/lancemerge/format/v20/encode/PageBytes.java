package dev.lancemerge.format.v20.encode;

import dev.lancemerge.format.data.Bitmaps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Raw byte forms of page buffers: trimmed bitmaps, trimmed values and little-endian u64 arrays. */
public final class PageBytes {
  private PageBytes() {}

  /**
   * The first {@code bits} bits of {@code bitmap} in {@code ceil(bits / 8)} bytes, the unused high
   * bits of the last byte cleared (Arrow's bitmap builder, which Lance uses, leaves them 0).
   */
  public static byte[] bitmap(byte[] bitmap, int bits) {
    byte[] out = new byte[(bits + 7) / 8];
    Bitmaps.copy(bitmap, 0, out, 0, bits);
    return out;
  }

  /** Bytes {@code [from, from + length)} of {@code src}, without copying when that is all of it. */
  public static byte[] range(byte[] src, int from, int length) {
    if (from == 0 && length == src.length) {
      return src;
    }
    return Arrays.copyOfRange(src, from, from + length);
  }

  /** {@code values} as little-endian u64. */
  public static byte[] u64(long[] values) {
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }
}
