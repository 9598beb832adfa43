package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.proto.v21.CompressiveEncoding;
import dev.lancemerge.format.proto.v21.FixedSizeList;
import dev.lancemerge.format.proto.v21.Flat;
import dev.lancemerge.format.proto.v21.InlineBitpacking;
import dev.lancemerge.format.proto.v21.Variable;

/** The {@code CompressiveEncoding} descriptions this writer emits: uncompressed, or bit-packed integers. */
final class Encodings21 {
  private Encodings21() {}

  static CompressiveEncoding flat(long bitsPerValue) {
    return CompressiveEncoding.newBuilder().setFlat(Flat.newBuilder().setBitsPerValue(bitsPerValue)).build();
  }

  /** {@code inline_bitpacking{uncompressed_bits_per_value}}: FastLanes chunks, each with its bit width. */
  static CompressiveEncoding inlineBitpacking(int bits) {
    return CompressiveEncoding.newBuilder()
        .setInlineBitpacking(InlineBitpacking.newBuilder().setUncompressedBitsPerValue(bits))
        .build();
  }

  /** Strings/binary: {@code variable{offsets = flat{32|64}}}, no buffer compression. */
  static CompressiveEncoding variable(int bitsPerOffset) {
    return CompressiveEncoding.newBuilder()
        .setVariable(Variable.newBuilder().setOffsets(flat(bitsPerOffset)))
        .build();
  }

  /** {@code fixed_size_list{items_per_value, has_validity, values}}. */
  static CompressiveEncoding fixedSizeList(int dim, boolean hasValidity, CompressiveEncoding values) {
    return CompressiveEncoding.newBuilder()
        .setFixedSizeList(FixedSizeList.newBuilder().setItemsPerValue(dim).setHasValidity(hasValidity).setValues(values))
        .build();
  }

  /** The value encoding of {@code v} (the same description for mini-block and full-zip). */
  static CompressiveEncoding valueEncoding(LeafValues v) {
    switch (v.kind) {
      case FIXED:
        return flat(8L * v.byteWidth);
      case BOOL:
        return flat(1);
      case VARIABLE:
        return variable(v.largeOffsets ? 64 : 32);
      case FSL:
        return fixedSizeList(v.dim, v.childValidity != null, flat(v.byteWidth == 0 ? 1 : 8L * v.byteWidth));
      default:
        throw new IllegalStateException("no value encoding for " + v.kind);
    }
  }

  /** Rep/def levels are written raw, one u16 each: the {@code flat{16}} block encoding. */
  static CompressiveEncoding levels() {
    return flat(16);
  }
}
