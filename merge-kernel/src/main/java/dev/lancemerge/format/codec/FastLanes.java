package dev.lancemerge.format.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * FastLanes "1024-bit transposed" bit-packing of one chunk of 1024 values, as used by Lance's
 * {@code InlineBitpacking} and {@code OutOfLineBitpacking} (port of spiraldb/fastlanes in
 * {@code rust/compression/bitpacking}).
 *
 * <p>For an uncompressed word size {@code T} (8, 16, 32, 64) and a packed width {@code w} (0..T),
 * {@code LANES = 1024 / T}. Lane {@code l} packs, LSB first into a stream of T-bit words, the values
 * {@code v[idx(0,l)], v[idx(1,l)], ..., v[idx(T-1,l)]} masked to {@code w} bits, where
 * {@code idx(r,l) = FL_ORDER[r/8]*16 + (r%8)*128 + l} and {@code FL_ORDER = [0,4,2,6,1,5,3,7]}. A value
 * may straddle two words (low part in the earlier word). Word {@code k} (0..w-1) of lane {@code l} is
 * stored at word position {@code LANES*k + l}. A packed chunk is therefore {@code 1024*w/T} words =
 * {@code 128*w} bytes; {@code w = 0} is empty (all zeros) and {@code w = T} is a permuted copy.
 *
 * <p>Values are passed as {@code long}s holding the T-bit word zero-extended. Packed words are little
 * endian regardless of the {@link ByteBuffer}'s byte order.
 */
public final class FastLanes {
  /** Values per FastLanes chunk. */
  public static final int CHUNK = 1024;

  private static final int[] FL_ORDER = {0, 4, 2, 6, 1, 5, 3, 7};
  /** {@link #index}{@code (row, 0)} for T = 64: the 64-bit kernels add the lane. */
  private static final int[] ROW64 = new int[64];

  static {
    for (int row = 0; row < 64; row++) {
      ROW64[row] = index(row, 0);
    }
  }

  private FastLanes() {}

  /** Logical value index of row {@code row} (0..T-1) of lane {@code lane}. */
  public static int index(int row, int lane) {
    return FL_ORDER[row >>> 3] * 16 + (row & 7) * 128 + lane;
  }

  /** {@code 1024 / t}. */
  public static int lanes(int t) {
    return CHUNK / t;
  }

  /** Packed size of one chunk in T-bit words: {@code 1024*w/T}. */
  public static int packedWords(int t, int w) {
    return CHUNK / t * w;
  }

  /** Packed size of one chunk in bytes: {@code 128*w} (independent of T). */
  public static int packedBytes(int w) {
    return 128 * w;
  }

  static void checkWidths(int t, int w, String what) {
    Words.checkWordSize(t, what);
    if (w < 0 || w > t) {
      throw new CodecException(what + ": bit width " + w + (w < 0 ? " < 0" : " > " + t));
    }
  }

  /**
   * Unpacks one chunk of 1024 values packed at width {@code w} from {@code in} (starting at its
   * position, which is advanced by {@code 128*w} bytes) into {@code out[outOffset..outOffset+1024)}.
   *
   * @throws CodecException if T/w are invalid, {@code in} holds fewer than {@code 128*w} bytes or
   *     {@code out} is too small
   */
  public static void unpack(int t, int w, ByteBuffer in, long[] out, int outOffset) {
    unpack(t, w, in, out, outOffset, CHUNK);
  }

