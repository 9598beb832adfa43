package dev.lancemerge.kernel.zonemap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceFiles.FileContents;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lance.Dataset;
import org.lance.index.scalar.ZoneStats;
import org.lance.ipc.ScanStats;

/**
 * Issue 4, "Value types": the value types beyond the five of {@link ZoneMapMergeOracleTest} (unsigned and small
 * integers, float64 with NaN and infinities, dates, booleans, timestamps with zone and in ns, large strings,
 * binary), on 4 fragments (250, 3, 120, 1 rows) at 50 rows per zone with nulls. For every type real
 * lance-core 7.0.0 builds a ZoneMap for: per-fragment segments merged by us (shuffled) must give the full
 * build's {@code zonemap.lance} rows, schema and metadata, the same {@code getZonemapStats} (where Lance's Java
 * binding can convert the type) and, committed, the counts of a copy without index. Types Lance refuses are
 * reported as skipped tests with Lance's message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZoneMapMergeValueTypesTest {
  private static final long SEED = 60_006L;
  private static final long RPZ = 50;
  private static final int[] FRAGMENT_ROWS = {250, 3, 120, 1};
  private static final long TS_BASE_MICROS = RealLanceIndexes.TS_BASE_MICROS;

  /** One column: its Arrow type, its value of row {@code id} (null for nulls), and filters to count with. */
  private record Col(String name, ArrowType type, LongFunction<Object> value, List<String> filters) {}

  private static final List<Col> COLS = List.of(
      new Col("u8", new ArrowType.Int(8, false), id -> (int) ((id * 37) & 0xFF),
          List.of("u8 > 200", "u8 = 37", "u8 < 3", "u8 > 255")),
      new Col("u16", new ArrowType.Int(16, false), id -> (int) ((id * 1237) & 0xFFFF),
          List.of("u16 >= 60000", "u16 = 1237", "u16 BETWEEN 100 AND 5000")),
      new Col("u32", new ArrowType.Int(32, false), id -> (int) (id * 2_654_435_761L),
          List.of("u32 > 3000000000", "u32 < 100000000", "u32 = " + Integer.toUnsignedString((int) (10 * 2_654_435_761L)),
              "u32 > 4294967295")),
      new Col("u64", new ArrowType.Int(64, false), id -> id * 0x9E3779B97F4A7C15L,
          List.of("u64 > CAST('10000000000000000000' AS BIGINT UNSIGNED)", "u64 < 1000000000000000000",
              "u64 = " + Long.toUnsignedString(10 * 0x9E3779B97F4A7C15L))),
      new Col("i8", new ArrowType.Int(8, true), id -> (int) (id % 251 - 125),
          List.of("i8 < -100", "i8 = 0", "i8 > 125")),
      new Col("i16", new ArrowType.Int(16, true), id -> (int) (id * 97 % 60000 - 30000),
          List.of("i16 > 29000", "i16 = -29903", "i16 < -30000")),
      new Col("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), ZoneMapMergeValueTypesTest::f64,
          List.of("f64 > 500", "f64 < -2000", "isnan(f64)", "NOT isnan(f64)", "f64 = CAST('Infinity' AS DOUBLE)",
              "f64 = CAST('-Infinity' AS DOUBLE)", "f64 > 1e300", "f64 = 0")),
      new Col("d32", new ArrowType.Date(DateUnit.DAY), id -> (int) (18_000 + id * 3),
          List.of("d32 > DATE '2051-06-01'", "d32 = DATE '2019-04-17'", "d32 < DATE '1990-01-01'")),
      new Col("d64", new ArrowType.Date(DateUnit.MILLISECOND), id -> (18_000L + id) * 86_400_000L,
          List.of("d64 >= DATE '2050-06-01'", "d64 < DATE '2019-04-01'")),
      new Col("b", ArrowType.Bool.INSTANCE, id -> id % 3 == 0,
          List.of("b = true", "b = false", "b")),
      new Col("tsz", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"), id -> TS_BASE_MICROS + id * 1_000_003L,
          List.of("tsz > TIMESTAMP '2024-01-01 00:02:00'", "tsz < TIMESTAMP '2023-01-01 00:00:00'")),
      new Col("tsn", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null), id -> (TS_BASE_MICROS + id * 1_000_003L) * 1000 + 7,
          List.of("tsn > TIMESTAMP '2024-01-01 00:02:00'", "tsn = TIMESTAMP '2024-01-01 00:00:10.000030007'",
              "tsn > TIMESTAMP '2030-01-01 00:00:00'")),
      new Col("ls", ArrowType.LargeUtf8.INSTANCE, id -> "k" + (char) ('a' + id % 26) + id,
          List.of("ls > 'kx'", "ls = 'kk10'", "ls LIKE 'kb%'", "ls = 'zz'")),
      new Col("bin", ArrowType.Binary.INSTANCE, id -> ("b" + id).getBytes(StandardCharsets.UTF_8),
          List.of("bin = X'623130'", "bin > X'6239'")));
  // decimal128 is left out: writing it through the harness (Arrow IPC -> FFI) aborts the JVM in lance-core 7.0.0
  // ("Memory pointer from external source (e.g, FFI) is not aligned"), a Rust panic that cannot unwind.

  @TempDir static Path tmp;

  private BufferAllocator alloc;
  private Path base;
  private List<Integer> fids;
  private final Map<String, List<Segment>> perFragment = new LinkedHashMap<>();
  private final Map<String, String> refused = new LinkedHashMap<>();
  private final Map<String, Segment> full = new LinkedHashMap<>();
  private final Map<String, Path> ours = new LinkedHashMap<>();
  private Dataset noIndexDs;
  private Dataset fullDs;
  private Dataset oursDs;
  private final Map<String, String> report = new TreeMap<>();

  private static Object f64(long id) {
    if (id % 10 == 7) {
      return Double.NaN;
    }
    if (id % 97 == 11) {
      return Double.POSITIVE_INFINITY;
    }
    if (id % 89 == 13) {
      return Double.NEGATIVE_INFINITY;
    }
    if (id % 50 == 3) {
      return -0.0;
    }
    return Math.sin(id) * 1000;
  }

  @BeforeAll
  void setUp() throws Exception {
    alloc = new RootAllocator();
    base = tmp.resolve("base");
    List<VectorSchemaRoot> batches = new ArrayList<>();
    long start = 0;
    try {
      for (int rows : FRAGMENT_ROWS) {
        batches.add(batch(start, rows));
        start += rows;
      }
      try (Dataset ds = RealLanceIndexes.createDatasetFromBatches(base, alloc, batches)) {
        fids = RealLanceIndexes.fragmentIds(ds);
        for (Col c : COLS) {
          try {
            perFragment.put(c.name(), RealLanceIndexes.buildZoneMapSegments(ds, base, c.name(), "zm_" + c.name(), RPZ, fids));
          } catch (RuntimeException e) {
            refused.put(c.name(), c.type() + ": " + e.getMessage());
          }
        }
      }
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
    Path none = tmp.resolve("none");
    RealLanceIndexes.copyDataset(base, none, List.of());
    noIndexDs = RealLanceIndexes.openDataset(none, alloc);
    Path fullDir = tmp.resolve("full");
    RealLanceIndexes.copyDataset(base, fullDir, List.of());
    fullDs = RealLanceIndexes.openDataset(fullDir, alloc);
    Path oursDir = tmp.resolve("ours");
    RealLanceIndexes.copyDataset(base, oursDir, List.of());
    oursDs = RealLanceIndexes.openDataset(oursDir, alloc);
    Random rnd = new Random(SEED);
    for (Map.Entry<String, List<Segment>> e : perFragment.entrySet()) {
      String col = e.getKey();
      full.put(col, RealLanceIndexes.buildFullZoneMap(fullDs, fullDir, col, "zm_" + col, RPZ));
      List<Path> inputs = new ArrayList<>(e.getValue().stream().map(Segment::dir).toList());
      Collections.shuffle(inputs, rnd);
      UUID uuid = new UUID(rnd.nextLong(), rnd.nextLong());
      Path out = oursDir.resolve("_indices").resolve(uuid.toString());
      ZoneMapMerger.merge(inputs, out);
      ours.put(col, out);
      RealLanceIndexes.commitForeignSegment(oursDs, "zm_" + col, col, uuid, e.getValue().get(0).index(), fids);
    }
  }

  @AfterAll
  void tearDown() {
    refused.forEach((k, v) -> System.out.println("[zonemap-types] Lance 7.0.0 builds no ZoneMap on " + k + ": " + v));
    report.forEach((k, v) -> System.out.println("[zonemap-types] " + k + ": " + v));
    for (Dataset d : new Dataset[] {noIndexDs, fullDs, oursDs}) {
      if (d != null) {
        d.close();
      }
    }
    alloc.close();
  }

  static Stream<String> columns() {
    return COLS.stream().map(Col::name);
  }

  private Col col(String name) {
    return COLS.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @MethodSource("columns")
  void mergeOfTypeEqualsTheFullBuild(String name) throws Exception {
    Assumptions.assumeTrue(!refused.containsKey(name), () -> "Lance refuses: " + refused.get(name));
    try (FileContents a = RealLanceFiles.read(ours.get(name).resolve("zonemap.lance"), alloc);
        FileContents b = RealLanceFiles.read(full.get(name).dir().resolve("zonemap.lance"), alloc)) {
      assertThat(a.schema().getFields()).isEqualTo(b.schema().getFields());
      assertThat(a.schema().getFields().get(0).getType()).isEqualTo(col(name).type());
      assertThat(a.metadata()).isEqualTo(b.metadata()).containsEntry("rows_per_zone", String.valueOf(RPZ));
      assertThat(ZoneMapTestFiles.comparable(a.rows())).containsExactlyElementsOf(ZoneMapTestFiles.comparable(b.rows()));
      assertThat(a.rows()).hasSize(5 + 1 + 3 + 1);
    }

    List<List<Object>> fullStats;
    if (col(name).type() instanceof ArrowType.Binary) {
      // lance-jni 7.0.0 cannot convert binary min/max ("Unsupported ScalarValue type for Java conversion: Binary",
      // logged once per zone) and reports them as null: nothing to compare
      fullStats = null;
      report.put("getZonemapStats not compared for " + name, "Lance's Java binding cannot convert binary min/max");
    } else {
      try {
        fullStats = stats(fullDs, name);
      } catch (RuntimeException e) {
        fullStats = null;
        report.put("getZonemapStats fails on " + name + " (full build too)", String.valueOf(e.getMessage()));
      }
    }
    if (fullStats != null) {
      assertThat(ZoneMapTestFiles.comparable(stats(oursDs, name)))
          .containsExactlyElementsOf(ZoneMapTestFiles.comparable(fullStats));
    }

    List<String> mismatches = new ArrayList<>();
    List<String> filters = new ArrayList<>(col(name).filters());
    filters.add(name + " IS NULL");
    filters.add(name + " IS NOT NULL");
    int checked = 0;
    int usingZones = 0;
    for (String f : filters) {
      long expected;
      try {
        expected = noIndexDs.countRows(f);
      } catch (RuntimeException e) {
        report.put("filter Lance rejects even without index: " + f, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        continue;
      }
      long mine = oursDs.countRows(f);
      long theirs = fullDs.countRows(f);
      if (mine != expected) {
        mismatches.add(f + ": no index " + expected + ", ours " + mine + ", full build " + theirs);
      }
      if (theirs != expected) {
        report.put("Lance's full build miscounts " + f, theirs + " (no index " + expected + ")");
      }
      ScanStats mineStats = ZoneMapTestFiles.scanStats(oursDs, f);
      ScanStats fullScan = ZoneMapTestFiles.scanStats(fullDs, f);
      assertThat(mineStats.getIndexComparisons()).as("zones compared for '%s'", f)
          .isEqualTo(fullScan.getIndexComparisons());
      assertThat(mineStats.getAllCounts()).as("scan counts for '%s'", f).isEqualTo(fullScan.getAllCounts());
      usingZones += mineStats.getIndexComparisons() > 0 ? 1 : 0;
      checked++;
    }
    report.put("filters on " + name + " answered with the zones", usingZones + " of " + checked);
    assertThat(mismatches).isEmpty();
    assertThat(checked).isGreaterThanOrEqualTo(3);
  }

  private static List<List<Object>> stats(Dataset ds, String col) {
    List<List<Object>> out = new ArrayList<>();
    for (ZoneStats z : ds.getZonemapStats(col)) {
      out.add(java.util.Arrays.asList(z.getFragmentId(), z.getZoneStart(), z.getZoneLength(), z.getMin(), z.getMax(),
          z.getNullCount()));
    }
    return out;
  }

  // ---------------------------------------------------------------- data

  private static Schema schema() {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null));
    for (Col c : COLS) {
      fields.add(Field.nullable(c.name(), c.type()));
    }
    return new Schema(fields);
  }

  /** Rows [start, start + n): nulls in every column at id % 9 == 4, values from {@link Col#value}. */
  private VectorSchemaRoot batch(long start, int n) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema(), alloc);
    root.allocateNew();
    BigIntVector id = (BigIntVector) root.getVector("id");
    for (int r = 0; r < n; r++) {
      long rid = start + r;
      id.setSafe(r, rid);
      for (Col c : COLS) {
        set(root.getVector(c.name()), r, rid % 9 == 4 ? null : c.value().apply(rid));
      }
    }
    for (FieldVector v : root.getFieldVectors()) {
      v.setValueCount(n);
    }
    root.setRowCount(n);
    return root;
  }

  private static void set(FieldVector v, int r, Object x) {
    if (x == null) {
      if (v instanceof org.apache.arrow.vector.BaseFixedWidthVector f) {
        f.setNull(r);
      } else if (v instanceof org.apache.arrow.vector.BaseVariableWidthVector w) {
        w.setNull(r);
      } else if (v instanceof org.apache.arrow.vector.BaseLargeVariableWidthVector w) {
        w.setNull(r);
      } else {
        throw new IllegalArgumentException(v.getClass().toString());
      }
      return;
    }
    if (v instanceof UInt1Vector u) {
      u.setSafe(r, (Integer) x);
    } else if (v instanceof UInt2Vector u) {
      u.setSafe(r, (Integer) x);
    } else if (v instanceof UInt4Vector u) {
      u.setSafe(r, (Integer) x);
    } else if (v instanceof UInt8Vector u) {
      u.setSafe(r, (Long) x);
    } else if (v instanceof TinyIntVector t) {
      t.setSafe(r, (Integer) x);
    } else if (v instanceof SmallIntVector t) {
      t.setSafe(r, (Integer) x);
    } else if (v instanceof Float8Vector f) {
      f.setSafe(r, (Double) x);
    } else if (v instanceof DateDayVector d) {
      d.setSafe(r, (Integer) x);
    } else if (v instanceof DateMilliVector d) {
      d.setSafe(r, (Long) x);
    } else if (v instanceof BitVector b) {
      b.setSafe(r, (Boolean) x ? 1 : 0);
    } else if (v instanceof TimeStampMicroTZVector t) {
      t.setSafe(r, (Long) x);
    } else if (v instanceof TimeStampNanoVector t) {
      t.setSafe(r, (Long) x);
    } else if (v instanceof LargeVarCharVector t) {
      t.setSafe(r, ((String) x).getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof VarBinaryVector t) {
      t.setSafe(r, (byte[]) x);
    } else if (v instanceof DecimalVector d) {
      d.setSafe(r, (BigDecimal) x);
    } else {
      throw new IllegalArgumentException(v.getClass().toString());
    }
  }
}
