package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.proto.v21.RepDefLayer;
import java.util.List;

/**
 * Repetition and definition levels of one leaf column over one page, numbered as Lance's
 * {@code repdef.rs} numbers them.
 *
 * <p>There is one level entry per leaf item that exists ("visible" item, null or not) plus one per
 * "special": an empty list, a null list, or a list under a null struct, which has no item. Def 0 is a
 * valid item; each layer that has nulls (or empty lists) takes the next numbers counting outward,
 * so the outermost null wins. Rep is {@code maxRep} where a top-level row starts, the list depth
 * where an inner list starts, and 0 for an item continuing a list.
 *
 * @param rep u16 levels, null when there are no lists
 * @param def u16 levels, null when nothing is null or empty
 * @param visible for each entry, whether it is an item (has a value slot) rather than a special
 * @param itemSlots for each item, its slot in the leaf's data; null = identity (no lists)
 * @param numItems number of items (visible entries)
 * @param layers layer meanings, innermost first, as written in the page layout
 * @param maxRep number of list layers
 */
record RepDefLevels(
    int numLevels,
    short[] rep,
    short[] def,
    boolean[] visible,
    int[] itemSlots,
    int numItems,
    List<RepDefLayer> layers,
    int maxRep) {

  boolean hasRep() {
    return rep != null;
  }

  boolean hasDef() {
    return def != null;
  }

  int repAt(int i) {
    return rep == null ? 0 : Short.toUnsignedInt(rep[i]);
  }

  int defAt(int i) {
    return def == null ? 0 : Short.toUnsignedInt(def[i]);
  }

  boolean isVisible(int i) {
    return visible == null || visible[i];
  }

  /** The leaf slot of item {@code k}. */
  int slot(int k) {
    return itemSlots == null ? k : itemSlots[k];
  }

  /** Largest rep level present (Lance sizes full-zip control words by the actual maximum). */
  int actualMaxRep() {
    int m = 0;
    if (rep != null) {
      for (short r : rep) {
        m = Math.max(m, Short.toUnsignedInt(r));
      }
    }
    return m;
  }

  int actualMaxDef() {
    int m = 0;
    if (def != null) {
      for (short d : def) {
        m = Math.max(m, Short.toUnsignedInt(d));
      }
    }
    return m;
  }
}
