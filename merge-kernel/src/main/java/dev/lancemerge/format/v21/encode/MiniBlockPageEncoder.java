package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.LanceTypeUrls;
import dev.lancemerge.format.proto.v21.MiniBlockLayout;
import dev.lancemerge.format.proto.v21.PageLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a page in the mini-block layout: page buffers {@code [chunk metadata words, chunk data]}
 * plus {@code [repetition index]} when the leaf is inside a list.
 *
 * <p>Chunks hold a power-of-two number of items (the last one the rest). Rep/def levels are cut to
 * follow the items: a non-last chunk ends right after its last item, so empty/null lists that
 * follow go to the next chunk, as Lance's {@code RepDefSlicer} does. When a chunk with its levels
 * would not fit the 32 KiB / u16 limits, it gets half as many items; if even two items do not fit
 * (thousands of empty lists between two items) the page cannot be mini-block.
 */
final class MiniBlockPageEncoder {
  /** Thrown when the levels are too dense for any chunking; the caller falls back to full-zip. */
  static final class ChunkTooLargeException extends Exception {
    ChunkTooLargeException(String message) {
      super(message);
    }
  }

  private MiniBlockPageEncoder() {}

  /** {@code bitpack}: the values are integers that may be bit-packed. */
  static EncodedPage encode(LeafValues values, RepDefLevels levels, long numRows, boolean bitpack)
      throws ChunkTooLargeException {
    MiniBlockValues chunker = MiniBlockValues.of(values, bitpack);
    boolean hasLevels = levels.hasRep() || levels.hasDef();
    // Chunk headers, padding and levels add little to the values; 1/8 more plus the levels is ample.
    long expected = values.dataBytes() + values.dataBytes() / 8 + 4L * levels.numLevels() + 1024;
    ChunkWriter writer = new ChunkWriter(levels.hasRep(), levels.hasDef(), chunker.numBuffers(), expected);
    int[] itemLevel = itemLevelPositions(levels);
    RepetitionIndex repIndex = levels.hasRep() ? new RepetitionIndex(levels) : null;
    int numItems = levels.numItems();
    int item = 0;
    int level = 0;
    while (item < numItems) {
      int remaining = numItems - item;
      int n = Math.min(chunker.preferredItems(item), remaining);
      while (true) {
        boolean last = n == remaining;
        int levelEnd = last ? levels.numLevels() : itemLevel[item + n - 1] + 1;
        ChunkBuffer[] buffers = chunker.chunk(item, n);
        if (writer.size(hasLevels ? levelEnd - level : 0, buffers) >= 0) {
          writer.add(levels, level, hasLevels ? levelEnd : level, buffers, last ? 0 : Integer.numberOfTrailingZeros(n));
          if (repIndex != null) {
            repIndex.addChunk(level, levelEnd, last);
          }
          level = levelEnd;
          break;
        }
        if (n <= 2) {
          throw new ChunkTooLargeException("a mini-block chunk of " + n + " item(s) at item " + item
              + " exceeds 32 KiB with its rep/def levels");
        }
        // Non-last chunks must hold 2^k items: halve a power of two, or round a remainder down.
        n = Integer.bitCount(n) == 1 ? n / 2 : Integer.highestOneBit(n);
      }
      item += n;
    }
    MiniBlockLayout.Builder layout = MiniBlockLayout.newBuilder()
        .setValueCompression(chunker.encoding())
        .addAllLayers(levels.layers())
        .setNumBuffers(chunker.numBuffers())
        .setRepetitionIndexDepth(repIndex == null ? 0 : 1)
        .setNumItems(numItems);
    if (levels.hasRep()) {
      layout.setRepCompression(Encodings21.levels());
    }
    if (levels.hasDef()) {
      layout.setDefCompression(Encodings21.levels());
    }
    List<ByteBuffer> buffers = new ArrayList<>();
    buffers.add(writer.meta().toBuffer());
    buffers.add(writer.data().toBuffer());
    if (repIndex != null) {
      buffers.add(repIndex.toBuffer());
    }
    PageLayout page = PageLayout.newBuilder().setMiniBlockLayout(layout).build();
    return new EncodedPage(numRows, buffers, LanceTypeUrls.pack(page));
  }

  /** Level index of each item (the identity when there are no lists). */
  private static int[] itemLevelPositions(RepDefLevels levels) {
    int[] pos = new int[levels.numItems()];
    int k = 0;
    for (int i = 0; i < levels.numLevels(); i++) {
      if (levels.isVisible(i)) {
        pos[k++] = i;
      }
    }
    return pos;
  }

  /**
   * The mini-block repetition index (depth 1): per chunk, the number of rows that end in it and the
   * number of trailing levels of a row that continues into the next chunk, computed as Lance's
   * {@code compress_levels} does, as u64 pairs.
   */
  static final class RepetitionIndex {
    private final RepDefLevels levels;
    private final int maxRep;
    private final List<long[]> entries = new ArrayList<>();

    RepetitionIndex(RepDefLevels levels) {
      this.levels = levels;
      this.maxRep = levels.maxRep();
    }

    void addChunk(int from, int to, boolean last) {
      long rows = 0;
      int lastStart = -1;
      for (int i = from; i < to; i++) {
        if (levels.repAt(i) == maxRep) {
          if (i > from) {
            rows++; // a new row starting here means the previous one ended in this chunk
          }
          lastStart = i;
        }
      }
      long leftovers = last ? 0 : lastStart < 0 ? to - from : to - lastStart;
      if (!entries.isEmpty() && to > from && levels.repAt(from) == maxRep) {
        // The previous chunk's trailing row actually ended at its end.
        long[] prev = entries.get(entries.size() - 1);
        if (prev[1] != 0) {
          prev[0]++;
          prev[1] = 0;
        }
      }
      if (last) {
        rows++;
      }
      entries.add(new long[] {rows, leftovers});
    }

    ByteBuffer toBuffer() {
      ByteSink out = new ByteSink(entries.size() * 16);
      for (long[] e : entries) {
        out.u64(e[0]);
        out.u64(e[1]);
      }
      return out.toBuffer();
    }
  }
}
