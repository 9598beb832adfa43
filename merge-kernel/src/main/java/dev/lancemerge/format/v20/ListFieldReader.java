package dev.lancemerge.format.v20;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.data.Bitmaps;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A list or large list in 2.0: an offsets column (one {@code list} page per run of rows) followed
 * by the item field's own column(s), whose pages are counted in items. Facts from Lance's 2.0
 * {@code ListOffsetsEncoder} / {@code ListFieldScheduler}:
 * <ul>
 *   <li>a page holds one u64 per list: its <i>end</i> item, counted from the page's first item
 *       (0), with no leading 0; a null list stores end + {@code null_offset_adjustment}, which the
 *       writer sets to {@code num_items + 1}, so ends are recovered modulo the adjustment;
 *   <li>{@code num_items} is how many items the page's lists span; page {@code p}'s items start in
 *       the item column at the sum of {@code num_items} of the pages before it, so item pages need
 *       not line up with list pages;
 *   <li>pages with no rows are ignored, as Lance does.
 * </ul>
 * A range read decodes only the overlapping list pages (one extra offset before the range when it
 * starts mid-page), then asks the item field for exactly the items those lists span.
 */
final class ListFieldReader implements FieldReader {
  private static final ValueShape U64 = new ValueShape.Fixed(8);

  private final LanceFileReader file;
  private final int column;
  private final FieldReader items;
  private final List<PageInfo> pages;
  private volatile ListPage[] listPages;

  /** What the page index says about one list page, before its buffers are read. */
  private record ListPage(ArrayEncoding offsets, long numItems, long adjustment, long itemBase) {}

  ListFieldReader(LanceFileReader file, int column, FieldReader items) {
    this.file = file;
    this.column = column;
    this.items = items;
    this.pages = file.pages(column);
  }

  @Override
  public long rows() {
    return PageSpan.rows(pages);
  }

  /** Parses every page's {@code list} encoding (no I/O) to know where each page's items begin. */
  private ListPage[] listPages() throws IOException {
    if (listPages != null) {
      return listPages;
    }
    ListPage[] out = new ListPage[pages.size()];
    long base = 0;
    for (int p = 0; p < pages.size(); p++) {
      if (pages.get(p).rows() == 0) {
        continue;
      }
      PageContext page = new PageContext(file, pages.get(p));
      ArrayEncoding enc = page.encoding();
      if (enc.getArrayEncodingCase() != ArrayEncoding.ArrayEncodingCase.LIST) {
        throw page.fail("a list column needs list pages but this one is '" + ArrayDecoders.name(enc) + "'");
      }
      dev.lancemerge.format.proto.v20.List list = enc.getList();
      long numItems = list.getNumItems();
      long adjustment = list.getNullOffsetAdjustment();
      if (!list.hasOffsets()) {
        throw page.fail("list encoding has no offsets encoding");
      }
      if (numItems < 0 || adjustment <= numItems) {
        throw page.fail("list null_offset_adjustment " + Long.toUnsignedString(adjustment) + " must exceed num_items "
            + Long.toUnsignedString(numItems));
      }
      out[p] = new ListPage(list.getOffsets(), numItems, adjustment, base);
      try {
        base = Math.addExact(base, numItems);
      } catch (ArithmeticException e) {
        throw page.fail("item counts of the list pages overflow");
      }
    }
    if (base != items.rows()) {
      throw new LanceFormatException(file.path(), "column " + column + ": list pages span " + base
          + " items but the item column holds " + items.rows());
    }
    listPages = out;
    return out;
  }

  @Override
  public ColumnData read(long from, long to) throws IOException {
    if (to > rows()) {
      throw new LanceFormatException(file.path(), "column " + column + " holds " + rows() + " lists but lists ["
          + from + ", " + to + ") are needed");
    }
    ListPage[] meta = listPages();
    int n = (int) (to - from);
    long[] offsets = new long[n + 1];
    byte[] validity = null;
    long itemStart = -1;
    long itemEnd = 0;
    int row = 0;
    for (PageSpan span : PageSpan.overlapping(pages, from, to)) {
      PageContext page = new PageContext(file, span.page());
      ListPage lp = meta[span.page().pageIndex()];
      int extra = span.from() > 0 ? 1 : 0;
      ColumnData ends = ArrayDecoders.decode(page, lp.offsets(), U64,
          new Slice(span.page().rows(), span.from() - extra, span.count() + extra));
      if (ends.validity() != null) {
        throw page.fail("list offsets contain nulls");
      }
      ByteBuffer le = ByteBuffer.wrap(ends.values()).order(ByteOrder.LITTLE_ENDIAN);
      long prev = extra == 1 ? end(page, lp, le.getLong(0), span.from() - 1) : 0;
      if (itemStart < 0) {
        itemStart = lp.itemBase() + prev;
      } else if (lp.itemBase() + prev != itemEnd) {
        throw page.fail("items start at " + (lp.itemBase() + prev) + " but the previous page's lists end at item " + itemEnd);
      }
      for (int i = 0; i < span.count(); i++) {
        long raw = le.getLong((i + extra) * 8);
        long end = end(page, lp, raw, span.from() + i);
        if (end < prev) {
          throw page.fail("list " + (span.from() + i) + " ends at item " + end + ", before its start " + prev);
        }
        if (Long.compareUnsigned(raw, lp.adjustment()) >= 0) {
          if (validity == null) {
            validity = Bitmaps.allSet(n);
          }
          Bitmaps.set(validity, row, false);
        }
        offsets[row + 1] = lp.itemBase() + end - itemStart;
        prev = end;
        row++;
      }
      if (span.from() + span.count() == span.page().rows() && prev != lp.numItems()) {
        throw page.fail("the page's last list ends at item " + prev + " but the page declares num_items " + lp.numItems());
      }
      itemEnd = lp.itemBase() + prev;
    }
    if (itemStart < 0) {
      itemStart = 0;
      itemEnd = 0;
    }
    if (itemEnd - itemStart > Integer.MAX_VALUE) {
      throw new LanceFormatException(file.path(), "column " + column + ": lists [" + from + ", " + to + ") span "
          + (itemEnd - itemStart) + " items, too many for one read");
    }
    return ColumnData.list(n, offsets, items.read(itemStart, itemEnd), validity);
  }

  /** The end item stored in an offset, for valid and null lists alike. */
  private static long end(PageContext page, ListPage lp, long raw, long list) throws IOException {
    long end = Long.compareUnsigned(raw, lp.adjustment()) < 0 ? raw : raw - lp.adjustment();
    if (end < 0 || end > lp.numItems()) {
      throw page.fail("offset " + Long.toUnsignedString(raw) + " of list " + list + " is outside the page's "
          + lp.numItems() + " items (null_offset_adjustment " + lp.adjustment() + ")");
    }
    return end;
  }
}
