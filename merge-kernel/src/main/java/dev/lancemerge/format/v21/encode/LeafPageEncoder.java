package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.EncodedPage;

/**
 * Encodes one page of one leaf column, choosing the layout in the order Lance's
 * {@code PrimitiveStructuralEncoder::do_flush} does (without its compression and dictionary steps):
 *
 * <ol>
 *   <li>every item null and no parent layers → constant layout, {@code [NULLABLE_ITEM]}, no buffers;
 *   <li>no item has a value but there is structure (only empty/null lists, or all items null inside
 *       lists/structs) → constant layout with raw rep/def buffers ("complex all-null");
 *   <li>largest value under 256 bytes → mini-block ({@code flat}, {@code fixed_size_list} or
 *       {@code variable}; integers {@code inline_bitpacking} when asked for and narrower than their type);
 *   <li>otherwise → full-zip.
 * </ol>
 */
final class LeafPageEncoder {
  /** Lance's MINIBLOCK_MAX_BYTE_LENGTH_PER_VALUE: values this wide or wider go full-zip. */
  static final long MINIBLOCK_MAX_VALUE_BYTES = 256;

  private LeafPageEncoder() {}

  static EncodedPage encode(Leaf leaf, int numRows, boolean bitpack) {
    RepDefLevels levels = RepDefBuilder.build(leaf.layers(), numRows);
    LeafValues values = LeafValues.of(leaf, levels);
    boolean allNull = values.nullItems == values.count;
    if (allNull && values.count > 0 && leaf.layers().size() == 1) {
      return AllNullPageEncoder.simple(numRows);
    }
    if (allNull || values.kind == LeafValues.Kind.NONE) {
      return AllNullPageEncoder.complex(levels, numRows);
    }
    if (values.maxValueBytes() < MINIBLOCK_MAX_VALUE_BYTES) {
      try {
        boolean integers = leaf.field().getType() instanceof org.apache.arrow.vector.types.pojo.ArrowType.Int;
        return MiniBlockPageEncoder.encode(values, levels, numRows, bitpack && integers);
      } catch (MiniBlockPageEncoder.ChunkTooLargeException e) {
        if (!FullZipPageEncoder.supports(values)) {
          throw new IllegalArgumentException("field '" + leaf.field().getName() + "': " + e.getMessage(), e);
        }
        // Too many empty/null lists between items for any mini-block chunk: full-zip has no chunks.
      }
    }
    return FullZipPageEncoder.encode(values, levels, numRows);
  }
}
