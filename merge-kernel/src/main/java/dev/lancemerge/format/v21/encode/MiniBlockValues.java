package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.codec.FastLanes;
import dev.lancemerge.format.codec.InlineBitpacking;
import dev.lancemerge.format.codec.Words;
import dev.lancemerge.format.data.Bitmaps;
import dev.lancemerge.format.proto.v21.CompressiveEncoding;
import java.nio.ByteBuffer;

/**
 * Cuts a page's values into mini-block chunks: how many items a chunk should hold and the value
 * buffers of a chunk. Chunk sizing follows Lance's uncompressed encoders ({@code ValueEncoder} and
 * {@code BinaryMiniBlockEncoder}): a power-of-two number of items, at most 4096, aiming at ~4 KiB of
 * values so a chunk stays far below the 32 KiB a u16 metadata word can describe.
 */
abstract class MiniBlockValues {
  /** Lance's MAX_MINIBLOCK_BYTES: a chunk's values stay below this. */
  static final long MAX_CHUNK_VALUE_BYTES = 8 * 1024 - 6;
  /** Lance's MAX_MINIBLOCK_VALUES; also what the 4-bit log in the metadata word allows comfortably. */
  static final int MAX_CHUNK_VALUES = 4096;
  /** Variable-width chunks aim at this many bytes of offsets + data (Lance's AIM_MINICHUNK_SIZE). */
  static final long AIM_VARIABLE_CHUNK_BYTES = 4 * 1024;

  final LeafValues values;

  MiniBlockValues(LeafValues values) {
    this.values = values;
  }

  /** {@code bitpack}: {@code v} holds integers, to be bit-packed if that saves bytes. */
  static MiniBlockValues of(LeafValues v, boolean bitpack) {
    switch (v.kind) {
      case FIXED:
        return bitpack && Bitpacked.saves(v) ? new Bitpacked(v) : new Fixed(v);
      case BOOL:
        return new Bits(v);
      case FSL:
        return new Fsl(v);
      case VARIABLE:
        return new Var(v);
      default:
        throw new IllegalStateException("no mini-block values for " + v.kind);
    }
  }

  /** Value buffers per chunk ({@code MiniBlockLayout.num_buffers}). */
  abstract int numBuffers();

  /**
   * Items the chunk starting at item {@code start} should hold: a power of two, or every remaining
   * item when they fit (the last chunk).
   */
  abstract int preferredItems(int start);

  /** How the chunks' values are encoded ({@code MiniBlockLayout.value_compression}). */
  CompressiveEncoding encoding() {
    return Encodings21.valueEncoding(values);
  }

  /** The value buffers of items {@code [start, start + n)}. */
  abstract ChunkBuffer[] chunk(int start, int n);

  /**
   * Lance's {@code find_log_vals_per_chunk}: start at 2 values (8 for sub-byte widths) and double
   * while twice the size stays under {@link #MAX_CHUNK_VALUE_BYTES} and the count under 4096.
   * {@code bytesPerWord} is the size of {@code valuesPerWord} values (1, or 8 when values are bits).
   */
  static int valuesPerChunk(long bytesPerWord, int valuesPerWord) {
    long size = 2 * bytesPerWord;
    int n = valuesPerWord == 1 ? 2 : 8;
    while (2 * size < MAX_CHUNK_VALUE_BYTES && 2 * n <= MAX_CHUNK_VALUES) {
      size *= 2;
      n *= 2;
    }
    return n;
  }

  static byte[] sliceBits(byte[] bits, long fromBit, long count) {
    byte[] out = new byte[(int) ((count + 7) / 8)];
    Bitmaps.copy(bits, fromBit, out, 0, count);
    return out;
  }

  /** Fixed-width values: one buffer of raw little-endian values ({@code flat}). */
  static final class Fixed extends MiniBlockValues {
    private final int perChunk;

    Fixed(LeafValues v) {
      super(v);
      perChunk = valuesPerChunk(v.byteWidth, 1);
    }

    @Override
    int numBuffers() {
      return 1;
    }

    @Override
    int preferredItems(int start) {
      return perChunk;
    }

    @Override
    ChunkBuffer[] chunk(int start, int n) {
      int w = values.byteWidth;
      return new ChunkBuffer[] {new ChunkBuffer(values.data, start * w, n * w)};
    }
  }

  /**
   * Integers whose page leaves high bits unused: Lance's {@code inline_bitpacking}, as Lance writes it,
   * one FastLanes chunk of 1024 values (at the chunk's own bit width) per mini-block chunk.
   */
  static final class Bitpacked extends MiniBlockValues {
    private final int bits;
    private final long[] words;

    Bitpacked(LeafValues v) {
      super(v);
      bits = 8 * v.byteWidth;
      words = Words.read(bits, ByteBuffer.wrap(v.data), v.count);
    }

