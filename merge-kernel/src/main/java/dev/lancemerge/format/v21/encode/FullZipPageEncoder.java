package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.LanceTypeUrls;
import dev.lancemerge.format.proto.v21.FullZipLayout;
import dev.lancemerge.format.proto.v21.PageLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a page in the full-zip layout, Lance's choice for values of 256 bytes or more: every
 * level entry is {@code [control word][value]} back to back in one buffer, so a row is one
 * contiguous read.
 *
 * <ul>
 *   <li>Fixed width (wide fixed-size lists, wide fixed-size binary): every item (null or not) has
 *       its {@code bits_per_value / 8} bytes; specials (empty/null lists) only a control word.
 *       Without rep/def there are no control words and row {@code i} sits at {@code i * width}.
 *   <li>Variable width: a valid item is {@code [control word][length][bytes]}, a null item or a
 *       special only {@code [control word]}; the length is u32 or u64 as the offsets.
 * </ul>
 *
 * A repetition index (byte offset where each row starts, plus the total, in 1/2/4/8-byte words
 * chosen from the buffer's size) follows whenever rows cannot be located by arithmetic: always for
 * variable width, and for fixed width when there are lists.
 */
final class FullZipPageEncoder {
  private FullZipPageEncoder() {}

  static boolean supports(LeafValues v) {
    return v.kind == LeafValues.Kind.VARIABLE
        || v.kind == LeafValues.Kind.FIXED
        || (v.kind == LeafValues.Kind.FSL && v.byteWidth > 0);
  }

  static EncodedPage encode(LeafValues values, RepDefLevels levels, long numRows) {
    ControlWords cw = new ControlWords(levels);
    FullZipLayout.Builder layout = FullZipLayout.newBuilder()
        .setBitsRep(cw.bitsRep)
        .setBitsDef(cw.bitsDef)
        .setNumItems(Math.toIntExact(levels.hasRep() ? levels.numLevels() : levels.numItems()))
        .setNumVisibleItems(levels.numItems())
        .setValueCompression(Encodings21.valueEncoding(values))
        .addAllLayers(levels.layers());
    List<ByteBuffer> buffers = new ArrayList<>();
    if (values.kind == LeafValues.Kind.VARIABLE) {
      int width = values.largeOffsets ? 8 : 4;
      layout.setBitsPerOffset(8 * width);
      zipVariable(values, levels, cw, width, buffers);
    } else if (supports(values)) {
      int rowBytes = rowBytes(values);
      layout.setBitsPerValue(8 * rowBytes);
      zipFixed(values, levels, cw, rowBytes, buffers);
    } else {
      throw new IllegalArgumentException("full-zip needs byte-aligned values, not " + values.kind);
    }
    PageLayout page = PageLayout.newBuilder().setFullZipLayout(layout).build();
    return new EncodedPage(numRows, buffers, LanceTypeUrls.pack(page));
  }

  /** Bytes per item: the value, preceded for a fixed-size list with null children by their validity bits. */
  private static int rowBytes(LeafValues v) {
    if (v.kind == LeafValues.Kind.FIXED) {
      return v.byteWidth;
    }
    int validity = v.childValidity == null ? 0 : (v.dim + 7) / 8;
    return validity + v.byteWidth * v.dim;
  }

  private static void zipFixed(LeafValues v, RepDefLevels levels, ControlWords cw, int rowBytes, List<ByteBuffer> out) {
    long len = (long) rowBytes * levels.numItems() + (long) cw.bytesPerWord * levels.numLevels();
    ByteSink zipped = new ByteSink(Math.toIntExact(len));
    RowIndex index = levels.hasRep() ? new RowIndex(levels.numLevels(), len) : null;
    int item = 0;
    int dataBytes = v.kind == LeafValues.Kind.FIXED ? v.byteWidth : v.byteWidth * v.dim;
    for (int i = 0; i < levels.numLevels(); i++) {
      if (index != null && cw.startsRow(i)) {
        index.add(zipped.size());
      }
      cw.write(zipped, i);
      if (levels.isVisible(i)) {
        if (v.kind == LeafValues.Kind.FSL && v.childValidity != null) {
          zipped.bytes(MiniBlockValues.sliceBits(v.childValidity, (long) item * v.dim, v.dim));
        }
        zipped.bytes(v.data, item * dataBytes, dataBytes);
        item++;
      }
    }
    out.add(zipped.toBuffer());
    if (index != null) {
      index.add(zipped.size());
      out.add(index.toBuffer());
    }
  }

  private static void zipVariable(LeafValues v, RepDefLevels levels, ControlWords cw, int width, List<ByteBuffer> out) {
    // Lance sizes the index words from this upper bound of the zipped length.
    long bound = v.dataBytes() + (long) cw.bytesPerWord * levels.numLevels() + (long) width * levels.numItems();
    ByteSink zipped = new ByteSink((int) Math.min(bound, Integer.MAX_VALUE - 16));
    RowIndex index = new RowIndex(levels.numLevels(), bound);
    int item = 0;
    for (int i = 0; i < levels.numLevels(); i++) {
      if (cw.startsRow(i)) {
        index.add(zipped.size());
      }
      cw.write(zipped, i);
      if (levels.isVisible(i)) {
        if (levels.defAt(i) == 0) {
          long from = v.offsets[item];
          long length = v.offsets[item + 1] - from;
          zipped.uint(length, width);
          zipped.bytes(v.data, (int) from, (int) length);
        }
        item++;
      }
    }
    index.add(zipped.size());
    out.add(zipped.toBuffer());
    out.add(index.toBuffer());
  }

  /** Row start offsets, byte-packed into the smallest of 1/2/4/8 bytes that holds {@code maxValue}. */
  private static final class RowIndex {
    private final int width;
    private final ByteSink out;

    RowIndex(int expected, long maxValue) {
      width = maxValue <= 0xFFL ? 1 : maxValue <= 0xFFFFL ? 2 : maxValue <= 0xFFFF_FFFFL ? 4 : 8;
      out = new ByteSink((expected + 1) * width);
    }

    void add(long offset) {
      out.uint(offset, width);
    }

    ByteBuffer toBuffer() {
      return out.toBuffer();
    }
  }
}
