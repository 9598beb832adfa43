package dev.lancemerge.format.v21.encode;

/**
 * One level of nesting above a leaf value, outermost first, as Lance's {@code RepDefBuilder} records
 * it while shredding: a validity bitmap (a struct, or the leaf itself) that keeps the slot count, or
 * a list's offsets that fan a slot out into items. Rep/def levels are derived from a stack of these.
 */
sealed interface StructuralLayer {

  /** Slots of a struct or of the leaf: 1:1 with the next layer. {@code validity} null = all valid. */
  record Validity(byte[] validity) implements StructuralLayer {
    boolean isValid(int i) {
      return validity == null || (validity[i >>> 3] >>> (i & 7) & 1) != 0;
    }
  }

  /**
   * A list: slot {@code i} holds items {@code [offsets[i], offsets[i+1])} of the next layer.
   * {@code validity} null = no null lists.
   */
  record Offsets(long[] offsets, byte[] validity) implements StructuralLayer {
    boolean isValid(int i) {
      return validity == null || (validity[i >>> 3] >>> (i & 7) & 1) != 0;
    }
  }
}