  /**
   * Like {@link #unpack(int, int, ByteBuffer, long[], int)} but writes only the logical values with
   * index {@code < limit} (a padded tail chunk); still consumes the whole packed chunk.
   */
  public static void unpack(int t, int w, ByteBuffer in, long[] out, int outOffset, int limit) {
    checkWidths(t, w, "fastlanes unpack");
    if (limit < 0 || limit > CHUNK) {
      throw new CodecException("fastlanes unpack: limit " + limit + " outside 0..1024");
    }
    Words.checkOut(out, outOffset, limit, "fastlanes unpack");
    int bytes = packedBytes(w);
    if (in.remaining() < bytes) {
      throw new CodecException("fastlanes unpack: chunk packed at " + w + " of " + t + " bits needs " + bytes
          + " bytes, buffer has " + in.remaining());
    }
    int base = in.position();
    if (w == 0) {
      Arrays.fill(out, outOffset, outOffset + limit, 0L);
      return;
    }
    ByteBuffer le = Words.le(in);
    switch (t) {
      case 8:
        unpack8(w, le, base, out, outOffset, limit);
        break;
      case 16:
        unpack16(w, le, base, out, outOffset, limit);
        break;
      case 32:
        unpack32(w, le, base, out, outOffset, limit);
        break;
      default:
        unpack64(w, le, base, out, outOffset, limit);
        break;
    }
    in.position(base + bytes);
  }

  /**
   * Packs {@code in[inOffset..inOffset+1024)} at width {@code w} (each value masked to its low
   * {@code w} bits) into {@code out} at its position, which is advanced by {@code 128*w} bytes.
   */
  public static void pack(int t, int w, long[] in, int inOffset, ByteBuffer out) {
    pack(t, w, in, inOffset, CHUNK, out);
  }

  /**
   * Like {@link #pack(int, int, long[], int, ByteBuffer)} but only {@code count} values are read from
   * {@code in}; logical indices {@code >= count} are packed as zero (Lance pads the last chunk).
   */
  public static void pack(int t, int w, long[] in, int inOffset, int count, ByteBuffer out) {
    checkWidths(t, w, "fastlanes pack");
    if (count < 0 || count > CHUNK || inOffset < 0 || (long) inOffset + count > in.length) {
      throw new IllegalArgumentException("fastlanes pack: bad input range offset " + inOffset + " count " + count);
    }
    int bytes = packedBytes(w);
    if (out.remaining() < bytes) {
      throw new IllegalArgumentException("fastlanes pack: output has " + out.remaining() + " bytes, need " + bytes);
    }
    if (w == 0) {
      return;
    }
    ByteBuffer le = Words.le(out);
    int base = out.position();
    if (t == 64) {
      pack64(w, in, inOffset, count, le, base);
      out.position(base + bytes);
      return;
    }
    int lanes = CHUNK / t;
    int wb = t >>> 3;
    long mask = Words.mask(w);
    long tmask = Words.mask(t);
    for (int lane = 0; lane < lanes; lane++) {
      long tmp = 0;
      int k = 0;
      for (int row = 0; row < t; row++) {
        int idx = index(row, lane);
        long v = idx < count ? in[inOffset + idx] & mask : 0L;
        int shift = (row * w) & (t - 1);
        tmp |= v << shift;
        int end = shift + w;
        if (end >= t) {
          Words.put(le, base + (lanes * k + lane) * wb, t, tmp & tmask);
          k++;
          tmp = end > t ? v >>> (t - shift) : 0L;
        }
      }
    }
    out.position(base + bytes);
  }

  /**
   * {@link #pack} for T = 64 (row ids): the same arithmetic, with the words gathered in an array and
   * written with one bulk copy instead of a checked buffer write each.
   */
  private static void pack64(int w, long[] in, int inOffset, int count, ByteBuffer le, int base) {
    long mask = Words.mask(w);
    long[] words = new long[16 * w];
    for (int lane = 0; lane < 16; lane++) {
      long tmp = 0;
      int k = 0;
      for (int row = 0; row < 64; row++) {
        int idx = ROW64[row] + lane;
        long v = idx < count ? in[inOffset + idx] & mask : 0L;
        int shift = (row * w) & 63;
        tmp |= v << shift;
        int end = shift + w;
        if (end >= 64) {
          words[16 * k + lane] = tmp;
          k++;
          tmp = end > 64 ? v >>> (64 - shift) : 0L;
        }
      }
    }
    le.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(base).asLongBuffer().put(words);
  }

  // ---- unpack kernels: one per T, the same arithmetic (that of pack); separate copies only let the JIT
  // see a constant word size.

