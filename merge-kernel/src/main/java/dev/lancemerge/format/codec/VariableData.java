package dev.lancemerge.format.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded variable-width array: {@code count()+1} offsets into {@code bytes}. Value {@code i} is
 * {@code bytes[offsets[i], offsets[i+1])}. Decoders in this package always return offsets starting at
 * 0 with {@code offsets[count] == bytes.length}. Arrays are shared, not copied.
 */
public final class VariableData {
  private final byte[] bytes;
  private final long[] offsets;

  /**
   * @throws IllegalArgumentException if offsets are empty, decreasing, negative or beyond
   *     {@code bytes.length}
   */
  public VariableData(byte[] bytes, long[] offsets) {
    if (offsets.length == 0) {
      throw new IllegalArgumentException("variable data needs at least one offset");
    }
    long prev = offsets[0];
    if (prev < 0) {
      throw new IllegalArgumentException("negative first offset " + prev);
    }
    for (int i = 1; i < offsets.length; i++) {
      if (offsets[i] < prev) {
        throw new IllegalArgumentException("offset " + i + " (" + offsets[i] + ") < offset " + (i - 1) + " (" + prev + ")");
      }
      prev = offsets[i];
    }
    if (prev > bytes.length) {
      throw new IllegalArgumentException("last offset " + prev + " > " + bytes.length + " bytes");
    }
    this.bytes = bytes;
    this.offsets = offsets;
  }

  /** Builds from whole values. */
  public static VariableData of(List<byte[]> values) {
    long total = 0;
    for (byte[] v : values) {
      total += v.length;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("variable data too large: " + total + " bytes");
    }
    byte[] b = new byte[(int) total];
    long[] o = new long[values.size() + 1];
    int p = 0;
    for (int i = 0; i < values.size(); i++) {
      byte[] v = values.get(i);
      System.arraycopy(v, 0, b, p, v.length);
      p += v.length;
      o[i + 1] = p;
    }
    return new VariableData(b, o);
  }

  /** Builds from UTF-8 strings. */
  public static VariableData ofStrings(String... values) {
    byte[][] b = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      b[i] = values[i].getBytes(StandardCharsets.UTF_8);
    }
    return of(Arrays.asList(b));
  }

  public int count() {
    return offsets.length - 1;
  }

  public byte[] bytes() {
    return bytes;
  }

  public long[] offsets() {
    return offsets;
  }

  public int start(int i) {
    return (int) offsets[i];
  }

  public int end(int i) {
    return (int) offsets[i + 1];
  }

  public int length(int i) {
    return (int) (offsets[i + 1] - offsets[i]);
  }

  /** A copy of value {@code i}. */
  public byte[] value(int i) {
    return Arrays.copyOfRange(bytes, start(i), end(i));
  }

  /** Value {@code i} decoded as UTF-8. */
  public String string(int i) {
    return new String(bytes, start(i), length(i), StandardCharsets.UTF_8);
  }

  /** Total value bytes, {@code offsets[count] - offsets[0]}. */
  public long dataLength() {
    return offsets[offsets.length - 1] - offsets[0];
  }
}
