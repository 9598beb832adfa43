package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.data.ColumnData;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Splits a top-level field into its 2.1 leaf columns, in the pre-order {@code LanceSchema} uses:
 * structs and lists are transparent (they only contribute layers); everything else, including a
 * fixed-size list of a primitive, is a leaf.
 */
final class LeafShredder {
  private LeafShredder() {}

  static List<Leaf> shred(Field field, ColumnData data) {
    List<Leaf> out = new ArrayList<>();
    shred(field, data, new ArrayList<>(), out);
    return out;
  }

  private static void shred(Field f, ColumnData d, List<StructuralLayer> outer, List<Leaf> out) {
    ArrowType t = f.getType();
    boolean isNull = d.kind() == ColumnData.Kind.NULL;
    if (t instanceof ArrowType.List || t instanceof ArrowType.LargeList) {
      if (isNull) {
        throw new IllegalArgumentException("list field '" + f.getName() + "' given untyped null data");
      }
      List<StructuralLayer> layers = new ArrayList<>(outer);
      layers.add(new StructuralLayer.Offsets(d.offsets(), nullsOrNull(d)));
      shred(f.getChildren().get(0), d.child(), layers, out);
    } else if (t instanceof ArrowType.Struct) {
      if (isNull) {
        throw new IllegalArgumentException("struct field '" + f.getName() + "' given untyped null data");
      }
      if (f.getChildren().isEmpty()) {
        throw new IllegalArgumentException("struct field '" + f.getName() + "' has no children");
      }
      List<StructuralLayer> layers = new ArrayList<>(outer);
      layers.add(new StructuralLayer.Validity(nullsOrNull(d)));
      for (int i = 0; i < f.getChildren().size(); i++) {
        shred(f.getChildren().get(i), d.children().get(i), layers, out);
      }
    } else if (t instanceof ArrowType.Map || t instanceof ArrowType.Union) {
      throw new IllegalArgumentException("field '" + f.getName() + "': " + t + " is not supported by the 2.1 writer");
    } else {
      List<StructuralLayer> layers = new ArrayList<>(outer);
      // A Null-typed leaf is a leaf whose every slot is null.
      layers.add(new StructuralLayer.Validity(isNull ? new byte[(d.length() + 7) / 8] : nullsOrNull(d)));
      out.add(new Leaf(f, d, List.copyOf(layers)));
    }
  }

  /** The validity bitmap only when it marks at least one null: Lance sees no null buffer otherwise. */
  private static byte[] nullsOrNull(ColumnData d) {
    return d.validity() != null && d.nullCount() > 0 ? d.validity() : null;
  }
}
