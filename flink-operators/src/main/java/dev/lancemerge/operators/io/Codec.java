package dev.lancemerge.operators.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Compact primitives shared by this package's serializers: unsigned LEB128 varints and length-prefixed UTF-8. */
public final class Codec {
  /** Longest string or byte array any of our formats writes (a path, a reason, a zone value). */
  public static final int MAX_BYTES = 16 << 20;

  private Codec() {}

  public static void writeVarLong(DataOutputView out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  public static long readVarLong(DataInputView in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("malformed varint (more than 10 bytes)");
  }

  public static void writeVarInt(DataOutputView out, int v) throws IOException {
    if (v < 0) {
      throw new IllegalArgumentException("negative count " + v);
    }
    writeVarLong(out, v);
  }

  /** A non-negative int no larger than {@code max}. */
  public static int readVarInt(DataInputView in, int max, String what) throws IOException {
    long v = readVarLong(in);
    if (v < 0 || v > max) {
      throw new IOException(what + " " + v + " is out of range [0, " + max + "]");
    }
    return (int) v;
  }

  /** Zig-zag for values that may be negative. */
  public static void writeZigZag(DataOutputView out, long v) throws IOException {
    writeVarLong(out, (v << 1) ^ (v >> 63));
  }

  public static long readZigZag(DataInputView in) throws IOException {
    long z = readVarLong(in);
    return (z >>> 1) ^ -(z & 1);
  }

  public static void writeString(DataOutputView out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  public static String readString(DataInputView in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  /** Null-able string: 0 for null, else length + 1. */
  public static void writeNullableString(DataOutputView out, String s) throws IOException {
    writeNullableBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  public static String readNullableString(DataInputView in) throws IOException {
    byte[] b = readNullableBytes(in);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  public static void writeBytes(DataOutputView out, byte[] b) throws IOException {
    writeVarInt(out, b.length);
    out.write(b);
  }

  public static byte[] readBytes(DataInputView in) throws IOException {
    byte[] b = new byte[readVarInt(in, MAX_BYTES, "length")];
    in.readFully(b);
    return b;
  }

  public static void writeNullableBytes(DataOutputView out, byte[] b) throws IOException {
    if (b == null) {
      writeVarInt(out, 0);
      return;
    }
    writeVarInt(out, b.length + 1);
    out.write(b);
  }

  public static byte[] readNullableBytes(DataInputView in) throws IOException {
    int n = readVarInt(in, MAX_BYTES + 1, "length");
    if (n == 0) {
      return null;
    }
    byte[] b = new byte[n - 1];
    in.readFully(b);
    return b;
  }

  public static void writeUuid(DataOutputView out, UUID u) throws IOException {
    out.writeLong(u.getMostSignificantBits());
    out.writeLong(u.getLeastSignificantBits());
  }

  public static UUID readUuid(DataInputView in) throws IOException {
    return new UUID(in.readLong(), in.readLong());
  }

  /** More fragments than a descriptor may name; guards corrupt input. */
  public static final int MAX_FRAGMENTS = 1 << 26;

  /** Ascending fragment ids: a count, then varint deltas (the first from 0). */
  public static void writeFragments(DataOutputView out, Collection<Integer> ascending) throws IOException {
    writeVarInt(out, ascending.size());
    long previous = 0;
    for (int f : ascending) {
      if (f < previous) {
        throw new IllegalArgumentException("fragment ids not ascending: " + f + " after " + previous);
      }
      writeVarLong(out, f - previous);
      previous = f;
    }
  }

  public static SortedSet<Integer> readFragments(DataInputView in) throws IOException {
    int n = readVarInt(in, MAX_FRAGMENTS, "fragment count");
    TreeSet<Integer> fragments = new TreeSet<>();
    long f = 0;
    for (int i = 0; i < n; i++) {
      f += readVarLong(in);
      if (f < 0 || f > Integer.MAX_VALUE) {
        throw new IOException("fragment id " + f + " is out of range");
      }
      fragments.add((int) f);
    }
    return fragments;
  }
}
