package dev.lancemerge.format.v20;

import dev.lancemerge.format.LanceColumn;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Builds the reader tree of a field from its 2.0 columns, which come in schema pre-order: every
 * field takes one column (lists their offsets, structs a header), then its children follow.
 * Fixed-size lists of primitives are a single column.
 */
final class FieldReaders {
  private FieldReaders() {}

  static FieldReader of(LanceFileReader file, Field field, Iterator<LanceColumn> columns) throws LanceFormatException {
    if (!columns.hasNext()) {
      throw new LanceFormatException(file.path(), "field '" + field.getName() + "' has no column left to read");
    }
    LanceColumn column = columns.next();
    ArrowType t = field.getType();
    if (t instanceof ArrowType.List || t instanceof ArrowType.LargeList) {
      FieldReader items = of(file, field.getChildren().get(0), columns);
      return new ListFieldReader(file, column.index(), items);
    }
    if (t instanceof ArrowType.Struct) {
      List<FieldReader> children = new ArrayList<>();
      for (Field c : field.getChildren()) {
        children.add(of(file, c, columns));
      }
      return new StructFieldReader(file, column.index(), children);
    }
    try {
      return new PrimitiveFieldReader(file, column.index(), ValueShape.of(field));
    } catch (IllegalArgumentException e) {
      throw new LanceFormatException(file.path(), "column " + column.index() + " (field '" + field.getName() + "'): " + e.getMessage());
    }
  }
}
