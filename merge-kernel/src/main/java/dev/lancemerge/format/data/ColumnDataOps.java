package dev.lancemerge.format.data;

import java.util.ArrayList;
import java.util.List;

/** Slicing and concatenation of {@link ColumnData}, used to assemble row ranges across pages. */
public final class ColumnDataOps {
  private ColumnDataOps() {}

  /** Rows {@code [from, to)} of {@code d}. */
  public static ColumnData slice(ColumnData d, int from, int to) {
    if (from < 0 || to > d.length() || from > to) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") of " + d.length() + " rows");
    }
    if (from == 0 && to == d.length()) {
      return d;
    }
    int n = to - from;
    byte[] validity = sliceBits(d.validity(), from, n);
    switch (d.kind()) {
      case NULL:
        return ColumnData.nulls(n);
      case FIXED: {
        byte[] v = new byte[n * d.byteWidth()];
        System.arraycopy(d.values(), from * d.byteWidth(), v, 0, v.length);
        return ColumnData.fixed(n, d.byteWidth(), v, validity);
      }
      case BOOL:
        return ColumnData.bools(n, sliceBits(d.values(), from, n), validity);
      case VARIABLE: {
        long[] off = d.offsets();
        long base = off[from];
        long[] o = new long[n + 1];
        for (int i = 0; i <= n; i++) {
          o[i] = off[from + i] - base;
        }
        byte[] bytes = new byte[Math.toIntExact(o[n])];
        System.arraycopy(d.values(), (int) base, bytes, 0, bytes.length);
        return ColumnData.variable(n, o, bytes, validity);
      }
      case FIXED_SIZE_LIST: {
        int dim = d.dimension();
        return ColumnData.fixedSizeList(n, dim, slice(d.child(), from * dim, to * dim), validity);
      }
      case LIST: {
        long[] off = d.offsets();
        long base = off[from];
        long[] o = new long[n + 1];
        for (int i = 0; i <= n; i++) {
          o[i] = off[from + i] - base;
        }
        return ColumnData.list(n, o, slice(d.child(), (int) base, (int) off[to]), validity);
      }
      case STRUCT: {
        List<ColumnData> kids = new ArrayList<>();
        for (ColumnData c : d.children()) {
          kids.add(slice(c, from, to));
        }
        return ColumnData.struct(n, kids, validity);
      }
      default:
        throw new IllegalStateException(d.kind().toString());
    }
  }

  /** The rows of all parts, in order. All parts must describe the same type. */
  public static ColumnData concat(List<ColumnData> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to concatenate");
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int n = 0;
    boolean anyNull = false;
    ColumnData.Kind kind = null;
    for (ColumnData p : parts) {
      n = Math.addExact(n, p.length());
      anyNull |= p.validity() != null;
      if (p.kind() != ColumnData.Kind.NULL) {
        kind = p.kind();
      }
    }
    if (kind == null) {
      return ColumnData.nulls(n);
    }
    // A NULL part among typed parts (an all-null page) becomes typed nulls of the same shape.
    List<ColumnData> typed = new ArrayList<>();
    ColumnData template = null;
    for (ColumnData p : parts) {
      if (p.kind() != ColumnData.Kind.NULL) {
        template = p;
        break;
      }
    }
    for (ColumnData p : parts) {
      typed.add(p.kind() == ColumnData.Kind.NULL ? NullFill.like(template, p.length()) : p);
    }
    byte[] validity = null;
    if (anyNull) {
      validity = new byte[(n + 7) / 8];
      int at = 0;
      for (ColumnData p : typed) {
        if (p.validity() == null) {
          for (int i = 0; i < p.length(); i++) {
            Bitmaps.set(validity, at + i, true);
          }
        } else {
          Bitmaps.copy(p.validity(), 0, validity, at, p.length());
        }
        at += p.length();
      }
    }
    switch (kind) {
      case FIXED: {
        int w = template.byteWidth();
        byte[] v = new byte[Math.multiplyExact(n, w)];
        int at = 0;
        for (ColumnData p : typed) {
          System.arraycopy(p.values(), 0, v, at, p.length() * w);
          at += p.length() * w;
        }
        return ColumnData.fixed(n, w, v, validity);
      }
      case BOOL: {
        byte[] bits = new byte[(n + 7) / 8];
        int at = 0;
        for (ColumnData p : typed) {
          Bitmaps.copy(p.values(), 0, bits, at, p.length());
          at += p.length();
        }
        return ColumnData.bools(n, bits, validity);
      }
      case VARIABLE: {
        long total = 0;
        for (ColumnData p : typed) {
          total += p.offsets()[p.length()] - p.offsets()[0];
        }
        byte[] bytes = new byte[Math.toIntExact(total)];
        long[] o = new long[n + 1];
        int row = 0;
        long at = 0;
        for (ColumnData p : typed) {
          long base = p.offsets()[0];
          for (int i = 0; i < p.length(); i++) {
            o[row + i] = at + p.offsets()[i] - base;
          }
          int len = (int) (p.offsets()[p.length()] - base);
          System.arraycopy(p.values(), (int) base, bytes, (int) at, len);
          at += len;
          row += p.length();
        }
        o[n] = at;
        return ColumnData.variable(n, o, bytes, validity);
      }
      case FIXED_SIZE_LIST: {
        List<ColumnData> items = new ArrayList<>();
        for (ColumnData p : typed) {
          items.add(p.child());
        }
        return ColumnData.fixedSizeList(n, template.dimension(), concat(items), validity);
      }
      case LIST: {
        List<ColumnData> items = new ArrayList<>();
        long[] o = new long[n + 1];
        int row = 0;
        long at = 0;
        for (ColumnData p : typed) {
          long base = p.offsets()[0];
          for (int i = 0; i < p.length(); i++) {
            o[row + i] = at + p.offsets()[i] - base;
          }
          ColumnData child = p.child();
          if (base != 0 || p.offsets()[p.length()] != child.length()) {
            child = slice(child, (int) base, (int) p.offsets()[p.length()]);
          }
          items.add(child);
          at += child.length();
          row += p.length();
        }
        o[n] = at;
        return ColumnData.list(n, o, concat(items), validity);
      }
      case STRUCT: {
        List<ColumnData> kids = new ArrayList<>();
        for (int c = 0; c < template.children().size(); c++) {
          List<ColumnData> col = new ArrayList<>();
          for (ColumnData p : typed) {
            col.add(p.children().get(c));
          }
          kids.add(concat(col));
        }
        return ColumnData.struct(n, kids, validity);
      }
      default:
        throw new IllegalStateException(kind.toString());
    }
  }

  /**
   * Item {@code index[i]} of {@code items} for every i (dictionary decoding); an index of -1 gives an
   * empty slot, for rows the caller marks null in {@code validity}. Fixed-width or variable-width items.
   */
  public static ColumnData take(ColumnData items, int[] index, byte[] validity) {
    int n = index.length;
    switch (items.kind()) {
      case VARIABLE: {
        long[] off = items.offsets();
        long total = 0;
        for (int k : index) {
          total += k < 0 ? 0 : off[k + 1] - off[k];
        }
        if (total > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException("dictionary values expand to " + total + " bytes");
        }
        byte[] bytes = new byte[(int) total];
        long[] offsets = new long[n + 1];
        int at = 0;
        for (int i = 0; i < n; i++) {
          int k = index[i];
          if (k >= 0) {
            int from = (int) off[k];
            int len = (int) (off[k + 1] - from);
            System.arraycopy(items.values(), from, bytes, at, len);
            at += len;
          }
          offsets[i + 1] = at;
        }
        return ColumnData.variable(n, offsets, bytes, validity);
      }
      case FIXED: {
        int w = items.byteWidth();
        byte[] out = new byte[Math.multiplyExact(n, w)];
        for (int i = 0; i < n; i++) {
          if (index[i] >= 0) {
            System.arraycopy(items.values(), index[i] * w, out, i * w, w);
          }
        }
        return ColumnData.fixed(n, w, out, validity);
      }
      default:
        throw new IllegalArgumentException("dictionary of " + items.kind() + " items is not supported");
    }
  }

  private static byte[] sliceBits(byte[] bits, int from, int n) {
    if (bits == null) {
      return null;
    }
    byte[] out = new byte[(n + 7) / 8];
    Bitmaps.copy(bits, from, out, 0, n);
    return out;
  }
}
