package dev.lancemerge.format.v21;

import dev.lancemerge.format.BufferRange;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LogicalTypes;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.codec.Fsst;
import dev.lancemerge.format.codec.VariableData;
import dev.lancemerge.format.data.Bitmaps;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v21.CompressiveEncoding;
import dev.lancemerge.format.proto.v21.FullZipLayout;
import dev.lancemerge.format.proto.v21.RepDefLayer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Decodes a full-zip page: each level is a control word (rep and def packed into 1, 2 or 4 bytes,
 * absent when there are neither) followed by the value when the item is visible; variable-width
 * values carry a length first and nothing when null. Fixed-width pages without repetition are read
 * by row range directly, since every row has the same size.
 */
final class FullZipPageDecoder {
  private FullZipPageDecoder() {}

  static int controlWordBytes(FullZipLayout layout) {
    int bits = layout.getBitsRep() + layout.getBitsDef();
    return bits == 0 ? 0 : bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
  }

  /** Bytes of one zipped fixed-width value (validity bits of nullable list items included). */
  static int valueBytes(FullZipLayout layout, String where) {
    if (layout.getDetailsCase() != FullZipLayout.DetailsCase.BITS_PER_VALUE) {
      return -1;
    }
    long bits = layout.getBitsPerValue();
    if (bits % 8 != 0 || bits <= 0 || bits / 8 > Integer.MAX_VALUE) {
      throw new StructuralException(where + ": full-zip values of " + bits + " bits are not byte aligned");
    }
    return (int) (bits / 8);
  }

  static PageData decode(LanceFileReader file, PageInfo page, FullZipLayout layout, Field leaf,
      long from, long to, String where) throws IOException {
    if (page.buffers().isEmpty()) {
      throw new StructuralException(where + ": full-zip page without a data buffer");
    }
    BufferRange data = page.buffers().get(0);
    int cw = controlWordBytes(layout);
    int vb = valueBytes(layout, where);
    boolean hasRep = layout.getBitsRep() > 0;
    List<RepDefLayer> layers = layout.getLayersList();
    int maxVisibleDef = maxVisibleDef(layers);
    long numItems = Integer.toUnsignedLong(layout.getNumItems());
    if (!hasRep && vb >= 0) {
      // Every row is cw + vb bytes: read exactly the rows wanted.
      long stride = cw + vb;
      if (numItems != page.rows() || stride * numItems > data.size()) {
        throw new StructuralException(where + ": " + numItems + " rows of " + stride + " bytes do not fit a buffer of " + data.size() + " bytes");
      }
      int n = (int) (to - from);
      ByteBuffer b = file.readAt(data.position() + from * stride, stride * n);
      int[] def = cw == 0 ? null : new int[n];
      byte[] zipped = new byte[Math.multiplyExact(n, vb)];
      for (int i = 0; i < n; i++) {
        if (cw > 0) {
          def[i] = (int) (readWord(b, i * (int) stride, cw) & mask(layout.getBitsDef()));
        }
        b.get(i * (int) stride + cw, zipped, i * vb, vb);
      }
      return new PageData(null, def, fixedItems(layout.getValueCompression(), zipped, n, leaf, where), layers, n);
    }
    // Variable width or repetition: walk the whole page. Every level takes at least one byte (its
    // control word, or else its length or value), so the counts the page declares must fit its data.
    int bytesPerLength = vb >= 0 ? 0 : lengthBytes(layout, where);
    long visibleItems = Integer.toUnsignedLong(layout.getNumVisibleItems());
    long minLevelBytes = cw > 0 ? cw : vb >= 0 ? vb : bytesPerLength;
    if (hasRep ? numItems < page.rows() : numItems != page.rows()) {
      throw new StructuralException(where + ": " + numItems + " items in a page of " + page.rows() + " rows");
    }
    if (numItems > data.size() / minLevelBytes || visibleItems > numItems
        || (vb >= 0 && visibleItems * vb > data.size())) {
      throw new StructuralException(where + ": " + numItems + " items (" + visibleItems + " visible) do not fit a buffer of " + data.size() + " bytes");
    }
    ByteBuffer b = file.read(data);
    int levels = (int) numItems;
    int[] rep = hasRep ? new int[levels] : null;
    int[] def = layout.getBitsDef() > 0 ? new int[levels] : null;
    int visible = (int) visibleItems;
    long[] offsets = vb >= 0 ? null : new long[visible + 1];
    java.io.ByteArrayOutputStream values = new java.io.ByteArrayOutputStream();
    byte[] zipped = vb >= 0 ? new byte[Math.multiplyExact(visible, vb)] : null;
    int item = 0;
    int at = 0;
    for (int i = 0; i < levels; i++) {
      int r = 0;
      int d = 0;
      if (cw > 0) {
        need(b, at, cw, where);
        long word = readWord(b, at, cw);
        at += cw;
        d = (int) (word & mask(layout.getBitsDef()));
        r = (int) (word >>> layout.getBitsDef() & mask(layout.getBitsRep()));
      }
      if (rep != null) {
        rep[i] = r;
      }
      if (def != null) {
        def[i] = d;
      }
      boolean isVisible = d <= maxVisibleDef;
      if (!isVisible) {
        continue;
      }
      if (item >= visible) {
        throw new StructuralException(where + ": more visible items than the declared " + visible);
      }
      if (vb >= 0) {
        need(b, at, vb, where);
        b.get(at, zipped, item * vb, vb);
        at += vb;
      } else if (d == 0) {
        need(b, at, bytesPerLength, where);
        long len = readWord(b, at, bytesPerLength);
        at += bytesPerLength;
        if (len < 0 || len > b.limit() - at) {
          throw new StructuralException(where + ": value of " + len + " bytes runs past the page");
        }
        values.write(b.array(), b.arrayOffset() + at, (int) len);
        at += (int) len;
      }
      if (offsets != null) {
        offsets[item + 1] = values.size();
      }
      item++;
    }
    if (item != visible) {
      throw new StructuralException(where + ": found " + item + " visible items, the page declares " + visible);
    }
    ColumnData items = vb >= 0
        ? fixedItems(layout.getValueCompression(), zipped, visible, leaf, where)
        : variableItems(layout.getValueCompression(), new VariableData(values.toByteArray(), offsets), where);
    if (vb < 0 && !LogicalTypes.isVariableWidth(leaf.getType())) {
      throw new StructuralException(where + ": variable-width full-zip page for a column of type " + leaf.getType());
    }
    PageData all = new PageData(rep, def, items, layers, levels);
    return hasRep ? all : RowSlicer.slice(all, (int) from, (int) to);
  }

