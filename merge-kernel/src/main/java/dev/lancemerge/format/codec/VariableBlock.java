package dev.lancemerge.format.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Lance {@code variable{offsets=flat{32|64}}} layouts (2.1+).
 *
 * <p><b>Block form</b> (block compressor, e.g. a string dictionary in page buffer 2): 32-bit
 * {@code [u32 32][u32 bytesStart][(n+1) u32 offsets][bytes]}, 64-bit
 * {@code [u64 64][u64 bytesStart][(n+1) u64 offsets][bytes]}. {@code bytesStart} is the absolute start
 * of the bytes in the block; the offsets are relative to that start (they are the source array's
 * offsets, normally starting at 0). Lance's reader also accepts an older header
 * {@code [u8 bits][u32|u64 n][u32|u64 bytesStart]} (detected by bytes 1..3 not all zero), supported here.
 *
 * <p><b>Mini-block form</b> (one buffer per chunk): {@code (n+1)} u32/u64 offsets relative to the
 * buffer start (so {@code offsets[0] = (n+1)*width}), then the bytes, then padding to 4 (32-bit) or 8
 * (64-bit) bytes with {@code 0x48}.
 *
 * <p>Decoders read the buffer from its position to its limit and do not move the position. They copy
 * the value bytes (never more than the input holds) and return offsets starting at 0.
 */
public final class VariableBlock {
  /** Padding byte Lance writes after mini-block variable data. */
  public static final byte PAD = 0x48;

  private VariableBlock() {}

  /** Decodes the block form; the value count is derived from {@code bytesStart}. */
  public static VariableData decodeBlock(ByteBuffer block) {
    return decodeBlock(block, -1);
  }

  /**
   * Decodes the block form and checks it holds {@code expectedCount} values ({@code -1}: don't check).
   *
   * @throws CodecException on a bad header, an offsets region that is not (n+1) offsets, or offsets
   *     that decrease or point past the bytes
   */
  public static VariableData decodeBlock(ByteBuffer block, long expectedCount) {
    ByteBuffer le = Words.le(block);
    int p = block.position();
    int len = block.remaining();
    if (len < 4) {
      throw new CodecException("variable block: " + len + " bytes, too short for a header");
    }
    boolean old = le.get(p + 1) != 0 || le.get(p + 2) != 0 || le.get(p + 3) != 0;
    int bits;
    long bytesStart;
    int offsetsStart;
    long oldCount = -1;
    if (old) {
      bits = le.get(p) & 0xFF;
      if (bits == 32) {
        need(len, 9, "legacy 32-bit header");
        oldCount = le.getInt(p + 1) & 0xFFFF_FFFFL;
        bytesStart = le.getInt(p + 5) & 0xFFFF_FFFFL;
        offsetsStart = 9;
      } else if (bits == 64) {
        need(len, 17, "legacy 64-bit header");
        oldCount = le.getLong(p + 1);
        bytesStart = le.getLong(p + 9);
        offsetsStart = 17;
      } else {
        throw new CodecException("variable block: unsupported bits per offset " + bits + " (legacy header)");
      }
    } else {
      long b = le.getInt(p) & 0xFFFF_FFFFL;
      if (b == 32) {
        need(len, 8, "32-bit header");
        bytesStart = le.getInt(p + 4) & 0xFFFF_FFFFL;
        offsetsStart = 8;
      } else if (b == 64) {
        need(len, 16, "64-bit header");
        if (le.getInt(p + 4) != 0) {
          throw new CodecException("variable block: 64-bit header word is not 64");
        }
        bytesStart = le.getLong(p + 8);
        offsetsStart = 16;
      } else {
        throw new CodecException("variable block: unsupported bits per offset " + b);
      }
      bits = (int) b;
    }
    int width = bits >>> 3;
    if (bytesStart < offsetsStart + width || bytesStart > len) {
      throw new CodecException("variable block: bytes start " + Long.toUnsignedString(bytesStart)
          + " outside " + (offsetsStart + width) + ".." + len);
    }
    long offsetsLen = bytesStart - offsetsStart;
    if (offsetsLen % width != 0) {
      throw new CodecException("variable block: offsets region of " + offsetsLen + " bytes is not a multiple of "
          + width);
    }
    long n = offsetsLen / width - 1;
    if (oldCount >= 0 && oldCount != n) {
      throw new CodecException("variable block: legacy header says " + oldCount + " values, offsets hold " + n);
    }
    if (expectedCount >= 0 && expectedCount != n) {
      throw new CodecException("variable block: expected " + expectedCount + " values, block holds " + n);
    }
    return extract(le, p + offsetsStart, (int) n, bits, p + (int) bytesStart, len - (int) bytesStart, 0,
        "variable block");
  }

