package dev.lancemerge.format.v21.encode;

import static dev.lancemerge.format.v21.encode.OracleRoundTrip.assertLanceReadsBack;
import static dev.lancemerge.format.v21.encode.OracleRoundTrip.layoutCounts;
import static dev.lancemerge.format.v21.encode.OracleRoundTrip.layouts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.proto.v21.CompressiveEncoding;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.format.proto.v21.PageLayout.LayoutCase;
import dev.lancemerge.format.proto.v21.RepDefLayer;
import dev.lancemerge.format.v21.encode.OracleRoundTrip.Written;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by our 2.1 writer, read back by real Lance (lance-core 7.0.0): every value, the
 * schema and its metadata must come back exactly. Small pages force many pages per column, so
 * chunk edges, page edges and all-null pages are all exercised; the layouts we emitted are checked
 * too, so each test proves which Lance code path accepted our bytes.
 */
class StructuralWriterOracleTest {
  private static final int ROWS = 5000;
  private static final int BATCH = 613;
  private static final long PAGE_BYTES = 2048;

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

  static Field f(String name, ArrowType type, Field... children) {
    boolean nullable = !name.endsWith("_nn");
    return new Field(name, new FieldType(nullable, type, null), Arrays.asList(children));
  }

  static Field item(ArrowType type, Field... children) {
    return new Field("item", FieldType.nullable(type), Arrays.asList(children));
  }

  static ArrowType fsl(int d) {
    return new ArrowType.FixedSizeList(d);
  }

  static final ArrowType I32 = new ArrowType.Int(32, true);
  static final ArrowType I64 = new ArrowType.Int(64, true);
  static final ArrowType U8 = new ArrowType.Int(8, false);
  static final ArrowType U64 = new ArrowType.Int(64, false);
  static final ArrowType F16 = new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
  static final ArrowType F32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
  static final ArrowType F64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
  static final ArrowType LIST = ArrowType.List.INSTANCE;

  private Written roundTrip(String name, Schema schema, long seed) throws Exception {
    Written w = OracleRoundTrip.write(tmp.resolve(name + ".lance"), schema, allocator, seed, ROWS, BATCH, PAGE_BYTES);
    assertLanceReadsBack(w, allocator);
    OracleRoundTrip.assertLanceReadsRanges(w, allocator, seed);
    return w;
  }

  private static int column(Written w, String name) {
    List<Field> fields = w.schema().getFields();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }

  @Test
  void fixedWidthPrimitivesWithAndWithoutNulls() throws Exception {
    List<Field> fields = new ArrayList<>();
    Object[][] types = {
        {"i8", new ArrowType.Int(8, true)}, {"u8", U8}, {"i16", new ArrowType.Int(16, true)},
        {"u16", new ArrowType.Int(16, false)}, {"i32", I32}, {"u32", new ArrowType.Int(32, false)},
        {"i64", I64}, {"u64", U64}, {"f16", F16}, {"f32", F32}, {"f64", F64},
        {"date32", new ArrowType.Date(DateUnit.DAY)}, {"date64", new ArrowType.Date(DateUnit.MILLISECOND)},
        {"time32s", new ArrowType.Time(TimeUnit.SECOND, 32)}, {"time32ms", new ArrowType.Time(TimeUnit.MILLISECOND, 32)},
        {"time64us", new ArrowType.Time(TimeUnit.MICROSECOND, 64)}, {"time64ns", new ArrowType.Time(TimeUnit.NANOSECOND, 64)},
        {"ts_us_utc", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")},
        {"ts_ns", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null)},
        {"dur_ms", new ArrowType.Duration(TimeUnit.MILLISECOND)},
        {"bool", ArrowType.Bool.INSTANCE}, {"dec", new ArrowType.Decimal(38, 10, 128)},
        {"fsb20", new ArrowType.FixedSizeBinary(20)},
    };
    for (Object[] t : types) {
      fields.add(f((String) t[0], (ArrowType) t[1]));
      fields.add(f(t[0] + "_nn", (ArrowType) t[1]));
    }
    fields.add(f("allnull_i32", I32));
    fields.add(f("mostlynull_i64", I64));
    fields.add(f("mostlynull_bool", ArrowType.Bool.INSTANCE));
    Written w = roundTrip("primitives", new Schema(fields), 1);

    for (String name : List.of("i32_nn", "u64_nn", "bool_nn", "f16_nn")) {
      for (PageLayout p : layouts(w.file(), column(w, name))) {
        assertThat(p.getLayoutCase()).isEqualTo(LayoutCase.MINI_BLOCK_LAYOUT);
        assertThat(p.getMiniBlockLayout().getLayersList()).containsExactly(RepDefLayer.REPDEF_ALL_VALID_ITEM);
        assertThat(p.getMiniBlockLayout().hasDefCompression()).isFalse();
      }
    }
    List<PageLayout> i32 = layouts(w.file(), column(w, "i32"));
    assertThat(i32).hasSizeGreaterThan(3);
    assertThat(i32.get(0).getMiniBlockLayout().getLayersList()).containsExactly(RepDefLayer.REPDEF_NULLABLE_ITEM);
    assertThat(i32.get(0).getMiniBlockLayout().getValueCompression().getFlat().getBitsPerValue()).isEqualTo(32);
    assertThat(layouts(w.file(), column(w, "bool")).get(0).getMiniBlockLayout().getValueCompression().getFlat()
        .getBitsPerValue()).isEqualTo(1);
    assertThat(layoutCounts(w.file(), column(w, "allnull_i32"))).containsOnlyKeys(LayoutCase.CONSTANT_LAYOUT);
    assertThat(layouts(w.file(), column(w, "allnull_i32")).get(0).getConstantLayout().getLayersList())
        .containsExactly(RepDefLayer.REPDEF_NULLABLE_ITEM);
    assertThat(layoutCounts(w.file(), column(w, "mostlynull_i64")))
        .containsKeys(LayoutCase.CONSTANT_LAYOUT, LayoutCase.MINI_BLOCK_LAYOUT);
  }