  /** T = 64 (row ids): the packed words are bulk-copied into an array first, then unpacked from it. */
  private static void unpack64(int w, ByteBuffer le, int base, long[] out, int off, int limit) {
    long[] words = new long[16 * w];
    le.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(base).asLongBuffer().get(words);
    long mask = Words.mask(w);
    for (int lane = 0; lane < 16; lane++) {
      int k = 0;
      long src = words[lane];
      for (int row = 0; row < 64; row++) {
        int shift = (row * w) & 63;
        int end = shift + w;
        long v;
        if (end > 64) {
          long lo = src >>> shift;
          k++;
          src = words[16 * k + lane];
          v = (lo | (src << (64 - shift))) & mask;
        } else {
          v = (src >>> shift) & mask;
          if (end == 64 && k + 1 < w) {
            k++;
            src = words[16 * k + lane];
          }
        }
        int idx = ROW64[row] + lane;
        if (idx < limit) {
          out[off + idx] = v;
        }
      }
    }
  }

  private static void unpack8(int w, ByteBuffer le, int base, long[] out, int off, int limit) {
    final int t = 8;
    final int lanes = 128;
    long mask = Words.mask(w);
    for (int lane = 0; lane < lanes; lane++) {
      int k = 0;
      long src = le.get(base + lane) & 0xFFL;
      for (int row = 0; row < t; row++) {
        int shift = (row * w) & (t - 1);
        int end = shift + w;
        long v;
        if (end > t) {
          long lo = src >>> shift;
          k++;
          src = le.get(base + lanes * k + lane) & 0xFFL;
          v = (lo | (src << (t - shift))) & mask;
        } else {
          v = (src >>> shift) & mask;
          if (end == t && k + 1 < w) {
            k++;
            src = le.get(base + lanes * k + lane) & 0xFFL;
          }
        }
        int idx = row * 128 + lane;
        if (idx < limit) {
          out[off + idx] = v;
        }
      }
    }
  }

  private static void unpack16(int w, ByteBuffer le, int base, long[] out, int off, int limit) {
    final int t = 16;
    final int lanes = 64;
    long mask = Words.mask(w);
    for (int lane = 0; lane < lanes; lane++) {
      int k = 0;
      long src = le.getShort(base + 2 * lane) & 0xFFFFL;
      for (int row = 0; row < t; row++) {
        int shift = (row * w) & (t - 1);
        int end = shift + w;
        long v;
        if (end > t) {
          long lo = src >>> shift;
          k++;
          src = le.getShort(base + 2 * (lanes * k + lane)) & 0xFFFFL;
          v = (lo | (src << (t - shift))) & mask;
        } else {
          v = (src >>> shift) & mask;
          if (end == t && k + 1 < w) {
            k++;
            src = le.getShort(base + 2 * (lanes * k + lane)) & 0xFFFFL;
          }
        }
        int idx = index(row, lane);
        if (idx < limit) {
          out[off + idx] = v;
        }
      }
    }
  }

  private static void unpack32(int w, ByteBuffer le, int base, long[] out, int off, int limit) {
    final int t = 32;
    final int lanes = 32;
    long mask = Words.mask(w);
    for (int lane = 0; lane < lanes; lane++) {
      int k = 0;
      long src = le.getInt(base + 4 * lane) & 0xFFFF_FFFFL;
      for (int row = 0; row < t; row++) {
        int shift = (row * w) & (t - 1);
        int end = shift + w;
        long v;
        if (end > t) {
          long lo = src >>> shift;
          k++;
          src = le.getInt(base + 4 * (lanes * k + lane)) & 0xFFFF_FFFFL;
          v = (lo | (src << (t - shift))) & mask;
        } else {
          v = (src >>> shift) & mask;
          if (end == t && k + 1 < w) {
            k++;
            src = le.getInt(base + 4 * (lanes * k + lane)) & 0xFFFF_FFFFL;
          }
        }
        int idx = index(row, lane);
        if (idx < limit) {
          out[off + idx] = v;
        }
      }
    }
  }
}
