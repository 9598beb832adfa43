package dev.lancemerge.format.v20.encode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.TestTables;
import dev.lancemerge.oracle.RealLanceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Null and empty edge cases, one page per phase: phase 0 has no null (and only empty strings /
 * empty lists where that applies), phase 1 is entirely null, phase 2 mixes values, nulls, empty
 * strings, empty lists and null items. Real Lance must read our file back, and for each phase our
 * pages must be the bytes Lance's own 2.0 writer produces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeCasesOracleTest {
  private static final int[] PHASE_ROWS = {257, 300, 1111};
  private final BufferAllocator alloc = new RootAllocator();

  @TempDir Path dir;

  @AfterAll
  void close() {
    alloc.close();
  }

  private static Field field(String name, ArrowType type, Field... children) {
    return new Field(name, FieldType.nullable(type), List.of(children));
  }

  static Schema schema() {
    ArrowType i32 = new ArrowType.Int(32, true);
    ArrowType f32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    return new Schema(List.of(
        field("u64", new ArrowType.Int(64, false)),
        field("i16", new ArrowType.Int(16, true)),
        field("f16", new ArrowType.FloatingPoint(FloatingPointPrecision.HALF)),
        field("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
        field("d64", new ArrowType.Date(DateUnit.MILLISECOND)),
        field("tsn", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null)),
        field("flag", ArrowType.Bool.INSTANCE),
        field("s", ArrowType.Utf8.INSTANCE),
        field("ls", ArrowType.LargeUtf8.INSTANCE),
        field("lb", ArrowType.LargeBinary.INSTANCE),
        field("l", ArrowType.List.INSTANCE, field("item", i32)),
        field("lstr", ArrowType.List.INSTANCE, field("item", ArrowType.Utf8.INSTANCE)),
        field("ll", ArrowType.LargeList.INSTANCE, field("item", new ArrowType.Int(64, true))),
        field("fsl3", new ArrowType.FixedSizeList(3), field("item", f32)),
        field("fslb", new ArrowType.FixedSizeList(5), field("item", ArrowType.Bool.INSTANCE))),
        Map.of("rows_per_zone", "1536"));
  }

  /** The value of column {@code name} in row {@code i} of phase {@code phase}. */
  static Object cell(String name, int phase, int i, Random r) {
    if (phase == 1) {
      return null;
    }
    boolean mixed = phase == 2;
    if (mixed && r.nextInt(4) == 0) {
      return null;
    }
    switch (name) {
      case "u64": return i % 3 == 0 ? -1L : r.nextLong();
      case "i16": return (short) r.nextInt();
      case "f16": return (float) (r.nextInt(2000) - 1000) / 8;
      case "f64": return r.nextDouble();
      case "d64": return 1_600_000_000_000L + 86_400_000L * i;
      case "tsn": return r.nextLong();
      case "flag": return r.nextBoolean();
      case "s": return mixed && r.nextBoolean() ? "é-" + r.nextInt(1000) : "";
      case "ls": return mixed ? "x".repeat(r.nextInt(5)) : "";
      case "lb": {
        byte[] b = new byte[mixed ? r.nextInt(4) : 0];
        r.nextBytes(b);
        return b;
      }
      case "l": return mixed ? items(r, () -> r.nextInt(5) == 0 ? null : r.nextInt()) : List.of();
      case "lstr": return mixed ? items(r, () -> r.nextInt(5) == 0 ? null : r.nextInt(3) == 0 ? "" : "t" + r.nextInt(1000)) : List.of();
      case "ll": return mixed ? items(r, () -> r.nextInt(5) == 0 ? null : r.nextLong()) : List.of();
      case "fsl3": return Arrays.asList(r.nextFloat(), mixed && r.nextInt(3) == 0 ? null : r.nextFloat(), r.nextFloat());
      case "fslb": {
        List<Object> b = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
          b.add(mixed && r.nextInt(6) == 0 ? null : r.nextBoolean());
        }
        return b;
      }
      default: throw new IllegalArgumentException(name);
    }
  }

  private static List<Object> items(Random r, java.util.function.Supplier<Object> item) {
    List<Object> out = new ArrayList<>();
    int n = r.nextInt(4);
    for (int k = 0; k < n; k++) {
      out.add(item.get());
    }
    return out;
  }

  private VectorSchemaRoot phase(Schema schema, int phase) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
    root.allocateNew();
    int n = PHASE_ROWS[phase];
    Random r = new Random(100 + phase);
    for (FieldVector v : root.getFieldVectors()) {
      for (int i = 0; i < n; i++) {
        Cells.set(v, i, cell(v.getName(), phase, i, r));
      }
      Cells.finish(v, n);
    }
    root.setRowCount(n);
    return root;
  }

  @Test
  void realLanceReadsEveryPhaseBack() throws Exception {
    Schema schema = schema();
    List<VectorSchemaRoot> batches = new ArrayList<>();
    Lance20Oracle.Written w;
    try {
      for (int p = 0; p < PHASE_ROWS.length; p++) {
        batches.add(phase(schema, p));
      }
      // a 1-byte page size flushes every batch: one page per column per phase
      w = Lance20Oracle.write(dir.resolve("edges.lance"), schema, 1, batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
    Lance20Oracle.assertFooter20(w.file(), 18);
    try (LanceFileReader ours = LanceFileReader.open(w.file())) {
      for (int c = 0; c < ours.schema().columns().size(); c++) {
        assertThat(ours.pages(c)).as("pages of column %d", c).hasSize(PHASE_ROWS.length);
      }
    }
    Lance20Oracle.assertLanceReadsBack(w, alloc, 100);
    Lance20Oracle.assertLanceReadsBack(w, alloc, 5000);
    int p1 = PHASE_ROWS[0];
    int p2 = p1 + PHASE_ROWS[1];
    int end = p2 + PHASE_ROWS[2];
    Lance20Oracle.assertLanceReadsRanges(w, alloc, List.of(new int[] {p1 - 2, p1 + 2}, new int[] {p2 - 1, p2 + 3}));
    Lance20Oracle.assertLanceReadsRanges(w, alloc, List.of(new int[] {p1 - 1, p2 + 1}));
    Lance20Oracle.assertLanceReadsRanges(w, alloc, List.of(new int[] {3, 9}, new int[] {p2 + 50, p2 + 80}, new int[] {end - 1, end}));
  }

  @Test
  void eachPhaseIsByteForByteWhatLanceWrites() throws Exception {
    Schema schema = schema();
    for (int p = 0; p < PHASE_ROWS.length; p++) {
      Path ours = dir.resolve("ours-" + p + ".lance");
      Path lances = dir.resolve("lance-" + p + ".lance");
      try (VectorSchemaRoot b = phase(schema, p)) {
        Lance20Oracle.write(ours, schema, Long.MAX_VALUE, List.of(b));
        RealLanceFiles.write(lances, RealLanceFiles.FormatVersion.V2_0, alloc, Map.of(), List.of(b));
      }
      // Lance dictionary-encodes a Utf8 page of >= 100 rows with < 100 distinct non-null values
      // (all "" in phase 0, all null in phase 1); the same values as LargeUtf8 ("ls") and
      // LargeBinary ("lb") are not dictionary candidates, so those pages are compared instead.
      List<String> expectedDictionary = p < 2 ? List.of("s") : List.of();
      assertThat(Lance20Oracle.assertSamePagesAsLance(ours, lances)).as("dictionary columns in phase %d", p)
          .isEqualTo(expectedDictionary);
    }
  }

  /** The shapes themselves, per phase, as documented in the encoder classes. */
  @Test
  void shapesPerPhase() throws Exception {
    Schema schema = schema();
    List<VectorSchemaRoot> batches = new ArrayList<>();
    Path file = dir.resolve("shapes.lance");
    try {
      for (int p = 0; p < PHASE_ROWS.length; p++) {
        batches.add(phase(schema, p));
      }
      Lance20Oracle.write(file, schema, 1, batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
    Map<String, List<String>> sigs = new java.util.LinkedHashMap<>();
    Lance20Oracle.encodings(file).forEach((k, v) -> sigs.put(k, v.stream().map(Signature::of).toList()));
    String binary = "binary(no_nulls(flat64@0), flat8@1)";
    assertThat(sigs.get("u64")).containsExactly("no_nulls(flat64@0)", "all_nulls", "some_nulls(flat1@0, flat64@1)");
    assertThat(sigs.get("i16")).containsExactly("no_nulls(flat16@0)", "all_nulls", "some_nulls(flat1@0, flat16@1)");
    assertThat(sigs.get("f16")).containsExactly("no_nulls(flat16@0)", "all_nulls", "some_nulls(flat1@0, flat16@1)");
    assertThat(sigs.get("d64")).containsExactly("no_nulls(flat64@0)", "all_nulls", "some_nulls(flat1@0, flat64@1)");
    assertThat(sigs.get("flag")).containsExactly("no_nulls(flat1@0)", "all_nulls", "some_nulls(flat1@0, flat1@1)");
    assertThat(sigs.get("s")).containsExactly(binary, binary, binary);
    assertThat(sigs.get("lb")).containsExactly(binary, binary, binary);
    assertThat(sigs.get("l")).containsExactly("list(no_nulls(flat64@0))", "list(no_nulls(flat64@0))", "list(no_nulls(flat64@0))");
    // items of pages of only empty / null lists: an empty all_nulls page
    assertThat(sigs.get("l.item")).containsExactly("all_nulls", "all_nulls", "some_nulls(flat1@0, flat32@1)");
    assertThat(sigs.get("lstr.item")).containsExactly(binary, binary, binary);
    assertThat(sigs.get("fsl3")).containsExactly("no_nulls(fsl3(no_nulls(flat32@0)))", "all_nulls",
        "some_nulls(flat1@0, fsl3(some_nulls(flat1@1, flat32@2)))");
    assertThat(sigs.get("fslb")).containsExactly("no_nulls(fsl5(no_nulls(flat1@0)))", "all_nulls",
        "some_nulls(flat1@0, fsl5(some_nulls(flat1@1, flat1@2)))");
    try (LanceFileReader r = LanceFileReader.open(file)) {
      int l = r.schema().columnsOf(r.fieldIndex("l")).get(0).index();
      List<PageInfo> items = r.pages(l + 1);
      assertThat(items.get(0).rows()).isZero();
      assertThat(items.get(0).buffers()).isEmpty();
      var offsets = Lance20Oracle.parse(r.pages(l).get(1)).getList();
      // all-null lists: no items, adjustment 1, every stored offset 0 + 1
      assertThat(offsets.getNumItems()).isZero();
      assertThat(offsets.getNullOffsetAdjustment()).isEqualTo(1);
      var strings = Lance20Oracle.parse(r.pages(r.schema().columnsOf(r.fieldIndex("s")).get(0).index()).get(1)).getBinary();
      assertThat(strings.getNullAdjustment()).isEqualTo(1);
    }
  }
}
