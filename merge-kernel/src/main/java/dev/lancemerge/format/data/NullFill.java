package dev.lancemerge.format.data;

import java.util.ArrayList;
import java.util.List;

/** Typed all-null data shaped like a template: what an all-null page decodes to once its type is known. */
public final class NullFill {
  private NullFill() {}

  /** {@code n} null slots of the given Arrow field's type. */
  public static ColumnData forField(org.apache.arrow.vector.types.pojo.Field f, int n) {
    byte[] none = new byte[(n + 7) / 8];
    org.apache.arrow.vector.types.pojo.ArrowType t = f.getType();
    if (t instanceof org.apache.arrow.vector.types.pojo.ArrowType.FixedSizeList fsl) {
      int dim = fsl.getListSize();
      return ColumnData.fixedSizeList(n, dim, forField(f.getChildren().get(0), n * dim), none);
    }
    if (t instanceof org.apache.arrow.vector.types.pojo.ArrowType.List || t instanceof org.apache.arrow.vector.types.pojo.ArrowType.LargeList) {
      return ColumnData.list(n, new long[n + 1], forField(f.getChildren().get(0), 0), none);
    }
    if (t instanceof org.apache.arrow.vector.types.pojo.ArrowType.Struct) {
      List<ColumnData> kids = new ArrayList<>();
      for (org.apache.arrow.vector.types.pojo.Field c : f.getChildren()) {
        kids.add(forField(c, n));
      }
      return ColumnData.struct(n, kids, none);
    }
    if (t instanceof org.apache.arrow.vector.types.pojo.ArrowType.Null) {
      return ColumnData.nulls(n);
    }
    if (dev.lancemerge.format.LogicalTypes.isVariableWidth(t)) {
      return ColumnData.variable(n, new long[n + 1], new byte[0], none);
    }
    int w = dev.lancemerge.format.LogicalTypes.byteWidth(t);
    if (w == 0) {
      return ColumnData.bools(n, new byte[(n + 7) / 8], none);
    }
    return ColumnData.fixed(n, w, new byte[n * w], none);
  }

  static ColumnData like(ColumnData t, int n) {
    byte[] none = new byte[(n + 7) / 8];
    switch (t.kind()) {
      case FIXED:
        return ColumnData.fixed(n, t.byteWidth(), new byte[n * t.byteWidth()], none);
      case BOOL:
        return ColumnData.bools(n, new byte[(n + 7) / 8], none);
      case VARIABLE:
        return ColumnData.variable(n, new long[n + 1], new byte[0], none);
      case FIXED_SIZE_LIST:
        return ColumnData.fixedSizeList(n, t.dimension(), like(t.child(), n * t.dimension()), none);
      case LIST:
        return ColumnData.list(n, new long[n + 1], like(t.child(), 0), none);
      case STRUCT: {
        List<ColumnData> kids = new ArrayList<>();
        for (ColumnData c : t.children()) {
          kids.add(like(c, n));
        }
        return ColumnData.struct(n, kids, none);
      }
      default:
        return ColumnData.nulls(n);
    }
  }
}
