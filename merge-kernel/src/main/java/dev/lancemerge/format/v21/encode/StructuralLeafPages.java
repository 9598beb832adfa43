package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.data.ColumnData;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/** Entry point of the 2.1 writer: rows of one top-level field to one page per leaf column, in column order. */
public final class StructuralLeafPages {
  private StructuralLeafPages() {}

  /** {@code bitpack}: integer leaves may be bit-packed (see {@link MiniBlockValues.Bitpacked}). */
  public static List<EncodedPage> encode(Field field, ColumnData rows, boolean bitpack) {
    if (rows.length() == 0) {
      return List.of(); // Lance never writes empty pages
    }
    List<EncodedPage> pages = new ArrayList<>();
    for (Leaf leaf : LeafShredder.shred(field, rows)) {
      pages.add(LeafPageEncoder.encode(leaf, rows.length(), bitpack));
    }
    return pages;
  }
}
