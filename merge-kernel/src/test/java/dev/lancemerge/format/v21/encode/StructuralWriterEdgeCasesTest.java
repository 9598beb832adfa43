package dev.lancemerge.format.v21.encode;

import static dev.lancemerge.format.v21.encode.OracleRoundTrip.assertLanceReadsBack;
import static dev.lancemerge.format.v21.encode.OracleRoundTrip.assertLanceReadsRanges;
import static dev.lancemerge.format.v21.encode.OracleRoundTrip.layoutCounts;
import static dev.lancemerge.format.v21.encode.OracleRoundTrip.layouts;
import static dev.lancemerge.format.v21.encode.StructuralWriterOracleTest.F32;
import static dev.lancemerge.format.v21.encode.StructuralWriterOracleTest.I32;
import static dev.lancemerge.format.v21.encode.StructuralWriterOracleTest.I64;
import static dev.lancemerge.format.v21.encode.StructuralWriterOracleTest.LIST;
import static dev.lancemerge.format.v21.encode.StructuralWriterOracleTest.f;
import static dev.lancemerge.format.v21.encode.StructuralWriterOracleTest.fsl;
import static dev.lancemerge.format.v21.encode.StructuralWriterOracleTest.item;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.format.proto.v21.PageLayout.LayoutCase;
import dev.lancemerge.format.proto.v21.RepDefLayer;
import dev.lancemerge.format.v21.encode.OracleRoundTrip.Written;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pages without values, levels too dense for mini-block chunks, and 2.2 files, read back by real Lance. */
class StructuralWriterEdgeCasesTest {
  @TempDir Path tmp;
  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  /** Fills an int list column: {@code rows.apply(i)} is null for a null list, else the items (null items allowed). */
  private static void intLists(ListVector v, int n, IntFunction<Integer[]> rows) {
    UnionListWriter w = v.getWriter();
    for (int i = 0; i < n; i++) {
      Integer[] items = rows.apply(i);
      if (items == null) {
        continue; // left unwritten: a null list
      }
      w.setPosition(i);
      w.startList();
      for (Integer x : items) {
        if (x == null) {
          w.writeNull();
        } else {
          w.writeInt(x);
        }
      }
      w.endList();
    }
    w.setValueCount(n);
    v.setValueCount(n);
  }

  private static void strLists(ListVector v, int n, IntFunction<String[]> rows) {
    UnionListWriter w = v.getWriter();
    for (int i = 0; i < n; i++) {
      String[] items = rows.apply(i);
      if (items == null) {
        continue;
      }
      w.setPosition(i);
      w.startList();
      for (String s : items) {
        if (s == null) {
          w.writeNull();
        } else {
          byte[] b = s.getBytes(StandardCharsets.UTF_8);
          try (org.apache.arrow.memory.ArrowBuf buf = v.getAllocator().buffer(Math.max(1, b.length))) {
            buf.setBytes(0, b);
            w.writeVarChar(0, b.length, buf);
          }
        }
      }
      w.endList();
    }
    w.setValueCount(n);
    v.setValueCount(n);
  }

  private Written roundTrip(String name, Schema schema, FileVersion version, long pageBytes, VectorSchemaRoot... batches)
      throws Exception {
    try {
      Written w = OracleRoundTrip.write(tmp.resolve(name + ".lance"), schema, version, pageBytes, List.of(batches));
      assertLanceReadsBack(w, allocator);
      assertLanceReadsRanges(w, allocator, 11);
      return w;
    } finally {
      for (VectorSchemaRoot b : batches) {
        b.close();
      }
    }
  }

