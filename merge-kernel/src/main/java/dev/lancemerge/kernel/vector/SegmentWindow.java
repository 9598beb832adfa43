package dev.lancemerge.kernel.vector;

import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
import java.io.IOException;

/**
 * Decoded rows of one column of one segment for a window of consecutive IVF partitions. Partitions
 * lie back to back in a segment file, so reading a window of them is one range read that decodes
 * each page chunk once, instead of once per partition; the window holds at most {@code budgetRows}
 * rows (or one partition, if a single partition is larger).
 */
final class SegmentWindow {
  private final VectorSegment segment;
  private final int field;
  private final long budgetRows;
  private long from;
  private long to;
  private ColumnData rows;

  SegmentWindow(VectorSegment segment, int field, long budgetRows) {
    this.segment = segment;
    this.field = field;
    this.budgetRows = Math.max(1, budgetRows);
  }

  /** Rows {@code [a, b)} of partition {@code p} (absolute row numbers), loading the window that starts at p if needed. */
  ColumnData rows(int p, long a, long b) throws IOException {
    ColumnData w = window(p, a, b);
    return ColumnDataOps.slice(w, (int) (a - from), (int) (b - from));
  }

  /**
   * The whole window holding rows {@code [a, b)} of partition {@code p}, for callers that copy the rows out
   * themselves (saving the copy a slice makes); row {@code a} is its row {@link #index}{@code (a)}.
   */
  ColumnData window(int p, long a, long b) throws IOException {
    if (rows == null || a < from || b > to) {
      load(p, a, b);
    }
    return rows;
  }

  /** Where absolute row {@code a} of the current window lies in it. */
  int index(long a) {
    return (int) (a - from);
  }

  private void load(int p, long a, long b) throws IOException {
    long end = b;
    for (int q = p + 1; q < segment.partitions(); q++) {
      long next = segment.offset(q) + segment.length(q);
      if (segment.offset(q) != end || next - a > budgetRows) {
        break;
      }
      end = next;
    }
    try {
      rows = segment.aux().readData(field, a, end);
    } catch (LanceFormatException e) {
      throw segment.fail("auxiliary.idx: " + e.problem());
    }
    from = a;
    to = end;
  }
}