    /** True for 8/16/32/64-bit values none of which sets its top bit: then every chunk packs narrower. */
    static boolean saves(LeafValues v) {
      int w = v.byteWidth;
      if (!Words.isWordSize(8 * w)) {
        return false;
      }
      for (int top = w - 1; top < v.data.length; top += w) {
        if (v.data[top] < 0) {
          return false;
        }
      }
      return true;
    }

    @Override
    int numBuffers() {
      return 1;
    }

    @Override
    int preferredItems(int start) {
      return FastLanes.CHUNK;
    }

    @Override
    CompressiveEncoding encoding() {
      return Encodings21.inlineBitpacking(bits);
    }

    @Override
    ChunkBuffer[] chunk(int start, int n) {
      return new ChunkBuffer[] {ChunkBuffer.of(InlineBitpacking.encode(bits, words, start, n))};
    }
  }

  /** Booleans: one buffer of bits; each chunk's bits start at bit 0 of its buffer. */
  static final class Bits extends MiniBlockValues {
    Bits(LeafValues v) {
      super(v);
    }

    @Override
    int numBuffers() {
      return 1;
    }

    @Override
    int preferredItems(int start) {
      return valuesPerChunk(1, 8);
    }

    @Override
    ChunkBuffer[] chunk(int start, int n) {
      return new ChunkBuffer[] {ChunkBuffer.of(sliceBits(values.data, start, n))};
    }
  }

  /**
   * Fixed-size lists: rows are never split across chunks. Buffers: the children's validity bits
   * (only when a child is null, {@code has_validity}), then the flattened children.
   */
  static final class Fsl extends MiniBlockValues {
    private final int perChunk;

    Fsl(LeafValues v) {
      super(v);
      long validityBytes = v.childValidity == null ? 0 : (v.dim + 7) / 8;
      long bits = v.byteWidth == 0 ? v.dim : 8L * v.byteWidth * v.dim;
      boolean whole = bits % 8 == 0;
      long bytesPerWord = whole ? bits / 8 : bits;
      int valuesPerWord = whole ? 1 : 8;
      perChunk = valuesPerChunk(validityBytes * valuesPerWord + bytesPerWord, valuesPerWord);
    }

    @Override
    int numBuffers() {
      return values.childValidity == null ? 1 : 2;
    }

    @Override
    int preferredItems(int start) {
      return perChunk;
    }

    @Override
    ChunkBuffer[] chunk(int start, int n) {
      int dim = values.dim;
      ChunkBuffer data;
      if (values.byteWidth == 0) {
        data = ChunkBuffer.of(sliceBits(values.data, (long) start * dim, (long) n * dim));
      } else {
        int rowBytes = values.byteWidth * dim;
        data = new ChunkBuffer(values.data, start * rowBytes, n * rowBytes);
      }
      if (values.childValidity == null) {
        return new ChunkBuffer[] {data};
      }
      return new ChunkBuffer[] {ChunkBuffer.of(sliceBits(values.childValidity, (long) start * dim, (long) n * dim)), data};
    }
  }

  /**
   * Strings/binary: one buffer per chunk holding {@code n + 1} offsets relative to the start of that
   * buffer (so the first is {@code (n + 1) * width}), the bytes, then 0x48 padding to the offset width.
   */
  static final class Var extends MiniBlockValues {
    private final int width;

    Var(LeafValues v) {
      super(v);
      width = v.largeOffsets ? 8 : 4;
    }

    @Override
    int numBuffers() {
      return 1;
    }

    private long size(int start, int n) {
      return (long) (n + 1) * width + values.offsets[start + n] - values.offsets[start];
    }

    @Override
    int preferredItems(int start) {
      int remaining = values.count - start;
      if (size(start, remaining) <= AIM_VARIABLE_CHUNK_BYTES) {
        return remaining;
      }
      // Double while the next power of two still fits the aim (and is not the whole remainder).
      int n = 1;
      while (2 * n < remaining && 2 * n <= MAX_CHUNK_VALUES && size(start, 2 * n) <= AIM_VARIABLE_CHUNK_BYTES) {
        n *= 2;
      }
      return Math.min(Math.max(n, 2), remaining);
    }

    @Override
    ChunkBuffer[] chunk(int start, int n) {
      long base = values.offsets[start];
      long bytes = values.offsets[start + n] - base;
      long head = (long) (n + 1) * width;
      ByteSink out = new ByteSink((int) (head + bytes + width));
      for (int i = 0; i <= n; i++) {
        out.uint(head + values.offsets[start + i] - base, width);
      }
      out.bytes(values.data, (int) base, (int) bytes);
      out.padTo(width, (byte) 0x48);
      return new ChunkBuffer[] {ChunkBuffer.of(out.toArray())};
    }
  }
}