  /**
   * Decodes a mini-block variable buffer holding {@code n} values with {@code bitsPerOffset} (32 or
   * 64) offsets relative to the buffer start. Padding after the last value is ignored.
   */
  public static VariableData decodeMiniBlock(int bitsPerOffset, ByteBuffer buf, int n) {
    if (bitsPerOffset != 32 && bitsPerOffset != 64) {
      throw new CodecException("variable mini-block: unsupported bits per offset " + bitsPerOffset);
    }
    if (n < 0) {
      throw new CodecException("variable mini-block: negative value count " + n);
    }
    int width = bitsPerOffset >>> 3;
    long offBytes = ((long) n + 1) * width;
    if (offBytes > buf.remaining()) {
      throw new CodecException("variable mini-block: " + n + " values need " + offBytes + " bytes of offsets, buffer has "
          + buf.remaining());
    }
    ByteBuffer le = Words.le(buf);
    int p = buf.position();
    // Offsets are relative to the buffer start; bytes may not overlap the offsets.
    return extract(le, p, n, bitsPerOffset, p, buf.remaining(), offBytes, "variable mini-block");
  }

  /**
   * Reads n+1 offsets at {@code offPos}, relative to {@code dataPos}; they must lie within
   * {@code [minOffset, dataLen]} and not decrease. Copies the bytes and rebases offsets to 0.
   */
  private static VariableData extract(ByteBuffer le, int offPos, int n, int bits, int dataPos, int dataLen,
      long minOffset, String what) {
    int width = bits >>> 3;
    long first = Words.get(le, offPos, bits);
    if (first < minOffset || first > dataLen) {
      throw new CodecException(what + ": first offset " + Long.toUnsignedString(first) + " outside " + minOffset + ".."
          + dataLen);
    }
    long prev = first;
    for (int i = 1; i <= n; i++) {
      long o = Words.get(le, offPos + i * width, bits);
      if (o < prev || o > dataLen) { // o < 0 (huge u64) also fails o < prev since prev >= 0
        throw new CodecException(what + ": offset " + i + " = " + Long.toUnsignedString(o) + " (previous " + prev
            + ", data length " + dataLen + ")");
      }
      prev = o;
    }
    long[] offsets = new long[n + 1];
    for (int i = 1; i <= n; i++) {
      offsets[i] = Words.get(le, offPos + i * width, bits) - first;
    }
    byte[] bytes = new byte[(int) (prev - first)];
    ByteBuffer d = le.duplicate();
    d.position(dataPos + (int) first);
    d.get(bytes);
    return new VariableData(bytes, offsets);
  }

  private static void need(int len, int n, String what) {
    if (len < n) {
      throw new CodecException("variable block: " + len + " bytes, too short for the " + what + " (" + n + " bytes)");
    }
  }

  /** Encodes the block form (as Lance's {@code VariableEncoder}); offsets are written rebased to 0. */
  public static byte[] encodeBlock(int bitsPerOffset, VariableData v) {
    if (bitsPerOffset != 32 && bitsPerOffset != 64) {
      throw new IllegalArgumentException("variable block: unsupported bits per offset " + bitsPerOffset);
    }
    int width = bitsPerOffset >>> 3;
    int n = v.count();
    long bytesStart = 2L * width + ((long) n + 1) * width;
    long total = bytesStart + v.dataLength();
    if (total > Integer.MAX_VALUE - 8 || (bitsPerOffset == 32 && total > 0xFFFF_FFFFL)) {
      throw new IllegalArgumentException("variable block: too large (" + total + " bytes)");
    }
    ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    Words.put(b, 0, bitsPerOffset, bitsPerOffset);
    Words.put(b, width, bitsPerOffset, bytesStart);
    long base = v.offsets()[0];
    for (int i = 0; i <= n; i++) {
      Words.put(b, (2 + i) * width, bitsPerOffset, v.offsets()[i] - base);
    }
    b.position((int) bytesStart);
    b.put(v.bytes(), (int) base, (int) v.dataLength());
    return b.array();
  }

  /**
   * Encodes one mini-block variable buffer: offsets relative to the buffer start, the bytes, then
   * {@code 0x48} padding to 4 (32-bit) or 8 (64-bit) bytes. The returned length includes the padding
   * (it is the buffer size Lance records).
   */
  public static byte[] encodeMiniBlock(int bitsPerOffset, VariableData v) {
    if (bitsPerOffset != 32 && bitsPerOffset != 64) {
      throw new IllegalArgumentException("variable mini-block: unsupported bits per offset " + bitsPerOffset);
    }
    int width = bitsPerOffset >>> 3;
    int n = v.count();
    long start = ((long) n + 1) * width;
    long end = start + v.dataLength();
    long padded = (end + width - 1) / width * width;
    if (padded > Integer.MAX_VALUE - 8 || (bitsPerOffset == 32 && end > 0xFFFF_FFFFL)) {
      throw new IllegalArgumentException("variable mini-block: too large (" + padded + " bytes)");
    }
    ByteBuffer b = ByteBuffer.allocate((int) padded).order(ByteOrder.LITTLE_ENDIAN);
    long base = v.offsets()[0];
    for (int i = 0; i <= n; i++) {
      Words.put(b, i * width, bitsPerOffset, start + v.offsets()[i] - base);
    }
    b.position((int) start);
    b.put(v.bytes(), (int) base, (int) v.dataLength());
    while (b.hasRemaining()) {
      b.put(PAD);
    }
    return b.array();
  }
}
