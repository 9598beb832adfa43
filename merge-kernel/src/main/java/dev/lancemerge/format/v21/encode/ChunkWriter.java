package dev.lancemerge.format.v21.encode;

/**
 * Serializes mini-block chunks into the page's data buffer and their u16 metadata words.
 *
 * <p>Chunk layout (2.1, Lance's {@code serialize_miniblocks}): u16 number of levels (0 without
 * rep/def), u16 rep byte size (if rep), u16 def byte size (if def), one u16 size per value buffer,
 * 0xFE padding to 8; then rep levels, def levels and each value buffer, each padded to 8. Every
 * chunk is therefore a multiple of 8 bytes and starts 8-aligned, which is what lets the metadata
 * word store its length in 8-byte units: {@code ((bytes / 8) - 1) << 4 | log2(values)}.
 */
final class ChunkWriter {
  /** 12 bits of 8-byte words. */
  static final int MAX_CHUNK_BYTES = 32 * 1024;
  /** Lance pads every part of a chunk with this byte. */
  private static final byte FILL = (byte) 0xFE;

  private final boolean rep;
  private final boolean def;
  private final int numBuffers;
  private final ByteSink data;
  private final ByteSink meta = new ByteSink(256);

  /** {@code expectedBytes}: about the page's data size, so the buffer is not regrown (and recopied) as chunks come. */
  ChunkWriter(boolean rep, boolean def, int numBuffers, long expectedBytes) {
    this.rep = rep;
    this.def = def;
    this.numBuffers = numBuffers;
    this.data = new ByteSink((int) Math.min(Integer.MAX_VALUE - 64, Math.max(1 << 16, expectedBytes)));
  }

  /** The serialized size of a chunk, or -1 if it cannot be described (a u16 overflows or > 32 KiB). */
  long size(int numLevels, ChunkBuffer[] buffers) {
    if ((rep || def) && (numLevels > 0xFFFF || 2L * numLevels > 0xFFFF)) {
      return -1;
    }
    long n = 2 + (rep ? 2 : 0) + (def ? 2 : 0) + 2L * numBuffers;
    n += ByteSink.pad(n, 8);
    long levelBytes = 2L * numLevels;
    if (rep) {
      n += levelBytes + ByteSink.pad(levelBytes, 8);
    }
    if (def) {
      n += levelBytes + ByteSink.pad(levelBytes, 8);
    }
    for (ChunkBuffer b : buffers) {
      if (b.length() > 0xFFFF) {
        return -1;
      }
      n += b.length() + ByteSink.pad(b.length(), 8);
    }
    return n <= MAX_CHUNK_BYTES ? n : -1;
  }

  /**
   * Appends one chunk. {@code log2Values} is log2 of the item count for all but the last chunk, which
   * stores 0 (readers derive its count from the page's item count).
   */
  void add(RepDefLevels levels, int levelFrom, int levelTo, ChunkBuffer[] buffers, int log2Values) {
    int start = data.size();
    int numLevels = levelTo - levelFrom;
    data.u16(rep || def ? numLevels : 0);
    if (rep) {
      data.u16(2 * numLevels);
    }
    if (def) {
      data.u16(2 * numLevels);
    }
    for (ChunkBuffer b : buffers) {
      data.u16(b.length());
    }
    data.padTo(8, FILL);
    if (rep) {
      for (int i = levelFrom; i < levelTo; i++) {
        data.u16(levels.repAt(i));
      }
      data.padTo(8, FILL);
    }
    if (def) {
      for (int i = levelFrom; i < levelTo; i++) {
        data.u16(levels.defAt(i));
      }
      data.padTo(8, FILL);
    }
    for (ChunkBuffer b : buffers) {
      data.bytes(b.array(), b.offset(), b.length());
      data.padTo(8, FILL);
    }
    int bytes = data.size() - start;
    if (bytes > MAX_CHUNK_BYTES || bytes % 8 != 0 || log2Values > 12) {
      throw new IllegalStateException("mini-block chunk of " + bytes + " bytes, log " + log2Values);
    }
    meta.u16(((bytes / 8 - 1) << 4) | log2Values);
  }

  ByteSink data() {
    return data;
  }

  ByteSink meta() {
    return meta;
  }
}
