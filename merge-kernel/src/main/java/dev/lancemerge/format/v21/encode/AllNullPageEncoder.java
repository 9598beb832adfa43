package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.LanceTypeUrls;
import dev.lancemerge.format.proto.v21.ConstantLayout;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.format.proto.v21.RepDefLayer;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Pages without any value to store, in {@code PageLayout.constant_layout} (field 2, the former
 * {@code all_null_layout}), which 2.1 writers emit too.
 */
final class AllNullPageEncoder {
  private AllNullPageEncoder() {}

  /** Every row of a parentless leaf is null: layers {@code [NULLABLE_ITEM]}, no buffers. */
  static EncodedPage simple(long numRows) {
    ConstantLayout layout = ConstantLayout.newBuilder().addLayers(RepDefLayer.REPDEF_NULLABLE_ITEM).build();
    return new EncodedPage(numRows, List.of(), LanceTypeUrls.pack(PageLayout.newBuilder().setConstantLayout(layout).build()));
  }

  /**
   * No item has a value but the rows still have structure (only empty/null lists, or items that
   * are all null under nullable parents): Lance's "complex all-null" page, whose two buffers are the
   * raw u16 rep levels and def levels (either may be empty).
   */
  static EncodedPage complex(RepDefLevels levels, long numRows) {
    ConstantLayout layout = ConstantLayout.newBuilder().addAllLayers(levels.layers()).build();
    return new EncodedPage(numRows, List.of(raw(levels, true), raw(levels, false)),
        LanceTypeUrls.pack(PageLayout.newBuilder().setConstantLayout(layout).build()));
  }

  private static ByteBuffer raw(RepDefLevels levels, boolean rep) {
    if (rep ? !levels.hasRep() : !levels.hasDef()) {
      return ByteBuffer.allocate(0);
    }
    ByteSink out = new ByteSink(2 * levels.numLevels());
    for (int i = 0; i < levels.numLevels(); i++) {
      out.u16(rep ? levels.repAt(i) : levels.defAt(i));
    }
    return out.toBuffer();
  }
}
