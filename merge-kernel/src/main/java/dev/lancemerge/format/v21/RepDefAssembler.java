package dev.lancemerge.format.v21;

import dev.lancemerge.format.data.Bitmaps;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v21.RepDefLayer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Rebuilds validity and list offsets from repetition/definition levels, innermost layer first.
 * Def level 0 is a valid item; each nullable layer adds one level (two for a list that can be both
 * null and empty). A non-zero rep level starts a new list at that depth.
 */
final class RepDefAssembler {
  private RepDefAssembler() {}

  /** The page's rows of {@code field} (a leaf, or lists around a leaf). */
  static ColumnData assemble(PageData page, Field field, String where) {
    List<RepDefLayer> layers = page.layers();
    if (layers.isEmpty()) {
      throw new StructuralException(where + ": page declares no rep/def layers");
    }
    List<Field> lists = new ArrayList<>();
    Field leaf = field;
    while (leaf.getType() instanceof ArrowType.List || leaf.getType() instanceof ArrowType.LargeList) {
      lists.add(0, leaf); // innermost list first
      leaf = leaf.getChildren().get(0);
    }
    if (layers.size() != lists.size() + 1) {
      throw new StructuralException(where + ": " + layers.size() + " rep/def layers for " + lists.size() + " list levels");
    }
    int[] rep = page.rep() == null ? null : page.rep().clone();
    int[] def = page.def() == null ? null : page.def().clone();
    int n = page.levels();
    if (!lists.isEmpty() && rep == null) {
      throw new StructuralException(where + ": list column without repetition levels");
    }
    // Items: levels visible at the item layer.
    RepDefLayer itemLayer = layers.get(0);
    boolean nullableItems = itemLayer == RepDefLayer.REPDEF_NULLABLE_ITEM;
    if (!nullableItems && itemLayer != RepDefLayer.REPDEF_ALL_VALID_ITEM) {
      throw new StructuralException(where + ": innermost layer " + itemLayer + " is not an item layer");
    }
    ColumnData items = page.items();
    if (nullableItems && def != null) {
      int maxItemDef = 1;
      byte[] validity = new byte[(items.length() + 7) / 8];
      int item = 0;
      for (int i = 0; i < n; i++) {
        if (def[i] <= maxItemDef) {
          if (item >= items.length()) {
            throw new StructuralException(where + ": def levels describe more than the " + items.length() + " items present");
          }
          Bitmaps.set(validity, item++, def[i] == 0);
        }
      }
      if (item != items.length()) {
        throw new StructuralException(where + ": def levels describe " + item + " items, " + items.length() + " present");
      }
      items = ValueDecoder.withValidity(items, validity);
    } else if (lists.isEmpty() && items.length() != n) {
      throw new StructuralException(where + ": " + items.length() + " items for " + n + " rows");
    }
    int defCmp = nullableItems ? 1 : 0;
    ColumnData current = items;
    int count = n;
    for (int layer = 1; layer < layers.size(); layer++) {
      RepDefLayer kind = layers.get(layer);
      int valid = defCmp;
      int nullLevel;
      int emptyLevel;
      switch (kind) {
        case REPDEF_NULLABLE_LIST:
          nullLevel = valid + 1;
          emptyLevel = 0;
          defCmp += 1;
          break;
        case REPDEF_EMPTYABLE_LIST:
          nullLevel = 0;
          emptyLevel = valid + 1;
          defCmp += 1;
          break;
        case REPDEF_NULL_AND_EMPTY_LIST:
          nullLevel = valid + 1;
          emptyLevel = valid + 2;
          defCmp += 2;
          break;
        case REPDEF_ALL_VALID_LIST:
          nullLevel = 0;
          emptyLevel = 0;
          break;
        default:
          throw new StructuralException(where + ": layer " + layer + " (" + kind + ") is not a list layer");
      }
      int maxLevel = Math.max(nullLevel, emptyLevel);
      long[] offsets = new long[count + 1];
      byte[] validity = new byte[(count + 7) / 8];
      boolean anyNull = false;
      int lists0 = 0;
      long curlen = 0;
      int write = 0;
      for (int i = 0; i < count; i++) {
        int r = rep[i];
        int d = def == null ? 0 : def[i];
        if (r != 0) {
          rep[write] = r - 1;
          if (def != null) {
            def[write] = d;
          }
          write++;
          if (d == 0) {
            offsets[lists0] = curlen;
            Bitmaps.set(validity, lists0++, true);
            curlen++;
          } else if (d > maxLevel) {
            // a null or empty list further out: invisible here
          } else if (d == nullLevel) {
            offsets[lists0] = curlen;
            anyNull = true;
            Bitmaps.set(validity, lists0++, false);
          } else if (d == emptyLevel) {
            offsets[lists0] = curlen;
            Bitmaps.set(validity, lists0++, true);
          } else {
            offsets[lists0] = curlen;
            Bitmaps.set(validity, lists0++, true);
            curlen++;
          }
        } else {
          curlen++;
        }
      }
      if (curlen != current.length()) {
        throw new StructuralException(where + ": rep levels describe " + curlen + " inner values, " + current.length() + " present");
      }
      offsets[lists0] = curlen;
      long[] exact = java.util.Arrays.copyOf(offsets, lists0 + 1);
      byte[] v = anyNull ? java.util.Arrays.copyOf(validity, (lists0 + 7) / 8) : null;
      current = ColumnData.list(lists0, exact, current, v);
      count = write;
    }
    return current;
  }
}
