package dev.lancemerge.format.v21;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lancemerge.format.BufferRange;
import dev.lancemerge.format.FieldDecoder;
import dev.lancemerge.format.LanceColumn;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.codec.CodecException;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
import dev.lancemerge.format.data.NullFill;
import dev.lancemerge.format.proto.v21.CompressiveEncoding;
import dev.lancemerge.format.proto.v21.ConstantLayout;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.format.proto.v21.RepDefLayer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Reads fields of Lance 2.1+ files: one leaf column per field (lists wrap their leaf), pages in
 * mini-block, full-zip or constant (all-null) layout. Only pages overlapping the requested rows are
 * read; within a page without repetition only the chunks or rows needed.
 */
public final class StructuralFieldDecoder implements FieldDecoder {
  @Override
  public ColumnData read(LanceFileReader file, int topLevel, long from, long to) throws IOException {
    Field field = file.schema().arrow().getFields().get(topLevel);
    List<LanceColumn> columns = file.schema().columnsOf(topLevel);
    if (columns.size() != 1) {
      throw new LanceFormatException(file.path(), "field '" + field.getName() + "' spans " + columns.size()
          + " columns (structs are not supported by this reader)");
    }
    int column = columns.get(0).index();
    List<ColumnData> parts = new ArrayList<>();
    for (PageInfo page : file.pages(column)) {
      if (page.endRow() <= from || page.firstRow() >= to) {
        continue;
      }
      long a = Math.max(from, page.firstRow()) - page.firstRow();
      long b = Math.min(to, page.endRow()) - page.firstRow();
      String where = "column " + column + " ('" + field.getName() + "') page " + page.pageIndex();
      try {
        parts.add(readPage(file, page, field, a, b, where));
      } catch (StructuralException | CodecException | IllegalArgumentException | ArithmeticException
          | IndexOutOfBoundsException e) {
        throw new LanceFormatException(file.path(), (e instanceof StructuralException ? "" : where + ": ") + e.getMessage(), e);
      }
    }
    return parts.isEmpty() ? NullFill.forField(field, 0) : ColumnDataOps.concat(parts);
  }

  private static ColumnData readPage(LanceFileReader file, PageInfo page, Field field, long a, long b, String where)
      throws IOException {
    PageLayout layout;
    try {
      layout = PageLayout.parseFrom(page.encoding());
    } catch (InvalidProtocolBufferException e) {
      throw new StructuralException(where + ": page layout does not parse: " + e.getMessage());
    }
    Field leaf = leafOf(field);
    switch (layout.getLayoutCase()) {
      case MINI_BLOCK_LAYOUT: {
        var mb = layout.getMiniBlockLayout();
        boolean rep = mb.hasRepCompression();
        if (!rep && mb.getNumItems() != page.rows()) {
          throw new StructuralException(where + ": " + mb.getNumItems() + " items in a page of " + page.rows() + " rows");
        }
        PageData data = MiniBlockPageDecoder.decode(file, page, mb, leaf, a, b, where);
        ColumnData rows = RepDefAssembler.assemble(data, field, where);
        return rep ? checkedSlice(rows, page, a, b, where) : rows;
      }
      case FULL_ZIP_LAYOUT: {
        var fz = layout.getFullZipLayout();
        PageData data = FullZipPageDecoder.decode(file, page, fz, leaf, a, b, where);
        ColumnData rows = RepDefAssembler.assemble(data, field, where);
        return fz.getBitsRep() > 0 ? checkedSlice(rows, page, a, b, where) : rows;
      }
      case CONSTANT_LAYOUT: {
        var c = layout.getConstantLayout();
        if (c.hasRepCompression() || c.hasDefCompression() || !page.buffers().isEmpty()) {
          return complexAllNull(file, c, field, page, a, b, where);
        }
        return constant(c, field, page, (int) (b - a), where);
      }
      case BLOB_LAYOUT:
        throw new StructuralException(where + ": blob columns are not supported");
      default:
        throw new StructuralException(where + ": page has no layout");
    }
  }

  private static ColumnData constant(ConstantLayout c, Field field, PageInfo page, int n, String where) {
    if (c.hasRepCompression() || c.hasDefCompression() || !page.buffers().isEmpty()) {
      throw new StructuralException(where + ": constant pages with rep/def levels or buffers are not supported");
    }
    if (!c.hasInlineValue()) {
      return NullFill.forField(field, n); // every item null
    }
    byte[] v = c.getInlineValue().toByteArray();
    int w = dev.lancemerge.format.LogicalTypes.byteWidth(field.getType());
    if (w <= 0 || v.length != w) {
      throw new StructuralException(where + ": constant of " + v.length + " bytes for a column of type " + field.getType());
    }
    byte[] out = new byte[Math.multiplyExact(n, w)];
    for (int i = 0; i < n; i++) {
      System.arraycopy(v, 0, out, i * w, w);
    }
    return ColumnData.fixed(n, w, out, null);
  }