  @Test
  void wideFixedSizeBinaryGoesFullZip() throws Exception {
    Schema schema = new Schema(List.of(
        f("fsb300", new ArrowType.FixedSizeBinary(300)), f("fsb300_nn", new ArrowType.FixedSizeBinary(300)),
        f("fsb255", new ArrowType.FixedSizeBinary(255))));
    Written w = roundTrip("widefixed", schema, 2);
    assertThat(layoutCounts(w.file(), 0)).containsOnlyKeys(LayoutCase.FULL_ZIP_LAYOUT);
    assertThat(layouts(w.file(), 0).get(0).getFullZipLayout().getBitsDef()).isEqualTo(1);
    assertThat(layouts(w.file(), 1).get(0).getFullZipLayout().getBitsPerValue()).isEqualTo(2400);
    assertThat(layoutCounts(w.file(), 2)).containsOnlyKeys(LayoutCase.MINI_BLOCK_LAYOUT);
  }

  @Test
  void variableWidthNarrowAndWide() throws Exception {
    Schema schema = new Schema(List.of(
        f("s", ArrowType.Utf8.INSTANCE), f("s_nn", ArrowType.Utf8.INSTANCE),
        f("ls", ArrowType.LargeUtf8.INSTANCE), f("b", ArrowType.Binary.INSTANCE),
        f("lb_nn", ArrowType.LargeBinary.INSTANCE),
        f("wide_s", ArrowType.Utf8.INSTANCE), f("wide_s_nn", ArrowType.Utf8.INSTANCE),
        f("wide_lb", ArrowType.LargeBinary.INSTANCE),
        f("mostlynull_s", ArrowType.Utf8.INSTANCE), f("allnull_b", ArrowType.Binary.INSTANCE)));
    Written w = roundTrip("variable", schema, 3);
    PageLayout s = layouts(w.file(), column(w, "s")).get(0);
    assertThat(s.getLayoutCase()).isEqualTo(LayoutCase.MINI_BLOCK_LAYOUT);
    assertThat(s.getMiniBlockLayout().getValueCompression().getVariable().getOffsets().getFlat().getBitsPerValue())
        .isEqualTo(32);
    assertThat(layouts(w.file(), column(w, "ls")).get(0).getMiniBlockLayout().getValueCompression().getVariable()
        .getOffsets().getFlat().getBitsPerValue()).isEqualTo(64);
    assertThat(layoutCounts(w.file(), column(w, "wide_s"))).containsKey(LayoutCase.FULL_ZIP_LAYOUT);
    assertThat(layoutCounts(w.file(), column(w, "wide_lb"))).containsKey(LayoutCase.FULL_ZIP_LAYOUT);
    assertThat(layouts(w.file(), column(w, "wide_lb")).get(0).getFullZipLayout().getBitsPerOffset()).isEqualTo(64);
    assertThat(layoutCounts(w.file(), column(w, "allnull_b"))).containsOnlyKeys(LayoutCase.CONSTANT_LAYOUT);
  }

