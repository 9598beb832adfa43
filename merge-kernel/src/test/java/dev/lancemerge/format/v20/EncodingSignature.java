package dev.lancemerge.format.v20;

import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Nullable;

/** A compact, number-free description of a 2.0 encoding tree, e.g. {@code nullable.some(flat1,flat32)}. */
final class EncodingSignature {
  private EncodingSignature() {}

  static String of(ArrayEncoding e) {
    switch (e.getArrayEncodingCase()) {
      case FLAT:
        return "flat" + e.getFlat().getBitsPerValue() + (e.getFlat().hasCompression() ? "[" + e.getFlat().getCompression().getScheme() + "]" : "");
      case NULLABLE: {
        Nullable n = e.getNullable();
        switch (n.getNullabilityCase()) {
          case NO_NULLS:
            return "nullable.none(" + of(n.getNoNulls().getValues()) + ")";
          case SOME_NULLS:
            return "nullable.some(" + of(n.getSomeNulls().getValidity()) + "," + of(n.getSomeNulls().getValues()) + ")";
          case ALL_NULLS:
            return "nullable.all";
          default:
            return "nullable.?";
        }
      }
      case FIXED_SIZE_LIST:
        return "fsl" + e.getFixedSizeList().getDimension() + "(" + of(e.getFixedSizeList().getItems()) + ")";
      case LIST:
        return "list(" + of(e.getList().getOffsets()) + ")";
      case STRUCT:
        return "struct";
      case BINARY:
        return "binary(" + of(e.getBinary().getIndices()) + "," + of(e.getBinary().getBytes()) + ")";
      case DICTIONARY:
        return "dictionary(" + of(e.getDictionary().getIndices()) + "," + of(e.getDictionary().getItems()) + ")";
      case FSST:
        return "fsst(" + of(e.getFsst().getBinary()) + ")";
      default:
        return ArrayDecoders.name(e);
    }
  }
}
