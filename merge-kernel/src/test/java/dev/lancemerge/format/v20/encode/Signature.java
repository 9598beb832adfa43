package dev.lancemerge.format.v20.encode;

import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Nullable;

/** A compact text form of a 2.0 encoding tree, e.g. {@code some_nulls(flat1@0, flat32@1)}; buffer indices after '@'. */
final class Signature {
  private Signature() {}

  static String of(ArrayEncoding e) {
    switch (e.getArrayEncodingCase()) {
      case FLAT:
        return "flat" + e.getFlat().getBitsPerValue() + "@" + e.getFlat().getBuffer().getBufferIndex()
            + (e.getFlat().getBuffer().getBufferTypeValue() == 0 ? "" : "/" + e.getFlat().getBuffer().getBufferType())
            + (e.getFlat().hasCompression() ? "+" + e.getFlat().getCompression().getScheme() : "");
      case NULLABLE: {
        Nullable n = e.getNullable();
        switch (n.getNullabilityCase()) {
          case NO_NULLS:
            return "no_nulls(" + of(n.getNoNulls().getValues()) + ")";
          case SOME_NULLS:
            return "some_nulls(" + of(n.getSomeNulls().getValidity()) + ", " + of(n.getSomeNulls().getValues()) + ")";
          case ALL_NULLS:
            return "all_nulls";
          default:
            return "nullable?";
        }
      }
      case FIXED_SIZE_LIST:
        return "fsl" + e.getFixedSizeList().getDimension() + (e.getFixedSizeList().getHasValidity() ? "v" : "")
            + "(" + of(e.getFixedSizeList().getItems()) + ")";
      case BINARY:
        return "binary(" + of(e.getBinary().getIndices()) + ", " + of(e.getBinary().getBytes()) + ")";
      case LIST:
        return "list(" + of(e.getList().getOffsets()) + ")";
      case DICTIONARY:
        return "dictionary(" + of(e.getDictionary().getIndices()) + ", " + of(e.getDictionary().getItems()) + ")";
      default:
        return e.getArrayEncodingCase().toString().toLowerCase();
    }
  }
}