  @Test
  void fixedSizeLists() throws Exception {
    Schema schema = new Schema(List.of(
        f("pq_nn", fsl(16), item(U8)),
        f("v8", fsl(8), item(F32)),
        f("v128_nn", fsl(128), item(F32)),
        f("v128", fsl(128), item(F32)),
        f("h4", fsl(4), item(F16)),
        f("cnull_i3", fsl(3), item(I32)),
        f("cnull_d40", fsl(40), item(F64)),
        f("bools", fsl(5), item(ArrowType.Bool.INSTANCE)),
        f("mostlynull_v16", fsl(16), item(F32))));
    Written w = roundTrip("fsl", schema, 4);
    CompressiveEncoding pq = layouts(w.file(), 0).get(0).getMiniBlockLayout().getValueCompression();
    assertThat(pq.getFixedSizeList().getItemsPerValue()).isEqualTo(16);
    assertThat(pq.getFixedSizeList().getHasValidity()).isFalse();
    assertThat(pq.getFixedSizeList().getValues().getFlat().getBitsPerValue()).isEqualTo(8);
    PageLayout v128 = layouts(w.file(), 2).get(0);
    assertThat(v128.getLayoutCase()).isEqualTo(LayoutCase.FULL_ZIP_LAYOUT);
    assertThat(v128.getFullZipLayout().getBitsPerValue()).isEqualTo(128 * 32);
    assertThat(v128.getFullZipLayout().getBitsDef()).isZero();
    assertThat(layouts(w.file(), 3).get(0).getFullZipLayout().getBitsDef()).isEqualTo(1);
    assertThat(layouts(w.file(), 5).get(0).getMiniBlockLayout().getValueCompression().getFixedSizeList().getHasValidity())
        .isTrue();
    PageLayout d40 = layouts(w.file(), 6).get(0);
    assertThat(d40.getLayoutCase()).isEqualTo(LayoutCase.FULL_ZIP_LAYOUT);
    assertThat(d40.getFullZipLayout().getValueCompression().getFixedSizeList().getHasValidity()).isTrue();
    assertThat(layoutCounts(w.file(), 8)).containsKeys(LayoutCase.CONSTANT_LAYOUT, LayoutCase.MINI_BLOCK_LAYOUT);
  }

  @Test
  void lists() throws Exception {
    Schema schema = new Schema(List.of(
        f("l_i32", LIST, item(I32)),
        f("l_s", LIST, item(ArrowType.Utf8.INSTANCE)),
        f("ll_inn_nn", ArrowType.LargeList.INSTANCE, item(I64)),
        f("long_f64", LIST, item(F64)),
        f("garbage_i32", LIST, item(I32)),
        f("empty_i16", LIST, item(new ArrowType.Int(16, true))),
        f("l_itemwide", LIST, item(ArrowType.Utf8.INSTANCE)),
        f("l_fsl", LIST, item(fsl(4), item(F32))),
        f("allnull_l", LIST, item(I32)),
        f("full_inn_nn", LIST, item(I32)),
        f("l_bool", LIST, item(ArrowType.Bool.INSTANCE)),
        f("ll_ls", ArrowType.LargeList.INSTANCE, item(ArrowType.LargeUtf8.INSTANCE))));
    Written w = roundTrip("lists", schema, 5);
    PageLayout full = layouts(w.file(), 9).get(0);
    assertThat(full.getMiniBlockLayout().getLayersList())
        .containsExactly(RepDefLayer.REPDEF_ALL_VALID_ITEM, RepDefLayer.REPDEF_ALL_VALID_LIST);
    assertThat(full.getMiniBlockLayout().hasDefCompression()).isFalse();
    assertThat(full.getMiniBlockLayout().hasRepCompression()).isTrue();
    PageLayout l = layouts(w.file(), 0).get(0);
    assertThat(l.getMiniBlockLayout().getRepetitionIndexDepth()).isEqualTo(1);
    assertThat(l.getMiniBlockLayout().getLayersList())
        .containsExactly(RepDefLayer.REPDEF_NULLABLE_ITEM, RepDefLayer.REPDEF_NULL_AND_EMPTY_LIST);
    assertThat(layouts(w.file(), 2).get(0).getMiniBlockLayout().getLayersList())
        .containsExactly(RepDefLayer.REPDEF_ALL_VALID_ITEM, RepDefLayer.REPDEF_EMPTYABLE_LIST);
    assertThat(layoutCounts(w.file(), 6)).containsKey(LayoutCase.FULL_ZIP_LAYOUT);
    assertThat(layoutCounts(w.file(), 8)).containsOnlyKeys(LayoutCase.CONSTANT_LAYOUT);
  }

