package dev.lancemerge.format;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v21.CompressiveEncoding;
import dev.lancemerge.format.proto.v21.MiniBlockLayout;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.format.v21.MiniBlockChunks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the byte ranges that hold rows of a fixed-width column stored uncompressed and without
 * nulls: 2.1 full-zip pages without rep/def, 2.1 mini-block chunks with flat or fixed-size-list
 * values and no levels, and 2.0 pages of non-null flat values. Anything else (bit-packed, nullable,
 * variable width) is not located: the caller decodes it.
 */
public final class RowBytesLocator {
  private RowBytesLocator() {}

  /** Ranges covering rows {@code [from, to)} of field {@code field}, or empty if any part is not plain. */
  public static Optional<List<RowBytes>> locate(LanceFileReader file, int field, long from, long to) throws IOException {
    List<LanceColumn> cols = file.schema().columnsOf(field);
    if (cols.size() != 1) {
      return Optional.empty();
    }
    int column = cols.get(0).index();
    List<RowBytes> out = new ArrayList<>();
    for (PageInfo page : file.pages(column)) {
      if (page.endRow() <= from || page.firstRow() >= to) {
        continue;
      }
      long a = Math.max(from, page.firstRow()) - page.firstRow();
      long b = Math.min(to, page.endRow()) - page.firstRow();
      boolean ok = file.version().isStructural()
          ? structural(file, page, a, b, out)
          : legacy(page, a, b, out);
      if (!ok) {
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }

  private static boolean structural(LanceFileReader file, PageInfo page, long a, long b, List<RowBytes> out) throws IOException {
    PageLayout layout = parse21(file, page);
    if (layout.hasFullZipLayout()) {
      var fz = layout.getFullZipLayout();
      if (fz.getBitsRep() != 0 || fz.getBitsDef() != 0 || !fz.hasBitsPerValue() || fz.getBitsPerValue() % 8 != 0
          || !plain(fz.getValueCompression())) {
        return false;
      }
      int w = fz.getBitsPerValue() / 8;
      out.add(new RowBytes(page.firstRow() + a, b - a, page.buffers().get(0).position() + a * w, w));
      return true;
    }
    if (layout.hasMiniBlockLayout()) {
      MiniBlockLayout mb = layout.getMiniBlockLayout();
      if (mb.hasRepCompression() || mb.hasDefCompression() || mb.hasDictionary() || mb.getNumBuffers() != 1
          || !plain(mb.getValueCompression())) {
        return false;
      }
      int w = bytesPerRow(mb.getValueCompression());
      if (w <= 0) {
        return false;
      }
      long data = page.buffers().get(1).position();
      // Chunk header: u16 level count and one buffer size (u16, or u32 for large chunks), padded to 8.
      int header = 8;
      for (MiniBlockChunks.Chunk c : MiniBlockChunks.of(file, page, mb)) {
        long start = Math.max(a, c.firstItem());
        long end = Math.min(b, c.firstItem() + c.items());
        if (start >= end) {
          continue;
        }
        out.add(new RowBytes(page.firstRow() + start, end - start,
            data + c.offset() + header + (start - c.firstItem()) * w, w));
      }
      return true;
    }
    return false;
  }

  private static boolean plain(CompressiveEncoding e) {
    if (e.hasFlat()) {
      return e.getFlat().getBitsPerValue() % 8 == 0 && !e.getFlat().hasData();
    }
    if (e.hasFixedSizeList()) {
      return !e.getFixedSizeList().getHasValidity() && plain(e.getFixedSizeList().getValues());
    }
    return false;
  }

  private static int bytesPerRow(CompressiveEncoding e) {
    if (e.hasFlat()) {
      return (int) (e.getFlat().getBitsPerValue() / 8);
    }
    return (int) e.getFixedSizeList().getItemsPerValue() * bytesPerRow(e.getFixedSizeList().getValues());
  }

  private static boolean legacy(PageInfo page, long a, long b, List<RowBytes> out) throws IOException {
    ArrayEncoding enc;
    try {
      enc = ArrayEncoding.parseFrom(page.encoding());
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
    int w = plainWidth20(enc);
    if (w <= 0 || page.buffers().isEmpty()) {
      return false;
    }
    out.add(new RowBytes(page.firstRow() + a, b - a, page.buffers().get(0).position() + a * w, w));
    return true;
  }

  /** Bytes per row of {@code nullable{no_nulls{flat | fixed_size_list{nullable{no_nulls{flat}}}}}}, else -1. */
  private static int plainWidth20(ArrayEncoding e) {
    if (e.hasNullable()) {
      if (!e.getNullable().hasNoNulls()) {
        return -1;
      }
      return plainWidth20(e.getNullable().getNoNulls().getValues());
    }
    if (e.hasFlat()) {
      var f = e.getFlat();
      boolean page0 = f.getBuffer().getBufferIndex() == 0
          && f.getBuffer().getBufferType() == dev.lancemerge.format.proto.v20.Buffer.BufferType.page;
      return page0 && !f.hasCompression() && f.getBitsPerValue() % 8 == 0 ? (int) (f.getBitsPerValue() / 8) : -1;
    }
    if (e.hasFixedSizeList() && !e.getFixedSizeList().getHasValidity()) {
      int inner = plainWidth20(e.getFixedSizeList().getItems());
      return inner <= 0 ? -1 : inner * e.getFixedSizeList().getDimension();
    }
    return -1;
  }

  private static PageLayout parse21(LanceFileReader file, PageInfo page) throws LanceFormatException {
    try {
      return PageLayout.parseFrom(page.encoding());
    } catch (InvalidProtocolBufferException e) {
      throw new LanceFormatException(file.path(), "column " + page.column() + " page " + page.pageIndex() + " layout does not parse");
    }
  }
}
