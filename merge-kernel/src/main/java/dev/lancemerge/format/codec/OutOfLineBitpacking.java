package dev.lancemerge.format.codec;

import java.nio.ByteBuffer;

/**
 * Lance {@code OutOfLineBitpacking} (a block compressor, used for rep/def levels): all values packed
 * with {@link FastLanes} at one fixed compressed width {@code cw} (from {@code values=flat{cw}}), whole
 * 1024-value chunks back to back with no per-chunk header, each {@code 1024*cw/T} T-bit words.
 *
 * <p>The tail ({@code n % 1024} values) is either zero-padded to 1024 and packed like a whole chunk, or
 * appended raw as {@code tail} T-bit words. The reader tells them apart from the buffer length alone:
 * the tail is raw iff {@code lenWords == wholeChunks*wordsPerChunk + tail}. (If a padded chunk has the
 * same length, {@code tail*T == 1024*cw}, the reader takes it as raw; Lance's writer then also picks raw,
 * and {@link #encode} with {@link Tail#PACKED} falls back to raw in that case.)
 */
public final class OutOfLineBitpacking {
  private OutOfLineBitpacking() {}

  /** How the encoder stores the tail chunk. */
  public enum Tail {
    /** Like Lance's writer: pack when {@code cw*(1024-tail) < (T-cw)*tail}, otherwise raw. */
    AUTO,
    /** Always append the tail raw. */
    RAW,
    /** Always pad and pack the tail (except in the ambiguous case, which must be raw). */
    PACKED
  }

  /** Decodes {@code n} values into a new array; see {@link #decode(int, int, ByteBuffer, int, long[], int)}. */
  public static long[] decode(int t, int cw, ByteBuffer in, int n) {
    check(t, cw, n);
    requiredWords(t, cw, in, n); // validate before allocating
    long[] out = new long[n];
    decode(t, cw, in, n, out, 0);
    return out;
  }

  /**
   * Decodes {@code n} values of T bits packed at width {@code cw}. The encoded block is
   * {@code in[position, limit)}: its length decides the tail form, so pass exactly the block. The
   * buffer's position is not changed. Words beyond what {@code n} needs are ignored (as Lance does).
   *
   * @throws CodecException on bad widths or a buffer too short for {@code n} values
   */
  public static void decode(int t, int cw, ByteBuffer in, int n, long[] out, int outOffset) {
    check(t, cw, n);
    Words.checkOut(out, outOffset, n, "out-of-line bitpacking");
    boolean tailRaw = requiredWords(t, cw, in, n) < 0;
    int wb = t >>> 3;
    int whole = n / FastLanes.CHUNK;
    int tail = n % FastLanes.CHUNK;
    ByteBuffer view = in.duplicate().order(in.order());
    for (int c = 0; c < whole; c++) {
      FastLanes.unpack(t, cw, view, out, outOffset + c * FastLanes.CHUNK);
    }
    if (tail > 0) {
      int o = outOffset + whole * FastLanes.CHUNK;
      if (tailRaw) {
        ByteBuffer le = Words.le(view);
        int p = view.position();
        for (int i = 0; i < tail; i++, p += wb) {
          out[o + i] = Words.get(le, p, t);
        }
      } else {
        FastLanes.unpack(t, cw, view, out, o, tail);
      }
    }
  }

  /** Returns the words needed; negated when the tail is raw. Throws if the buffer is too short. */
  private static long requiredWords(int t, int cw, ByteBuffer in, int n) {
    int wb = t >>> 3;
    long lenWords = in.remaining() / wb;
    long wpc = FastLanes.packedWords(t, cw);
    long whole = n / FastLanes.CHUNK;
    long tail = n % FastLanes.CHUNK;
    long full = whole * wpc;
    boolean tailRaw = tail > 0 && lenWords == full + tail;
    long need = full + (tail == 0 ? 0 : tailRaw ? tail : wpc);
    if (lenWords < need) {
      throw new CodecException("out-of-line bitpacking: " + n + " values at " + cw + " of " + t + " bits need "
          + need + " words (" + whole + " chunks of " + wpc + (tail > 0 ? " + packed tail of " + wpc + " or raw tail of "
          + tail : "") + "), buffer has " + lenWords);
    }
    return tailRaw ? -need : need;
  }

  private static void check(int t, int cw, int n) {
    FastLanes.checkWidths(t, cw, "out-of-line bitpacking");
    if (n < 0) {
      throw new CodecException("out-of-line bitpacking: negative value count " + n);
    }
  }

  /** True if the encoder (in the given mode) stores a tail of {@code tail} values packed. */
  public static boolean packsTail(int t, int cw, int tail, Tail mode) {
    if (tail == 0) {
      return false;
    }
    if ((long) tail * t == (long) FastLanes.CHUNK * cw) {
      return false; // same length as raw: the reader would take it as raw
    }
    switch (mode) {
      case RAW:
        return false;
      case PACKED:
        return true;
      default:
        return (long) cw * (FastLanes.CHUNK - tail) < (long) (t - cw) * tail;
    }
  }

  /** Encoded size in bytes. */
  public static long encodedSize(int t, int cw, int n, Tail mode) {
    FastLanes.checkWidths(t, cw, "out-of-line bitpacking");
    int whole = n / FastLanes.CHUNK;
    int tail = n % FastLanes.CHUNK;
    long words = (long) whole * FastLanes.packedWords(t, cw)
        + (tail == 0 ? 0 : packsTail(t, cw, tail, mode) ? FastLanes.packedWords(t, cw) : tail);
    return words * (t >>> 3);
  }

  /** Encodes with {@link Tail#AUTO}. */
  public static byte[] encode(int t, int cw, long[] values, int off, int n) {
    return encode(t, cw, values, off, n, Tail.AUTO);
  }

  /**
   * Packs {@code n} values at width {@code cw}; every value must fit in {@code cw} bits (otherwise
   * {@link IllegalArgumentException}, rather than silently masking as Lance does).
   */
  public static byte[] encode(int t, int cw, long[] values, int off, int n, Tail mode) {
    FastLanes.checkWidths(t, cw, "out-of-line bitpacking");
    if (n < 0 || off < 0 || (long) off + n > values.length) {
      throw new IllegalArgumentException("out-of-line bitpacking: bad input range offset " + off + " count " + n);
    }
    int w = InlineBitpacking.bitWidth(values, off, n);
    if (w > cw) {
      throw new IllegalArgumentException("out-of-line bitpacking: values need " + w + " bits > width " + cw);
    }
    long size = encodedSize(t, cw, n, mode);
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("out-of-line bitpacking: encoded size " + size + " too large");
    }
    byte[] b = new byte[(int) size];
    ByteBuffer out = ByteBuffer.wrap(b);
    int whole = n / FastLanes.CHUNK;
    int tail = n % FastLanes.CHUNK;
    for (int c = 0; c < whole; c++) {
      FastLanes.pack(t, cw, values, off + c * FastLanes.CHUNK, out);
    }
    if (tail > 0) {
      int o = off + whole * FastLanes.CHUNK;
      if (packsTail(t, cw, tail, mode)) {
        FastLanes.pack(t, cw, values, o, tail, out);
      } else {
        Words.write(t, values, o, tail, out);
      }
    }
    return b;
  }
}