  @Test
  void structs() throws Exception {
    Field st = f("st", ArrowType.Struct.INSTANCE,
        f("a", I32), f("b", ArrowType.Utf8.INSTANCE), f("c", fsl(4), item(F32)), f("d", LIST, item(I64)));
    Field lst = f("l_st", LIST, item(ArrowType.Struct.INSTANCE, f("x", I64), f("y", ArrowType.Utf8.INSTANCE)));
    Field nested = f("st2", ArrowType.Struct.INSTANCE, f("inner", ArrowType.Struct.INSTANCE, f("z", I32)), f("w_nn", I64));
    Schema schema = new Schema(List.of(st, lst, f("i_nn", I32), nested));
    Written w = roundTrip("structs", schema, 6);
    // st has 4 leaf columns, l_st 2, then i_nn, then st2's z and w_nn: 9 columns
    assertThat(layouts(w.file(), 8)).isNotEmpty();
    assertThat(layouts(w.file(), 7).get(0).getMiniBlockLayout().getLayersList()).containsExactly(
        RepDefLayer.REPDEF_NULLABLE_ITEM, RepDefLayer.REPDEF_NULLABLE_ITEM, RepDefLayer.REPDEF_NULLABLE_ITEM);
    assertThat(layouts(w.file(), 0).get(0).getMiniBlockLayout().getLayersList())
        .containsExactly(RepDefLayer.REPDEF_NULLABLE_ITEM, RepDefLayer.REPDEF_NULLABLE_ITEM);
  }

  @Test
  void nullTypedColumn() throws Exception {
    Schema schema = new Schema(List.of(f("n", ArrowType.Null.INSTANCE), f("i_nn", I32)));
    Written w = roundTrip("nulltype", schema, 7);
    assertThat(layoutCounts(w.file(), 0)).containsOnlyKeys(LayoutCase.CONSTANT_LAYOUT);
  }

  @Test
  void indexShapedFileWithMetadataAndGlobalBuffer() throws Exception {
    Map<String, String> md = Map.of("lance:ivf", "1", "rows_per_zone", "1536", "distance_type", "l2");
    Schema schema = new Schema(List.of(
        f("_rowid", U64), f("__pq_code", fsl(16), item(U8)), f("flat", fsl(128), item(F32))), md);
    Path file = tmp.resolve("aux.lance");
    byte[] global = new byte[1000];
    new java.util.Random(8).nextBytes(global);
    List<List<Object>> expected = new ArrayList<>();
    int gb;
    try (dev.lancemerge.format.LanceFileWriter w =
        dev.lancemerge.format.LanceFileWriter.create(file, schema, dev.lancemerge.format.FileVersion.V2_1, 64 * 1024)) {
      gb = -1;
      for (int at = 0; at < ROWS; at += 1000) {
        try (org.apache.arrow.vector.VectorSchemaRoot b = ArrowData.batch(schema, allocator, 8, at, 1000)) {
          expected.addAll(ArrowData.rows(List.of(b)));
          w.write(b);
        }
        if (at == 2000) {
          gb = w.addGlobalBuffer(global);
        }
      }
    }
    assertLanceReadsBack(new Written(file, schema, expected), allocator);
    assertThat(gb).isEqualTo(1);
    var footer = dev.lancemerge.oracle.RealLanceFiles.readFooter(file);
    assertThat(footer.major()).isEqualTo(2);
    assertThat(footer.minor()).isEqualTo(1);
    assertThat(footer.numGlobalBuffers()).isEqualTo(2);
    try (var ch = java.nio.channels.FileChannel.open(file)) {
      java.nio.ByteBuffer gbo = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      ch.read(gbo, footer.globalBufferOffsetsStart());
      long pos = gbo.getLong(16);
      long size = gbo.getLong(24);
      assertThat(pos % 64).isZero();
      assertThat(gbo.getLong(0) % 64).isZero();
      assertThat(size).isEqualTo(global.length);
      java.nio.ByteBuffer got = java.nio.ByteBuffer.allocate(global.length);
      ch.read(got, pos);
      assertThat(got.array()).isEqualTo(global);
    }
    PageLayout rowid = layouts(file, 0).get(0);
    assertThat(rowid.getMiniBlockLayout().getValueCompression().getFlat().getBitsPerValue()).isEqualTo(64);
    assertThat(rowid.getMiniBlockLayout().getLayersList()).containsExactly(RepDefLayer.REPDEF_ALL_VALID_ITEM);
    assertThat(layouts(file, 1).get(0).getMiniBlockLayout().getValueCompression().getFixedSizeList()
        .getItemsPerValue()).isEqualTo(16);
    PageLayout flat = layouts(file, 2).get(0);
    assertThat(flat.getLayoutCase()).isEqualTo(LayoutCase.FULL_ZIP_LAYOUT);
    assertThat(flat.getFullZipLayout().getBitsPerValue()).isEqualTo(4096);
    assertThat(flat.getFullZipLayout().getNumItems()).isEqualTo(flat.getFullZipLayout().getNumVisibleItems());
  }
}
