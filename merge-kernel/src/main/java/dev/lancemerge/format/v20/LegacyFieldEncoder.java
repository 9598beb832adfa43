package dev.lancemerge.format.v20;

import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.FieldEncoder;
import dev.lancemerge.format.LanceTypeUrls;
import dev.lancemerge.format.LogicalTypes;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
import dev.lancemerge.format.data.NullFill;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.v20.encode.BinaryEncoder;
import dev.lancemerge.format.v20.encode.Encodings20;
import dev.lancemerge.format.v20.encode.ListOffsetsEncoder;
import dev.lancemerge.format.v20.encode.NullableEncoder;
import dev.lancemerge.format.v20.encode.PageBuffers;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Encodes pages in Lance 2.0 form ({@code lance.encodings.ArrayEncoding}), in the shapes Lance's own
 * 2.0 writer ({@code CoreFieldEncodingStrategy}) emits without compression: one page per physical
 * column of the field, in column order, i.e. pre-order over the field and its children.
 *
 * <ul>
 *   <li>fixed-width values, booleans, fixed-size lists of them: {@link NullableEncoder};
 *   <li>utf8 / binary / large forms: {@link BinaryEncoder};
 *   <li>lists / large lists: an offsets page ({@link ListOffsetsEncoder}) for the list's own column,
 *       then the pages of its child column(s) holding exactly the items those lists reference;
 *   <li>null-typed fields: {@code nullable{all_nulls}}.
 * </ul>
 */
public final class LegacyFieldEncoder implements FieldEncoder {
  @Override
  public List<EncodedPage> encode(Field field, ColumnData rows) {
    List<EncodedPage> pages = new ArrayList<>();
    encodeColumns(field, rows, pages);
    return pages;
  }

  private static void encodeColumns(Field field, ColumnData rows, List<EncodedPage> pages) {
    ArrowType type = field.getType();
    ColumnData data = typed(field, rows);
    if (type instanceof ArrowType.List || type instanceof ArrowType.LargeList) {
      pages.add(page(data.length(), ListOffsetsEncoder::encode, data));
      // Lance always writes an items page with every offsets page (even with no items), because
      // the reader cannot share one items page between two offsets pages.
      long[] off = data.offsets();
      int n = data.length();
      ColumnData items = ColumnDataOps.slice(data.child(), (int) off[0], (int) off[n]);
      encodeColumns(field.getChildren().get(0), items, pages);
    } else if (type instanceof ArrowType.Struct) {
      // Lance's 2.0 reader wants exactly one struct header page per file, which a writer that
      // writes a page per flush cannot give.
      throw new UnsupportedOperationException("2.0 encoding of struct field '" + field.getName() + "' is not supported");
    } else if (type instanceof ArrowType.Null) {
      pages.add(page(data.length(), (d, out) -> Encodings20.allNulls(), data));
    } else if (LogicalTypes.isVariableWidth(type)) {
      pages.add(page(data.length(), BinaryEncoder::encode, data));
    } else if (type instanceof ArrowType.FixedSizeList) {
      requireFixedWidthItems(field);
      pages.add(page(data.length(), NullableEncoder::encode, data));
    } else if (LogicalTypes.byteWidth(type) >= 0) {
      pages.add(page(data.length(), NullableEncoder::encode, data));
    } else {
      throw new UnsupportedOperationException("2.0 encoding of " + field + " is not supported");
    }
  }

  /**
   * The data with all-null runs (kind NULL, e.g. an all-null page read back) turned into typed
   * nulls of the field's shape, so every encoder sees offsets/values of the expected kind.
   */
  private static ColumnData typed(Field field, ColumnData rows) {
    if (rows.kind() != ColumnData.Kind.NULL || field.getType() instanceof ArrowType.Null) {
      return rows;
    }
    return NullFill.forField(field, rows.length());
  }

  /** Lance 2.0 reads a fixed-size list as one column only when its items are fixed-width (or nested such lists). */
  private static void requireFixedWidthItems(Field field) {
    Field item = field.getChildren().get(0);
    ArrowType t = item.getType();
    if (t instanceof ArrowType.FixedSizeList) {
      requireFixedWidthItems(item);
    } else if (LogicalTypes.isVariableWidth(t) || LogicalTypes.byteWidth(t) < 0) {
      throw new UnsupportedOperationException("2.0 encoding of fixed-size list '" + field.getName() + "' of " + t + " is not supported");
    }
  }

  private interface ArrayEncoder {
    ArrayEncoding encode(ColumnData data, PageBuffers out);
  }

  private static EncodedPage page(long length, ArrayEncoder encoder, ColumnData data) {
    PageBuffers buffers = new PageBuffers();
    ArrayEncoding encoding = encoder.encode(data, buffers);
    return new EncodedPage(length, buffers.buffers(), LanceTypeUrls.pack(encoding));
  }
}
