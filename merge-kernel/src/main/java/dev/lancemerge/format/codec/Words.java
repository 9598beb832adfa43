package dev.lancemerge.format.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian fixed-width word helpers shared by the codecs. Values of {@code bits} bits (8, 16,
 * 32 or 64) are carried in a {@code long}, zero-extended (a 64-bit word may therefore be negative).
 */
public final class Words {
  private Words() {}

  /** A view of {@code b} with little-endian order; {@code b} itself if it already is LE. */
  static ByteBuffer le(ByteBuffer b) {
    return b.order() == ByteOrder.LITTLE_ENDIAN ? b : b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** True for the word sizes the Lance bit-packers support: 8, 16, 32, 64. */
  public static boolean isWordSize(int bits) {
    return bits == 8 || bits == 16 || bits == 32 || bits == 64;
  }

  static void checkWordSize(int bits, String what) {
    if (!isWordSize(bits)) {
      throw new CodecException(what + ": unsupported word size " + bits + " bits (need 8, 16, 32 or 64)");
    }
  }

  /** Mask of the low {@code bits} bits ({@code bits} in 0..64). */
  public static long mask(int bits) {
    return bits >= 64 ? -1L : (1L << bits) - 1;
  }

  /** Number of significant bits of {@code v} taken as unsigned (0 for 0). */
  public static int bitWidth(long v) {
    return 64 - Long.numberOfLeadingZeros(v);
  }

  /** Reads the {@code bits}-bit word at absolute {@code byteOffset} of an LE buffer, zero-extended. */
  static long get(ByteBuffer le, int byteOffset, int bits) {
    switch (bits) {
      case 8:
        return le.get(byteOffset) & 0xFFL;
      case 16:
        return le.getShort(byteOffset) & 0xFFFFL;
      case 32:
        return le.getInt(byteOffset) & 0xFFFF_FFFFL;
      default:
        return le.getLong(byteOffset);
    }
  }

  /** Writes the low {@code bits} bits of {@code v} at absolute {@code byteOffset} of an LE buffer. */
  static void put(ByteBuffer le, int byteOffset, int bits, long v) {
    switch (bits) {
      case 8:
        le.put(byteOffset, (byte) v);
        break;
      case 16:
        le.putShort(byteOffset, (short) v);
        break;
      case 32:
        le.putInt(byteOffset, (int) v);
        break;
      default:
        le.putLong(byteOffset, v);
        break;
    }
  }

  /**
   * Reads {@code n} raw LE words of {@code bits} bits starting at the buffer's position (a plain
   * {@code flat} buffer) and advances the position.
   */
  public static long[] read(int bits, ByteBuffer in, int n) {
    checkWordSize(bits, "flat");
    if (n < 0) {
      throw new CodecException("flat: negative value count " + n);
    }
    int wb = bits >>> 3;
    if ((long) n * wb > in.remaining()) {
      throw new CodecException("flat: " + n + " values of " + bits + " bits need " + (long) n * wb
          + " bytes, buffer has " + in.remaining());
    }
    long[] out = new long[n];
    ByteBuffer le = le(in);
    int p = in.position();
    if (bits == 64) {
      // Row ids: one bulk copy, as in write.
      le.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(p).asLongBuffer().get(out);
      in.position(p + n * 8);
      return out;
    }
    for (int i = 0; i < n; i++, p += wb) {
      out[i] = get(le, p, bits);
    }
    in.position(p);
    return out;
  }

  /** Writes {@code n} values as raw LE words of {@code bits} bits at the position and advances it. */
  public static void write(int bits, long[] values, int off, int n, ByteBuffer out) {
    checkWordSize(bits, "flat");
    int wb = bits >>> 3;
    if ((long) n * wb > out.remaining()) {
      throw new IllegalArgumentException("flat: output has " + out.remaining() + " bytes, need " + (long) n * wb);
    }
    ByteBuffer le = le(out);
    int p = out.position();
    if (bits == 64) {
      // Row ids and most wide columns: one bulk copy instead of a put per value.
      le.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(p).asLongBuffer().put(values, off, n);
      out.position(p + n * 8);
      return;
    }
    for (int i = 0; i < n; i++, p += wb) {
      put(le, p, bits, values[off + i]);
    }
    out.position(p);
  }

  /** {@code n} values as a new byte array of raw LE words of {@code bits} bits. */
  public static byte[] toBytes(int bits, long[] values, int off, int n) {
    checkWordSize(bits, "flat");
    byte[] b = new byte[Math.multiplyExact(n, bits >>> 3)];
    write(bits, values, off, n, ByteBuffer.wrap(b));
    return b;
  }

  static void checkOut(long[] out, int outOffset, int n, String what) {
    if (out == null || outOffset < 0 || n < 0 || (long) outOffset + n > out.length) {
      throw new CodecException(what + ": output array too small (offset " + outOffset + ", count " + n
          + ", length " + (out == null ? "null" : String.valueOf(out.length)) + ")");
    }
  }
}
