package dev.lancemerge.format.codec;

import java.nio.ByteBuffer;

/**
 * Lance {@code InlineBitpacking}: a sequence of 1024-value chunks, each one T-bit LE word holding the
 * chunk's bit width {@code w}, then {@code 1024*w/T} T-bit words of {@link FastLanes} packed data. The
 * last chunk is zero-padded to 1024 values before packing; the reader truncates.
 *
 * <p>In a mini-block page each mini-block chunk holds exactly one such chunk (Lance's decoder only
 * accepts one, with {@code n <= 1024}); Lance's block compressor form (rep/def levels, at most 1024
 * values) is the same bytes. This decoder accepts any number of consecutive chunks.
 */
public final class InlineBitpacking {
  private InlineBitpacking() {}

  /** Encoded size in bytes of one chunk of width {@code w}: {@code T/8 + 128*w}. */
  public static int chunkBytes(int t, int w) {
    return (t >>> 3) + FastLanes.packedBytes(w);
  }

  /** Decodes {@code n} values of T bits into a new array. See {@link #decode(int, ByteBuffer, int, long[], int)}. */
  public static long[] decode(int t, ByteBuffer in, int n) {
    Words.checkWordSize(t, "inline bitpacking");
    checkMinimumSize(t, in, n);
    long[] out = new long[n];
    decode(t, in, n, out, 0);
    return out;
  }

  /**
   * Decodes {@code n} values of T bits from the chunks starting at {@code in}'s position into
   * {@code out[outOffset..outOffset+n)}. The position is advanced past the chunks consumed
   * ({@code ceil(n/1024)} of them); trailing bytes (e.g. mini-block padding) are left unread.
   *
   * @throws CodecException on an unsupported T, a chunk bit width above T, or a truncated buffer
   */
  public static void decode(int t, ByteBuffer in, int n, long[] out, int outOffset) {
    Words.checkWordSize(t, "inline bitpacking");
    checkMinimumSize(t, in, n);
    Words.checkOut(out, outOffset, n, "inline bitpacking");
    ByteBuffer le = Words.le(in);
    int wb = t >>> 3;
    int done = 0;
    for (int chunk = 0; done < n; chunk++) {
      if (in.remaining() < wb) {
        throw new CodecException("inline bitpacking chunk " + chunk + ": truncated, no bit-width word ("
            + in.remaining() + " bytes left, " + (n - done) + " values missing)");
      }
      int p = in.position();
      long w = Words.get(le, p, t);
      if (w < 0 || w > t) {
        throw new CodecException("inline bitpacking chunk " + chunk + ": bit width " + Long.toUnsignedString(w)
            + " > " + t);
      }
      int need = FastLanes.packedBytes((int) w);
      if (in.remaining() - wb < need) {
        throw new CodecException("inline bitpacking chunk " + chunk + ": truncated, width " + w + " needs " + need
            + " bytes of packed data, buffer has " + (in.remaining() - wb));
      }
      in.position(p + wb);
      int count = Math.min(FastLanes.CHUNK, n - done);
      FastLanes.unpack(t, (int) w, in, out, outOffset + done, count);
      done += count;
    }
  }

  private static void checkMinimumSize(int t, ByteBuffer in, int n) {
    if (n < 0) {
      throw new CodecException("inline bitpacking: negative value count " + n);
    }
    long chunks = (n + (long) FastLanes.CHUNK - 1) / FastLanes.CHUNK;
    if (chunks * (t >>> 3) > in.remaining()) {
      throw new CodecException("inline bitpacking: " + n + " values need at least " + chunks + " chunk headers of "
          + (t >>> 3) + " bytes, buffer has " + in.remaining());
    }
  }

  /** Minimal bit width of {@code count} values taken as unsigned. */
  public static int bitWidth(long[] values, int off, int count) {
    long or = 0;
    for (int i = 0; i < count; i++) {
      or |= values[off + i];
    }
    return Words.bitWidth(or);
  }

  /** Encoded size in bytes of {@code n} values, choosing the minimal width per chunk like {@link #encode}. */
  public static long encodedSize(int t, long[] values, int off, int n) {
    Words.checkWordSize(t, "inline bitpacking");
    long size = 0;
    for (int done = 0; done < n; done += FastLanes.CHUNK) {
      int count = Math.min(FastLanes.CHUNK, n - done);
      size += chunkBytes(t, bitWidth(values, off + done, count));
    }
    return size;
  }

  /**
   * Encodes {@code n} values of T bits (each must fit in T bits) as consecutive inline-bitpacked
   * chunks, each at the minimal width of its values, and returns the bytes. {@code n = 0} gives an
   * empty array (Lance never writes an empty bitpacked buffer).
   */
  public static byte[] encode(int t, long[] values, int off, int n) {
    long size = encodedSize(t, values, off, n);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("inline bitpacking: encoded size " + size + " too large");
    }
    byte[] b = new byte[(int) size];
    encode(t, values, off, n, ByteBuffer.wrap(b));
    return b;
  }

  /** Encodes like {@link #encode(int, long[], int, int)} into {@code out} at its position (advanced). */
  public static void encode(int t, long[] values, int off, int n, ByteBuffer out) {
    Words.checkWordSize(t, "inline bitpacking");
    if (n < 0 || off < 0 || (long) off + n > values.length) {
      throw new IllegalArgumentException("inline bitpacking: bad input range offset " + off + " count " + n);
    }
    ByteBuffer le = Words.le(out);
    int wb = t >>> 3;
    for (int done = 0; done < n; done += FastLanes.CHUNK) {
      int count = Math.min(FastLanes.CHUNK, n - done);
      int w = bitWidth(values, off + done, count);
      if (w > t) {
        throw new IllegalArgumentException("inline bitpacking: a value in chunk " + done / FastLanes.CHUNK
            + " does not fit in " + t + " bits");
      }
      if (out.remaining() < chunkBytes(t, w)) {
        throw new IllegalArgumentException("inline bitpacking: output too small");
      }
      int p = out.position();
      Words.put(le, p, t, w);
      out.position(p + wb);
      FastLanes.pack(t, w, values, off + done, count, out);
    }
  }
}