  /** Unzips fixed-width per-value data: optional item-validity bytes then the values of each row. */
  private static ColumnData fixedItems(CompressiveEncoding enc, byte[] zipped, int n, Field leaf, String where) {
    switch (enc.getCompressionCase()) {
      case FLAT:
        return ValueDecoder.flat(enc.getFlat().getBitsPerValue(), ByteBuffer.wrap(zipped), n, leaf.getType(), where);
      case FIXED_SIZE_LIST: {
        if (!(leaf.getType() instanceof ArrowType.FixedSizeList fsl)) {
          throw new StructuralException(where + ": fixed-size-list values for a column of type " + leaf.getType());
        }
        var e = enc.getFixedSizeList();
        int dim = fsl.getListSize();
        if (e.getItemsPerValue() != dim || !e.getValues().hasFlat()) {
          throw new StructuralException(where + ": fixed-size list encoding does not match " + dim + " flat items");
        }
        long bits = e.getValues().getFlat().getBitsPerValue();
        Field item = leaf.getChildren().get(0);
        if (!e.getHasValidity()) {
          ColumnData values = ValueDecoder.flat(bits, ByteBuffer.wrap(zipped), n * dim, item.getType(), where);
          return ColumnData.fixedSizeList(n, dim, values, null);
        }
        int validityBytes = (dim + 7) / 8;
        int dataBytes = (int) (bits / 8) * dim;
        int rowBytes = validityBytes + dataBytes;
        if ((long) rowBytes * n > zipped.length) {
          throw new StructuralException(where + ": zipped fixed-size lists need " + (long) rowBytes * n + " bytes");
        }
        byte[] validity = new byte[(n * dim + 7) / 8];
        byte[] values = new byte[n * dataBytes];
        for (int r = 0; r < n; r++) {
          Bitmaps.copy(zipped, (long) r * rowBytes * 8, validity, (long) r * dim, dim);
          System.arraycopy(zipped, r * rowBytes + validityBytes, values, r * dataBytes, dataBytes);
        }
        ColumnData child = ValueDecoder.withValidity(
            ValueDecoder.flat(bits, ByteBuffer.wrap(values), n * dim, item.getType(), where), validity);
        return ColumnData.fixedSizeList(n, dim, child, null);
      }
      default:
        throw new StructuralException(where + ": full-zip value encoding " + enc.getCompressionCase() + " is not supported");
    }
  }

  /** Variable-width values, FSST-decompressed when the page says so (each value is compressed on its own). */
  private static ColumnData variableItems(CompressiveEncoding enc, VariableData v, String where) {
    switch (enc.getCompressionCase()) {
      case VARIABLE:
        break;
      case FSST:
        v = Fsst.decompress(enc.getFsst().getSymbolTable().toByteArray(), v, ValueDecoder.MAX_DECOMPRESSED);
        break;
      default:
        throw new StructuralException(where + ": full-zip variable encoding " + enc.getCompressionCase() + " is not supported");
    }
    return ColumnData.variable(v.count(), v.offsets(), v.bytes(), null);
  }

  private static int lengthBytes(FullZipLayout layout, String where) {
    int bits = layout.getBitsPerOffset();
    if (bits != 32 && bits != 64) {
      throw new StructuralException(where + ": variable full-zip lengths of " + bits + " bits");
    }
    return bits / 8;
  }

  /** The largest def level at which an item (not a null or empty list) is present. */
  static int maxVisibleDef(List<RepDefLayer> layers) {
    int level = 0;
    for (RepDefLayer l : layers) {
      if (l == RepDefLayer.REPDEF_NULLABLE_ITEM) {
        level++;
      } else if (l != RepDefLayer.REPDEF_ALL_VALID_ITEM) {
        break;
      }
    }
    return level;
  }

  private static long readWord(ByteBuffer b, int at, int bytes) {
    switch (bytes) {
      case 1: return Byte.toUnsignedInt(b.get(at));
      case 2: return Short.toUnsignedInt(b.getShort(at));
      case 4: return Integer.toUnsignedLong(b.getInt(at));
      default: return b.getLong(at);
    }
  }

  private static long mask(int bits) {
    return bits >= 64 ? -1L : (1L << bits) - 1;
  }

  private static void need(ByteBuffer b, int at, int n, String where) {
    if (at + n > b.limit()) {
      throw new StructuralException(where + ": page data ends at " + b.limit() + " bytes, needs " + (at + n));
    }
  }
}
