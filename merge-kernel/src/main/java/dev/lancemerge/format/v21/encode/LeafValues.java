package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.data.Bitmaps;
import dev.lancemerge.format.data.ColumnData;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The values of a page's items (one per visible level entry), compacted out of the leaf's slots.
 * Null items keep their slot: Lance stores a value for every item and the def level says it is
 * null, so whatever bytes the slot held are written.
 */
final class LeafValues {
  enum Kind {
    /** {@code byteWidth} bytes per item. */
    FIXED,
    /** One bit per item, LSB first. */
    BOOL,
    /** {@code offsets} ({@code count + 1}, from 0) into {@code data}. */
    VARIABLE,
    /** Fixed-size list of {@code dim} fixed-width children ({@code byteWidth} each) or bits ({@code byteWidth} 0). */
    FSL,
    /** No values at all (Arrow Null type). */
    NONE
  }

  final Kind kind;
  final int count;
  final int byteWidth;
  final int dim;
  final byte[] data;
  final long[] offsets;
  /** 64-bit offsets (LargeUtf8/LargeBinary): decides the offset width Lance writes. */
  final boolean largeOffsets;
  /** FSL only: validity of the children, or null when no child is null (Lance's has_validity). */
  final byte[] childValidity;
  /** Items whose own (leaf) validity is null; decides the all-null page. */
  final int nullItems;

  private LeafValues(Kind kind, int count, int byteWidth, int dim, byte[] data, long[] offsets, boolean largeOffsets,
      byte[] childValidity, int nullItems) {
    this.kind = kind;
    this.count = count;
    this.byteWidth = byteWidth;
    this.dim = dim;
    this.data = data;
    this.offsets = offsets;
    this.largeOffsets = largeOffsets;
    this.childValidity = childValidity;
    this.nullItems = nullItems;
  }

  /** Gathers the items of {@code levels} from {@code leaf}'s slots. */
  static LeafValues of(Leaf leaf, RepDefLevels levels) {
    ColumnData d = leaf.data();
    int n = levels.numItems();
    int nulls = 0;
    for (int k = 0; k < n; k++) {
      if (d.kind() == ColumnData.Kind.NULL || !d.isValid(levels.slot(k))) {
        nulls++;
      }
    }
    switch (d.kind()) {
      case NULL:
        return new LeafValues(Kind.NONE, n, 0, 0, new byte[0], null, false, null, nulls);
      case FIXED: {
        int w = d.byteWidth();
        byte[] v = gatherFixed(d.values(), w, levels, n);
        return new LeafValues(Kind.FIXED, n, w, 0, v, null, false, null, nulls);
      }
      case BOOL:
        return new LeafValues(Kind.BOOL, n, 0, 0, gatherBits(d.values(), 1, levels, n), null, false, null, nulls);
      case VARIABLE:
        return variable(leaf.field(), d, levels, n, nulls);
      case FIXED_SIZE_LIST:
        return fsl(leaf.field(), d, levels, n, nulls);
      default:
        throw new IllegalArgumentException("field '" + leaf.field().getName() + "': " + d.kind() + " data is not a leaf");
    }
  }

  private static LeafValues variable(Field f, ColumnData d, RepDefLevels levels, int n, int nulls) {
    ArrowType t = f.getType();
    boolean large = t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.LargeBinary;
    long[] src = d.offsets();
    long[] off = new long[n + 1];
    long total = 0;
    for (int k = 0; k < n; k++) {
      int s = levels.slot(k);
      total += src[s + 1] - src[s];
      off[k + 1] = total;
    }
    if (!large && total > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("field '" + f.getName() + "': page holds " + total + " bytes, too many for 32-bit offsets");
    }
    byte[] bytes = new byte[Math.toIntExact(total)];
    for (int k = 0; k < n; k++) {
      int s = levels.slot(k);
      System.arraycopy(d.values(), (int) src[s], bytes, (int) off[k], (int) (src[s + 1] - src[s]));
    }
    return new LeafValues(Kind.VARIABLE, n, 0, 0, bytes, off, large, null, nulls);
  }

  private static LeafValues fsl(Field f, ColumnData d, RepDefLevels levels, int n, int nulls) {
    int dim = d.dimension();
    ColumnData child = d.child();
    if (child.kind() != ColumnData.Kind.FIXED && child.kind() != ColumnData.Kind.BOOL) {
      throw new IllegalArgumentException("field '" + f.getName() + "': fixed-size lists of " + child.kind()
          + " are not supported by the 2.1 writer (only of fixed-width primitives)");
    }
    boolean bits = child.kind() == ColumnData.Kind.BOOL;
    int w = bits ? 0 : child.byteWidth();
    byte[] data = bits ? gatherBits(child.values(), dim, levels, n) : gatherFixed(child.values(), w * dim, levels, n);
    byte[] validity = null;
    if (child.validity() != null && child.nullCount() > 0) {
      validity = gatherBits(child.validity(), dim, levels, n);
      if (Bitmaps.allValid(validity, n * dim)) {
        validity = null; // the nulls were all under dropped rows
      }
    }
    return new LeafValues(Kind.FSL, n, w, dim, data, null, false, validity, nulls);
  }

  /** Copies {@code width}-byte slots of each item. */
  private static byte[] gatherFixed(byte[] src, int width, RepDefLevels levels, int n) {
    if (levels.itemSlots() == null) {
      int bytes = Math.multiplyExact(n, width);
      // Every slot is an item: the leaf's own array serves (pages only read it).
      return src.length == bytes ? src : java.util.Arrays.copyOf(src, bytes);
    }
    byte[] v = new byte[Math.multiplyExact(n, width)];
    for (int k = 0; k < n; k++) {
      System.arraycopy(src, levels.slot(k) * width, v, k * width, width);
    }
    return v;
  }

  /** Copies {@code bitsPerItem} bits of each item. */
  private static byte[] gatherBits(byte[] src, int bitsPerItem, RepDefLevels levels, int n) {
    long total = (long) n * bitsPerItem;
    byte[] v = new byte[Math.toIntExact((total + 7) / 8)];
    if (levels.itemSlots() == null) {
      Bitmaps.copy(src, 0, v, 0, total);
      return v;
    }
    for (int k = 0; k < n; k++) {
      Bitmaps.copy(src, (long) levels.slot(k) * bitsPerItem, v, (long) k * bitsPerItem, bitsPerItem);
    }
    return v;
  }

  /** Largest value in bytes, Lance's "max length" statistic: decides mini-block (< 256) vs full-zip. */
  long maxValueBytes() {
    switch (kind) {
      case FIXED:
        return byteWidth;
      case FSL:
        return (long) byteWidth * dim;
      case VARIABLE: {
        long m = 0;
        for (int k = 0; k < count; k++) {
          m = Math.max(m, offsets[k + 1] - offsets[k]);
        }
        return m;
      }
      default:
        return 0;
    }
  }

  /** Bytes of value data (variable: payload bytes). */
  long dataBytes() {
    return data.length;
  }
}
