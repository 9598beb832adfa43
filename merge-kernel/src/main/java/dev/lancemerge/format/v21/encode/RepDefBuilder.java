package dev.lancemerge.format.v21.encode;

import dev.lancemerge.format.proto.v21.RepDefLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a leaf's layers into rep/def levels the way Lance's {@code RepDefBuilder::serialize} does.
 *
 * <p>Rows are walked outermost layer first. A null struct slot marks everything under it with its
 * def level; a null list, an empty list, or any list under a null slot becomes one "special" entry
 * and its items (if any) are dropped, just as Lance filters garbage items under null lists. Def
 * numbers are assigned afterwards, because whether a layer needs numbers depends on whether any null
 * or empty list was actually seen on the page.
 */
final class RepDefBuilder {
  private final List<StructuralLayer> layers;
  private final int[] listRep;
  private final boolean[] hasNull;
  private final boolean[] hasEmpty;
  private int[] rep = new int[64];
  private int[] cause = new int[64];
  private int[] slot = new int[64];
  private boolean[] visible = new boolean[64];
  private int n;
  private int items;

  private RepDefBuilder(List<StructuralLayer> layers) {
    this.layers = layers;
    int k = layers.size();
    this.listRep = new int[k];
    this.hasNull = new boolean[k];
    this.hasEmpty = new boolean[k];
    int lists = 0;
    for (int i = k - 1; i >= 0; i--) {
      if (layers.get(i) instanceof StructuralLayer.Offsets) {
        lists++;
      }
      // The outermost list starts a top-level row and gets the highest rep level.
      listRep[i] = lists;
    }
  }

  /** Levels for {@code rows} top-level rows of a leaf under {@code layers} (outermost first). */
  static RepDefLevels build(List<StructuralLayer> layers, int rows) {
    if (layers.size() == 1 && layers.get(0) instanceof StructuralLayer.Validity v) {
      return flat(v, rows);
    }
    RepDefBuilder b = new RepDefBuilder(layers);
    for (int r = 0; r < rows; r++) {
      b.visit(0, r, 0, -1);
    }
    return b.finish();
  }

  /** The common case, a leaf with no parents: one level per row, def only if there are nulls. */
  private static RepDefLevels flat(StructuralLayer.Validity v, int rows) {
    if (v.validity() == null) {
      return new RepDefLevels(rows, null, null, null, null, rows, List.of(RepDefLayer.REPDEF_ALL_VALID_ITEM), 0);
    }
    short[] def = new short[rows];
    for (int i = 0; i < rows; i++) {
      def[i] = (short) (v.isValid(i) ? 0 : 1);
    }
    return new RepDefLevels(rows, null, def, null, null, rows, List.of(RepDefLayer.REPDEF_NULLABLE_ITEM), 0);
  }

  // cause: -1 = defined all the way down; 2*layer = null at that layer; 2*layer+1 = empty list there.
  private void visit(int k, int idx, int repHere, int causeHere) {
    if (k == layers.size()) {
      add(repHere, causeHere, idx, true);
      return;
    }
    StructuralLayer layer = layers.get(k);
    if (layer instanceof StructuralLayer.Validity v) {
      int c = causeHere;
      if (!v.isValid(idx)) {
        hasNull[k] = true;
        if (c < 0) {
          c = 2 * k;
        }
      }
      visit(k + 1, idx, repHere, c);
      return;
    }
    StructuralLayer.Offsets o = (StructuralLayer.Offsets) layer;
    // A list that starts here is a new row/list at this depth unless an outer list already started here.
    int startRep = repHere != 0 ? repHere : listRep[k];
    if (causeHere >= 0) {
      add(startRep, causeHere, -1, false);
      return;
    }
    if (!o.isValid(idx)) {
      hasNull[k] = true;
      add(startRep, 2 * k, -1, false);
      return;
    }
    long from = o.offsets()[idx];
    long to = o.offsets()[idx + 1];
    if (to < from) {
      throw new IllegalArgumentException("list offsets decrease at slot " + idx);
    }
    if (from == to) {
      hasEmpty[k] = true;
      add(startRep, 2 * k + 1, -1, false);
      return;
    }
    for (long j = from; j < to; j++) {
      visit(k + 1, Math.toIntExact(j), j == from ? startRep : 0, -1);
    }
  }

  private void add(int r, int c, int s, boolean vis) {
    if (n == rep.length) {
      int cap = n + (n >> 1) + 16;
      rep = Arrays.copyOf(rep, cap);
      cause = Arrays.copyOf(cause, cap);
      slot = Arrays.copyOf(slot, cap);
      visible = Arrays.copyOf(visible, cap);
    }
    rep[n] = r;
    cause[n] = c;
    visible[n] = vis;
    if (vis) {
      slot[items++] = s;
    }
    n++;
  }

  private RepDefLevels finish() {
    int k = layers.size();
    int maxDef = 0;
    for (int i = 0; i < k; i++) {
      maxDef += (hasNull[i] ? 1 : 0) + (hasEmpty[i] ? 1 : 0);
    }
    // Outermost layer takes the highest def numbers; for a list that is both nullable and
    // emptyable, null = level - 1 and empty = level (Lance's checkout_def order).
    int[] nullLevel = new int[k];
    int[] emptyLevel = new int[k];
    int current = maxDef;
    List<RepDefLayer> meaning = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      StructuralLayer layer = layers.get(i);
      if (layer instanceof StructuralLayer.Validity) {
        if (hasNull[i]) {
          nullLevel[i] = current--;
          meaning.add(RepDefLayer.REPDEF_NULLABLE_ITEM);
        } else {
          meaning.add(RepDefLayer.REPDEF_ALL_VALID_ITEM);
        }
      } else if (hasNull[i] && hasEmpty[i]) {
        emptyLevel[i] = current;
        nullLevel[i] = current - 1;
        current -= 2;
        meaning.add(RepDefLayer.REPDEF_NULL_AND_EMPTY_LIST);
      } else if (hasNull[i]) {
        nullLevel[i] = current--;
        meaning.add(RepDefLayer.REPDEF_NULLABLE_LIST);
      } else if (hasEmpty[i]) {
        emptyLevel[i] = current--;
        meaning.add(RepDefLayer.REPDEF_EMPTYABLE_LIST);
      } else {
        meaning.add(RepDefLayer.REPDEF_ALL_VALID_LIST);
      }
    }
    if (maxDef > 0xFFFF) {
      throw new IllegalArgumentException("too many nested layers for u16 def levels");
    }
    java.util.Collections.reverse(meaning);
    short[] defs = null;
    if (maxDef > 0) {
      defs = new short[n];
      for (int i = 0; i < n; i++) {
        int c = cause[i];
        defs[i] = (short) (c < 0 ? 0 : (c & 1) == 0 ? nullLevel[c >> 1] : emptyLevel[c >> 1]);
      }
    }
    int maxRep = listRep[0];
    short[] reps = null;
    boolean[] vis = null;
    if (maxRep > 0) {
      reps = new short[n];
      for (int i = 0; i < n; i++) {
        reps[i] = (short) rep[i];
      }
      vis = Arrays.copyOf(visible, n);
    }
    int[] slots = Arrays.copyOf(slot, items);
    return new RepDefLevels(n, reps, defs, vis, isIdentity(slots) ? null : slots, items, List.copyOf(meaning), maxRep);
  }

  private static boolean isIdentity(int[] slots) {
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != i) {
        return false;
      }
    }
    return true;
  }
}