  @Test
  void pagesWithoutValuesUseComplexAllNull() throws Exception {
    int n = 3000;
    Schema schema = new Schema(List.of(
        f("only_empty", LIST, item(I32)),
        f("null_and_empty", LIST, item(I32)),
        f("null_items", LIST, item(I32)),
        f("st", ArrowType.Struct.INSTANCE, f("a", I32)),
        f("i", I32)));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    intLists((ListVector) root.getVector(0), n, i -> new Integer[0]);
    intLists((ListVector) root.getVector(1), n, i -> i % 3 == 0 ? null : new Integer[0]);
    intLists((ListVector) root.getVector(2), n, i -> i % 5 == 0 ? new Integer[0] : new Integer[] {null, null});
    StructVector st = (StructVector) root.getVector(3);
    st.allocateNew();
    IntVector a = (IntVector) st.getChild("a");
    a.allocateNew(n);
    for (int i = 0; i < n; i++) {
      a.setNull(i);
      if (i % 4 == 0) {
        st.setNull(i);
      } else {
        st.setIndexDefined(i);
      }
    }
    st.setValueCount(n);
    IntVector iv = (IntVector) root.getVector(4);
    iv.allocateNew(n);
    for (int i = 0; i < n; i++) {
      iv.set(i, i);
    }
    iv.setValueCount(n);
    root.setRowCount(n);
    Written w = roundTrip("allnull", schema, FileVersion.V2_1, 1 << 20, root);
    for (int c = 0; c < 4; c++) {
      assertThat(layoutCounts(w.file(), c)).as("column %d", c).containsOnlyKeys(LayoutCase.CONSTANT_LAYOUT);
    }
    assertThat(layouts(w.file(), 1).get(0).getConstantLayout().getLayersList())
        .containsExactly(RepDefLayer.REPDEF_ALL_VALID_ITEM, RepDefLayer.REPDEF_NULL_AND_EMPTY_LIST);
    assertThat(layouts(w.file(), 3).get(0).getConstantLayout().getLayersList())
        .containsExactly(RepDefLayer.REPDEF_NULLABLE_ITEM, RepDefLayer.REPDEF_NULLABLE_ITEM);
  }

  @Test
  void denseEmptyListsHalveChunksOrFallBackToFullZip() throws Exception {
    int n = 200_000;
    Schema schema = new Schema(List.of(
        f("every3000", LIST, item(I32)),
        f("every50000", LIST, item(I32)),
        f("s_every50000", LIST, item(ArrowType.Utf8.INSTANCE)),
        f("every700_nn", LIST, item(I32))));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    intLists((ListVector) root.getVector(0), n, i -> i % 3000 == 7 ? new Integer[] {i, null, -i} : i % 11 == 0 ? null : new Integer[0]);
    intLists((ListVector) root.getVector(1), n, i -> i % 50_000 == 1 ? new Integer[] {i, i + 1} : new Integer[0]);
    strLists((ListVector) root.getVector(2), n, i -> i % 50_000 == 2 ? new String[] {"x" + i, null, ""} : i % 7 == 0 ? null : new String[0]);
    intLists((ListVector) root.getVector(3), n, i -> i % 700 == 0 ? new Integer[] {1, 2, 3, 4, 5, 6, 7, 8} : new Integer[0]);
    root.setRowCount(n);
    Written w = roundTrip("dense", schema, FileVersion.V2_1, 64L << 20, root);
    PageLayout every3000 = layouts(w.file(), 0).get(0);
    assertThat(every3000.getLayoutCase()).isEqualTo(LayoutCase.MINI_BLOCK_LAYOUT);
    assertThat(layouts(w.file(), 1).get(0).getLayoutCase()).isEqualTo(LayoutCase.FULL_ZIP_LAYOUT);
    assertThat(layouts(w.file(), 2).get(0).getLayoutCase()).isEqualTo(LayoutCase.FULL_ZIP_LAYOUT);
    assertThat(layouts(w.file(), 3).get(0).getLayoutCase()).isEqualTo(LayoutCase.MINI_BLOCK_LAYOUT);
  }

  @Test
  void version22FilesReadBack() throws Exception {
    Schema schema = new Schema(List.of(
        f("i32", I32), f("i64_nn", I64), f("s", ArrowType.Utf8.INSTANCE), f("wide_s", ArrowType.Utf8.INSTANCE),
        f("v8", fsl(8), item(F32)), f("v128_nn", fsl(128), item(F32)), f("l_i32", LIST, item(I32)),
        f("allnull_i32", I32)));
    Written w = OracleRoundTrip.write(tmp.resolve("v22.lance"), schema, FileVersion.V2_2, allocator, 12, 3000, 500, 4096);
    assertThat(dev.lancemerge.oracle.RealLanceFiles.readFooter(w.file()).minor()).isEqualTo(2);
    assertLanceReadsBack(w, allocator);
    assertLanceReadsRanges(w, allocator, 12);
  }

  @Test
  void singleRowAndTinyPages() throws Exception {
    Schema schema = new Schema(List.of(
        f("i32", I32), f("s", ArrowType.Utf8.INSTANCE), f("v128", fsl(128), item(F32)), f("l_i32", LIST, item(I32)),
        f("wide_s", ArrowType.Utf8.INSTANCE)));
    Written w = OracleRoundTrip.write(tmp.resolve("tiny.lance"), schema, FileVersion.V2_1, allocator, 13, 97, 1, 1);
    assertLanceReadsBack(w, allocator);
    assertThat(layouts(w.file(), 0)).hasSize(97);
  }

}
