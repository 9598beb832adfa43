package dev.lancemerge.format.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Lance RLE: a values buffer of {@code k} values of W bits (LE) and a run-lengths buffer of {@code k}
 * run lengths. Lance 2.1/2.2 files use u8 run lengths ({@code rle{values=flat{W}, run_lengths=flat{8}}},
 * runs longer than 255 split into 255s plus a remainder). Newer Lance ("RLE v2") may also use u16 or u32
 * run lengths ({@code run_lengths=flat{16|32}}); the decoders take the run-length width as a parameter.
 * Only flat children are handled here: a caller that finds bit-packed or general-compressed children
 * must decode them to flat buffers first.
 *
 * <p>Mini-block form: two buffers per chunk. Block form (2.2 rep/def/dictionary block compressor):
 * {@code [u64 LE values-buffer size][values buffer][run-lengths buffer]}.
 *
 * <p>Checks follow recent Lance: {@code n = 0} decodes to nothing without looking at the buffers; empty
 * buffers with {@code n > 0}, sizes that are not multiples of the word size, differing run counts,
 * zero-length runs and too few values are errors. Runs that add up to more than {@code n} are clamped
 * in mini-block form (legacy writers produced that) and rejected in block form.
 */
public final class Rle {
  private Rle() {}

  /** Result of {@link #encode}: the two mini-block buffers. */
  public static final class Encoded {
    private final byte[] values;
    private final byte[] runLengths;
    private final int runs;

    Encoded(byte[] values, byte[] runLengths, int runs) {
      this.values = values;
      this.runLengths = runLengths;
      this.runs = runs;
    }

    /** The values buffer ({@code runs} LE words of W bits). */
    public byte[] values() {
      return values;
    }

    /** The run-lengths buffer ({@code runs} LE words of the run-length width). */
    public byte[] runLengths() {
      return runLengths;
    }

    public int runs() {
      return runs;
    }
  }

  /** Mini-block form with u8 run lengths (all Lance 2.1/2.2 files). Buffers are read from position to limit. */
  public static long[] decodeMiniBlock(int valueBits, ByteBuffer values, ByteBuffer runLengths, int n) {
    return decode(valueBits, 8, values, runLengths, n, true);
  }

  /** Block form with u8 run lengths. {@code block} is read from position to limit. */
  public static long[] decodeBlock(int valueBits, ByteBuffer block, int n) {
    return decodeBlock(valueBits, 8, block, n);
  }

  /** Block form: {@code [u64 values size][values][run lengths]}, read from position to limit. */
  public static long[] decodeBlock(int valueBits, int runLengthBits, ByteBuffer block, int n) {
    ByteBuffer le = Words.le(block);
    int p = block.position();
    int len = block.remaining();
    if (len < 8) {
      throw new CodecException("rle block: " + len + " bytes, need at least the 8-byte header");
    }
    long valuesSize = le.getLong(p);
    if (valuesSize < 0 || valuesSize > len - 8) {
      throw new CodecException("rle block: values size " + Long.toUnsignedString(valuesSize) + " exceeds the "
          + (len - 8) + " bytes after the header");
    }
    ByteBuffer values = slice(block, p + 8, (int) valuesSize);
    ByteBuffer lengths = slice(block, p + 8 + (int) valuesSize, len - 8 - (int) valuesSize);
    return decode(valueBits, runLengthBits, values, lengths, n, false);
  }

  /**
   * Decodes {@code n} values. Buffers are read from their position to their limit; positions are not
   * changed.
   *
   * @param valueBits W: 8, 16, 32 or 64
   * @param runLengthBits 8 (Lance 2.1/2.2), 16 or 32
   * @param clampOverflow true for mini-block chunks (extra values are dropped), false for block form
   */
  public static long[] decode(int valueBits, int runLengthBits, ByteBuffer values, ByteBuffer runLengths, int n,
      boolean clampOverflow) {
    int runs = checkBuffers(valueBits, runLengthBits, values, runLengths, n);
    if (n == 0) {
      return new long[0];
    }
    // Every run is at most 2^runLengthBits - 1 values: reject before allocating n values.
    long maxValues = (long) runs * Words.mask(runLengthBits);
    if (maxValues < n) {
      throw new CodecException("rle: " + runs + " runs of at most " + Words.mask(runLengthBits) + " values cannot hold "
          + n + " values");
    }
    long[] out = new long[n];
    decodeChecked(valueBits, runLengthBits, values, runLengths, runs, n, clampOverflow, out, 0);
    return out;
  }

  /** Decodes into {@code out[outOffset..outOffset+n)}; otherwise like {@link #decode(int, int, ByteBuffer, ByteBuffer, int, boolean)}. */
  public static void decode(int valueBits, int runLengthBits, ByteBuffer values, ByteBuffer runLengths, int n,
      boolean clampOverflow, long[] out, int outOffset) {
    int runs = checkBuffers(valueBits, runLengthBits, values, runLengths, n);
    Words.checkOut(out, outOffset, n, "rle");
    if (n == 0) {
      return;
    }
    decodeChecked(valueBits, runLengthBits, values, runLengths, runs, n, clampOverflow, out, outOffset);
  }

