package dev.lancemerge.format.v20;

import dev.lancemerge.format.PageInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of one page that a row range needs: rows {@code [from, from + count)} counted from the
 * page's first row. Finding them by binary search keeps range reads from touching other pages.
 */
record PageSpan(PageInfo page, long from, int count) {

  /** The pages of a column that overlap {@code [from, to)}, in order, empty pages skipped. */
  static List<PageSpan> overlapping(List<PageInfo> pages, long from, long to) {
    List<PageSpan> out = new ArrayList<>();
    if (from >= to) {
      return out;
    }
    int lo = 0;
    int hi = pages.size();
    while (lo < hi) { // first page that ends after 'from'
      int mid = (lo + hi) >>> 1;
      if (pages.get(mid).endRow() <= from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int p = lo; p < pages.size() && pages.get(p).firstRow() < to; p++) {
      PageInfo page = pages.get(p);
      if (page.rows() == 0) {
        continue;
      }
      long start = Math.max(from, page.firstRow());
      long end = Math.min(to, page.endRow());
      out.add(new PageSpan(page, start - page.firstRow(), (int) (end - start)));
    }
    return out;
  }

  /** Rows held by a column: the sum of its page lengths. */
  static long rows(List<PageInfo> pages) {
    return pages.isEmpty() ? 0 : pages.get(pages.size() - 1).endRow();
  }
}
