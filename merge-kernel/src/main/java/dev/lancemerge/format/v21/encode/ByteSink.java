package dev.lancemerge.format.v21.encode;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A growable little-endian byte buffer; page buffers are assembled in it before being written. */
final class ByteSink {
  private byte[] buf;
  private int size;

  ByteSink(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  int size() {
    return size;
  }

  private void ensure(int extra) {
    int need = Math.addExact(size, extra);
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(need, buf.length + (buf.length >> 1)));
    }
  }

  void u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  void u16(int v) {
    ensure(2);
    buf[size++] = (byte) v;
    buf[size++] = (byte) (v >>> 8);
  }

  void u32(long v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  void u64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  /** Writes {@code v} in {@code width} bytes (1, 2, 4 or 8), little-endian. */
  void uint(long v, int width) {
    ensure(width);
    for (int i = 0; i < width; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  void bytes(byte[] src, int from, int len) {
    ensure(len);
    System.arraycopy(src, from, buf, size, len);
    size += len;
  }

  void bytes(byte[] src) {
    bytes(src, 0, src.length);
  }

  /** Appends {@code fill} until the size is a multiple of {@code align}. */
  void padTo(int align, byte fill) {
    int pad = pad(size, align);
    ensure(pad);
    Arrays.fill(buf, size, size + pad, fill);
    size += pad;
  }

  /** Bytes needed to bring {@code n} up to a multiple of {@code align} (a power of two). */
  static int pad(long n, int align) {
    return (int) ((align - (n & (align - 1))) & (align - 1));
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, size);
  }

  ByteBuffer toBuffer() {
    return ByteBuffer.wrap(buf, 0, size).slice();
  }
}
