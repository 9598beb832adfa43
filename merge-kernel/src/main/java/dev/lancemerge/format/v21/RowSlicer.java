package dev.lancemerge.format.v21;

import dev.lancemerge.format.data.ColumnDataOps;
import java.util.Arrays;

/** Rows of a page without repetition: levels, items and rows coincide. */
final class RowSlicer {
  private RowSlicer() {}

  static PageData slice(PageData p, int from, int to) {
    if (from == 0 && to == p.levels()) {
      return p;
    }
    int[] def = p.def() == null ? null : Arrays.copyOfRange(p.def(), from, to);
    return new PageData(null, def, ColumnDataOps.slice(p.items(), from, to), p.layers(), to - from);
  }
}