  private static int checkBuffers(int valueBits, int runLengthBits, ByteBuffer values, ByteBuffer runLengths, int n) {
    Words.checkWordSize(valueBits, "rle values");
    if (runLengthBits != 8 && runLengthBits != 16 && runLengthBits != 32) {
      throw new CodecException("rle: unsupported run-length width " + runLengthBits + " bits (need 8, 16 or 32)");
    }
    if (n < 0) {
      throw new CodecException("rle: negative value count " + n);
    }
    if (n == 0) {
      return 0;
    }
    int vb = valueBits >>> 3;
    int lb = runLengthBits >>> 3;
    if (values.remaining() == 0 || runLengths.remaining() == 0) {
      throw new CodecException("rle: empty buffers but " + n + " values expected");
    }
    if (values.remaining() % vb != 0 || runLengths.remaining() % lb != 0) {
      throw new CodecException("rle: values buffer of " + values.remaining() + " bytes is not a multiple of " + vb
          + " or run-lengths buffer of " + runLengths.remaining() + " bytes is not a multiple of " + lb);
    }
    int runs = values.remaining() / vb;
    if (runs != runLengths.remaining() / lb) {
      throw new CodecException("rle: " + runs + " values but " + runLengths.remaining() / lb + " run lengths");
    }
    return runs;
  }

  private static void decodeChecked(int valueBits, int runLengthBits, ByteBuffer values, ByteBuffer runLengths,
      int runs, int n, boolean clampOverflow, long[] out, int outOffset) {
    ByteBuffer lv = Words.le(values);
    ByteBuffer ll = Words.le(runLengths);
    int vp = values.position();
    int lp = runLengths.position();
    int vb = valueBits >>> 3;
    int lb = runLengthBits >>> 3;
    int done = 0;
    // Like Lance: every run is looked at until the count is exceeded; extra values (including whole
    // extra runs) are dropped in mini-block form and rejected in block form.
    for (int r = 0; r < runs; r++) {
      long len = Words.get(ll, lp + r * lb, runLengthBits);
      if (len == 0) {
        throw new CodecException("rle: run " + r + " has length 0");
      }
      boolean overflow = len > n - done;
      if (overflow) {
        if (!clampOverflow) {
          throw new CodecException("rle: runs overflow the expected " + n + " values (run " + r + " of length " + len
              + " after " + done + " values)");
        }
        len = n - done;
      }
      long v = Words.get(lv, vp + r * vb, valueBits);
      Arrays.fill(out, outOffset + done, outOffset + done + (int) len, v);
      done += (int) len;
      if (overflow) {
        break;
      }
    }
    if (done != n) {
      throw new CodecException("rle: runs produce " + done + " values, expected " + n);
    }
  }

  private static ByteBuffer slice(ByteBuffer b, int from, int len) {
    ByteBuffer d = b.duplicate().order(b.order());
    d.limit(from + len).position(from);
    return d;
  }

  /**
   * Encodes {@code n} values of W bits into RLE buffers with u8 run lengths (runs over 255 split into
   * 255s and a remainder), as Lance's mini-block encoder does for one chunk. Chunking (Lance caps a
   * chunk at 2048 values; every non-last chunk must hold 2^k values) is up to the caller.
   */
  public static Encoded encode(int valueBits, long[] in, int off, int n) {
    return encode(valueBits, 8, in, off, n);
  }

  /** Like {@link #encode(int, long[], int, int)} with a run-length width of 8, 16 or 32 bits. */
  public static Encoded encode(int valueBits, int runLengthBits, long[] in, int off, int n) {
    Words.checkWordSize(valueBits, "rle values");
    if (runLengthBits != 8 && runLengthBits != 16 && runLengthBits != 32) {
      throw new IllegalArgumentException("rle: unsupported run-length width " + runLengthBits);
    }
    if (n < 0 || off < 0 || (long) off + n > in.length) {
      throw new IllegalArgumentException("rle: bad input range offset " + off + " count " + n);
    }
    long maxRun = Words.mask(runLengthBits);
    long vmask = Words.mask(valueBits);
    // Count entries first so the buffers are allocated exactly.
    int entries = 0;
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && in[off + j] == in[off + i]) {
        j++;
      }
      entries += (int) ((j - i + maxRun - 1) / maxRun);
      i = j;
    }
    int vb = valueBits >>> 3;
    int lb = runLengthBits >>> 3;
    ByteBuffer values = ByteBuffer.allocate(Math.multiplyExact(entries, vb)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    ByteBuffer lengths = ByteBuffer.allocate(Math.multiplyExact(entries, lb)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int e = 0;
    for (int i = 0; i < n; ) {
      long v = in[off + i];
      if ((v & ~vmask) != 0) {
        throw new IllegalArgumentException("rle: value " + Long.toUnsignedString(v) + " does not fit in " + valueBits
            + " bits");
      }
      int j = i + 1;
      while (j < n && in[off + j] == v) {
        j++;
      }
      long remaining = j - i;
      while (remaining > 0) {
        long run = Math.min(remaining, maxRun);
        Words.put(values, e * vb, valueBits, v);
        Words.put(lengths, e * lb, runLengthBits, run);
        e++;
        remaining -= run;
      }
      i = j;
    }
    return new Encoded(values.array(), lengths.array(), entries);
  }

  /** Block form of {@link #encode(int, long[], int, int)}: {@code [u64 values size][values][run lengths]}. */
  public static byte[] encodeBlock(int valueBits, long[] in, int off, int n) {
    return encodeBlock(valueBits, 8, in, off, n);
  }

  /** Block form with the given run-length width. */
  public static byte[] encodeBlock(int valueBits, int runLengthBits, long[] in, int off, int n) {
    Encoded e = encode(valueBits, runLengthBits, in, off, n);
    byte[] b = new byte[Math.addExact(8, Math.addExact(e.values.length, e.runLengths.length))];
    ByteBuffer bb = ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bb.putLong(e.values.length).put(e.values).put(e.runLengths);
    return b;
  }
}
