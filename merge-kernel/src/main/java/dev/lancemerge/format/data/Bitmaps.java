package dev.lancemerge.format.data;

/** LSB-first bitmaps (Arrow validity and boolean layout). */
public final class Bitmaps {
  private Bitmaps() {}

  public static byte[] allSet(int bits) {
    byte[] b = new byte[(bits + 7) / 8];
    java.util.Arrays.fill(b, (byte) 0xFF);
    return b;
  }

  public static boolean get(byte[] bitmap, long i) {
    return (bitmap[(int) (i >>> 3)] >>> (i & 7) & 1) != 0;
  }

  public static void set(byte[] bitmap, long i, boolean value) {
    int idx = (int) (i >>> 3);
    if (value) {
      bitmap[idx] |= (byte) (1 << (i & 7));
    } else {
      bitmap[idx] &= (byte) ~(1 << (i & 7));
    }
  }

  /** Copies {@code count} bits from {@code src} at {@code srcBit} into {@code dst} at {@code dstBit}. */
  public static void copy(byte[] src, long srcBit, byte[] dst, long dstBit, long count) {
    if ((srcBit & 7) == 0 && (dstBit & 7) == 0) {
      int whole = (int) (count >>> 3);
      System.arraycopy(src, (int) (srcBit >>> 3), dst, (int) (dstBit >>> 3), whole);
      for (long i = (long) whole * 8; i < count; i++) {
        set(dst, dstBit + i, get(src, srcBit + i));
      }
      return;
    }
    for (long i = 0; i < count; i++) {
      set(dst, dstBit + i, get(src, srcBit + i));
    }
  }

  /** True when all of the first {@code bits} bits are set. */
  public static boolean allValid(byte[] bitmap, int bits) {
    for (int i = 0; i < bits; i++) {
      if (!get(bitmap, i)) {
        return false;
      }
    }
    return true;
  }
}