  /**
   * Lance's "complex all-null" page: no item has a value, but the rows still have structure (null or
   * empty lists, null items inside lists), given by rep and def levels in buffers 0 and 1 (raw u16, or
   * compressed as {@code rep_compression}/{@code def_compression} say in 2.2; either may be empty).
   */
  private static ColumnData complexAllNull(LanceFileReader file, ConstantLayout c, Field field, PageInfo page,
      long a, long b, String where) throws IOException {
    if (c.hasInlineValue()) {
      throw new StructuralException(where + ": constant pages with a value and rep/def levels are not supported");
    }
    if (page.buffers().size() != 2) {
      throw new StructuralException(where + ": all-null page with levels has " + page.buffers().size() + " buffers, needs 2");
    }
    int[] rep = allNullLevels(file, page, page.buffers().get(0), c.hasRepCompression() ? c.getRepCompression() : null,
        c.getNumRepValues(), where + " rep");
    int[] def = allNullLevels(file, page, page.buffers().get(1), c.hasDefCompression() ? c.getDefCompression() : null,
        c.getNumDefValues(), where + " def");
    if (rep == null && def == null) {
      throw new StructuralException(where + ": all-null page with neither rep nor def levels");
    }
    if (rep != null && def != null && rep.length != def.length) {
      throw new StructuralException(where + ": " + rep.length + " rep levels but " + def.length + " def levels");
    }
    int levels = rep != null ? rep.length : def.length;
    if (c.getLayersCount() == 0) {
      throw new StructuralException(where + ": page declares no rep/def layers");
    }
    // Every item is null: only levels at the item layer's null level (def 1) hold an item slot.
    boolean nullableItems = c.getLayers(0) == RepDefLayer.REPDEF_NULLABLE_ITEM;
    int items = 0;
    for (int i = 0; i < levels; i++) {
      int d = def == null ? 0 : def[i];
      if (d == 0) {
        throw new StructuralException(where + ": all-null page has a valid item at level " + i);
      }
      if (nullableItems && d == 1) {
        items++;
      }
    }
    PageData data = new PageData(rep, def, NullFill.forField(leafOf(field), items), c.getLayersList(), levels);
    ColumnData rows = RepDefAssembler.assemble(data, field, where);
    return checkedSlice(rows, page, a, b, where);
  }

  /** Levels of an all-null page, or null when the buffer is empty (no such levels). */
  private static int[] allNullLevels(LanceFileReader file, PageInfo page, BufferRange range, CompressiveEncoding enc,
      long count, String where) throws IOException {
    if (range.size() == 0 && (enc == null || count == 0)) {
      return null;
    }
    ByteBuffer bytes = file.read(range);
    if (enc == null) {
      if (range.size() % 2 != 0) {
        throw new StructuralException(where + ": " + range.size() + " bytes of u16 levels");
      }
      return LevelDecoder.decode(FLAT_U16, bytes, (int) (range.size() / 2), where);
    }
    // Compressed levels expand at most a few hundred times (an RLE run of 255 per 3 bytes), or are one
    // constant per row; more is corruption.
    if (count < 0 || count > Math.max(page.rows(), MAX_LEVEL_EXPANSION * range.size()) || count > Integer.MAX_VALUE - 8) {
      throw new StructuralException(where + ": " + Long.toUnsignedString(count) + " levels in " + range.size() + " bytes");
    }
    return LevelDecoder.decode(enc, bytes, (int) count, where);
  }

  private static final long MAX_LEVEL_EXPANSION = 256;
  private static final CompressiveEncoding FLAT_U16 = CompressiveEncoding.newBuilder()
      .setFlat(dev.lancemerge.format.proto.v21.Flat.newBuilder().setBitsPerValue(16)).build();

  private static ColumnData checkedSlice(ColumnData rows, PageInfo page, long a, long b, String where) {
    if (rows.length() != page.rows()) {
      throw new StructuralException(where + ": levels describe " + rows.length() + " rows, the page holds " + page.rows());
    }
    return ColumnDataOps.slice(rows, (int) a, (int) b);
  }

  static Field leafOf(Field field) {
    Field f = field;
    while (f.getType() instanceof ArrowType.List || f.getType() instanceof ArrowType.LargeList) {
      f = f.getChildren().get(0);
    }
    return f;
  }
}
