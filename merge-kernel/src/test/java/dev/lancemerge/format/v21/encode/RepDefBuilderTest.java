package dev.lancemerge.format.v21.encode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.proto.v21.RepDefLayer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rep/def numbering checked against the expectations in Lance's own repdef.rs tests. */
class RepDefBuilderTest {

  private static byte[] bits(boolean... valid) {
    byte[] b = new byte[(valid.length + 7) / 8];
    for (int i = 0; i < valid.length; i++) {
      if (valid[i]) {
        b[i >>> 3] |= (byte) (1 << (i & 7));
      }
    }
    return b;
  }

  private static int[] ints(short[] s) {
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = Short.toUnsignedInt(s[i]);
    }
    return out;
  }

  @Test
  void nestedNullableListsMatchLance() {
    // Lance test_repdef_basic: [[I], [I, I]], NULL, [[NULL, NULL], NULL, [NULL, I, I, NULL]]
    List<StructuralLayer> layers = List.of(
        new StructuralLayer.Offsets(new long[] {0, 2, 2, 5}, bits(true, false, true)),
        new StructuralLayer.Offsets(new long[] {0, 1, 3, 5, 5, 9}, bits(true, true, true, false, true)),
        new StructuralLayer.Validity(bits(true, true, true, false, false, false, true, true, false)));
    RepDefLevels l = RepDefBuilder.build(layers, 3);
    assertThat(ints(l.def())).containsExactly(0, 0, 0, 3, 1, 1, 2, 1, 0, 0, 1);
    assertThat(ints(l.rep())).containsExactly(2, 1, 0, 2, 2, 0, 1, 1, 0, 0, 0);
    assertThat(l.layers()).containsExactly(
        RepDefLayer.REPDEF_NULLABLE_ITEM, RepDefLayer.REPDEF_NULLABLE_LIST, RepDefLayer.REPDEF_NULLABLE_LIST);
    assertThat(l.numItems()).isEqualTo(9);
    assertThat(l.maxRep()).isEqualTo(2);
  }

  @Test
  void nullAndEmptyListsSerializeAlike() {
    // Lance test_repdef_simple_null_empty_list
    for (boolean asNull : new boolean[] {true, false}) {
      List<StructuralLayer> layers = List.of(
          new StructuralLayer.Offsets(new long[] {0, 2, 2, 5}, asNull ? bits(true, false, true) : null),
          new StructuralLayer.Validity(bits(true, true, true, false, true)));
      RepDefLevels l = RepDefBuilder.build(layers, 3);
      assertThat(ints(l.rep())).containsExactly(1, 0, 1, 1, 0, 0);
      assertThat(ints(l.def())).containsExactly(0, 0, 2, 0, 1, 0);
      assertThat(l.layers()).containsExactly(RepDefLayer.REPDEF_NULLABLE_ITEM,
          asNull ? RepDefLayer.REPDEF_NULLABLE_LIST : RepDefLayer.REPDEF_EMPTYABLE_LIST);
    }
  }

  @Test
  void garbageUnderNullListsIsDropped() {
    // Lance test_repdef_abnormal_nulls: the null list [2, 5) holds garbage items
    List<StructuralLayer> layers = List.of(
        new StructuralLayer.Offsets(new long[] {0, 2, 5, 8}, bits(true, false, true)),
        new StructuralLayer.Validity(null));
    RepDefLevels l = RepDefBuilder.build(layers, 3);
    assertThat(ints(l.rep())).containsExactly(1, 0, 1, 1, 0, 0);
    assertThat(ints(l.def())).containsExactly(0, 0, 1, 0, 0, 0);
    assertThat(l.layers()).containsExactly(RepDefLayer.REPDEF_ALL_VALID_ITEM, RepDefLayer.REPDEF_NULLABLE_LIST);
    assertThat(l.numItems()).isEqualTo(5);
    assertThat(new int[] {l.slot(0), l.slot(1), l.slot(2), l.slot(3), l.slot(4)}).containsExactly(0, 1, 5, 6, 7);
  }

  @Test
  void emptyListAtEnd() {
    // Lance test_repdef_empty_list_at_end
    List<StructuralLayer> layers = List.of(
        new StructuralLayer.Offsets(new long[] {0, 2, 5, 5}, null),
        new StructuralLayer.Validity(bits(true, true, true, false, true)));
    RepDefLevels l = RepDefBuilder.build(layers, 3);
    assertThat(ints(l.rep())).containsExactly(1, 0, 1, 0, 0, 1);
    assertThat(ints(l.def())).containsExactly(0, 0, 0, 1, 0, 2);
  }

  @Test
  void nullStructAboveListHidesTheList() {
    // struct (nullable) { list<int> }: a null struct row is one special entry at the struct's level
    List<StructuralLayer> layers = List.of(
        new StructuralLayer.Validity(bits(true, false, true)),
        new StructuralLayer.Offsets(new long[] {0, 1, 3, 4}, null),
        new StructuralLayer.Validity(null));
    RepDefLevels l = RepDefBuilder.build(layers, 3);
    assertThat(ints(l.rep())).containsExactly(1, 1, 1);
    assertThat(ints(l.def())).containsExactly(0, 1, 0);
    assertThat(l.layers()).containsExactly(RepDefLayer.REPDEF_ALL_VALID_ITEM, RepDefLayer.REPDEF_ALL_VALID_LIST,
        RepDefLayer.REPDEF_NULLABLE_ITEM);
    assertThat(l.numItems()).isEqualTo(2);
    assertThat(new int[] {l.slot(0), l.slot(1)}).containsExactly(0, 3);
  }

  @Test
  void flatLeafHasDefOnlyWithNulls() {
    RepDefLevels none = RepDefBuilder.build(List.of(new StructuralLayer.Validity(null)), 4);
    assertThat(none.hasDef()).isFalse();
    assertThat(none.hasRep()).isFalse();
    assertThat(none.layers()).containsExactly(RepDefLayer.REPDEF_ALL_VALID_ITEM);
    RepDefLevels some = RepDefBuilder.build(List.of(new StructuralLayer.Validity(bits(true, false, true, true))), 4);
    assertThat(ints(some.def())).containsExactly(0, 1, 0, 0);
    assertThat(some.layers()).containsExactly(RepDefLayer.REPDEF_NULLABLE_ITEM);
  }
}
