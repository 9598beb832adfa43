package dev.lancemerge.kernel.zonemap;

import static dev.lancemerge.oracle.RealLanceIndexes.F32;
import static dev.lancemerge.oracle.RealLanceIndexes.I32;
import static dev.lancemerge.oracle.RealLanceIndexes.I64;
import static dev.lancemerge.oracle.RealLanceIndexes.STR;
import static dev.lancemerge.oracle.RealLanceIndexes.TS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceFiles.FileContents;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lance.Dataset;
import org.lance.index.Index;
import org.lance.index.scalar.ZoneStats;
import org.lance.ipc.ScanStats;

/**
 * Issue 4, "Proof against real Lance": on int32, int64, float32 (with NaN), string and timestamp columns with
 * nulls, on 6 fragments of uneven sizes (1000, 37, 563, 1, 292, 1 rows; the two single-row fragments give
 * all-null zones in every column and an all-NaN zone in f32) and rows_per_zone = 100, real lance-core 7.0.0 builds
 * one ZoneMap segment per fragment; our {@link ZoneMapMerger} merges them (inputs in a seeded shuffled order) into
 * one segment, committed with {@code commitExistingIndexSegments} in its own copy of the dataset. A second copy
 * holds ONE full ZoneMap build of each column (same rows_per_zone), a third copy no index at all. Then, per column:
 * <ul>
 *   <li>{@code getZonemapStats} of ours equals the full build's, zone for zone;</li>
 *   <li>our {@code zonemap.lance}, read with lance-core's reader, has the full build's schema, schema metadata
 *       ({@code rows_per_zone} = "100") and rows;</li>
 *   <li>filtered {@code countRows} (ranges, equalities, values in no zone, IS NULL, NaN filters) equal the counts
 *       without any index; a filtered scan compares as many zones and scans exactly the rows and fragments it
 *       does with the full build (ScanStats), so the zones are really consulted (and moving one zone away does
 *       change a count).</li>
 * </ul>
 * The same holds for part files {@code part_<id>_zonemap.lance} (ids 10, 2, 9, 100, 4, 30: name order is not
 * numeric order), alone or mixed with segment directories, and for the 2.0 files Lance writes on a dataset of
 * data storage version 2.0. Also prints the time to merge 10,000 zones from 200 inputs (derived from a real file
 * with our writer).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZoneMapMergeOracleTest {
  private static final long SEED = 40_004L;
  private static final int DIM = 4;
  private static final long RPZ = 100;
  private static final int[] FRAGMENT_ROWS = {1000, 37, 563, 1, 292, 1};
  private static final long[] PART_IDS = {10, 2, 9, 100, 4, 30};
  private static final List<String> COLUMNS = List.of(I32, I64, F32, STR, TS);
  private static final DateTimeFormatter TS_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  @TempDir static Path tmp;

  private BufferAllocator alloc;
  private Path base;
  private List<Integer> fids;
  /** column -> per-fragment segments (in fragment order), built in {@code base} and never committed there. */
  private final Map<String, List<Segment>> perFragment = new LinkedHashMap<>();
  /** column -> the committed full build in the "full" copy. */
  private final Map<String, Segment> fullBuild = new LinkedHashMap<>();
  /** column -> our merged segment directory in the "ours" copy. */
  private final Map<String, Path> ours = new LinkedHashMap<>();
  /** column -> our merge of the part files (one staging directory per column), committed in the "parts" copy. */
  private final Map<String, Path> oursFromParts = new LinkedHashMap<>();
  /** column -> staging directory of the part files. */
  private final Map<String, Path> partDirs = new LinkedHashMap<>();
  private final Map<String, List<String>> filters = new LinkedHashMap<>();
  private Dataset noIndexDs;
  private Dataset fullDs;
  private Dataset oursDs;
  private Dataset partsDs;
  private final Map<String, String> report = new TreeMap<>();

  @BeforeAll
  void setUp() throws Exception {
    long t0 = System.nanoTime();
    alloc = new RootAllocator();
    base = tmp.resolve("base");
    Random rnd = new Random(SEED);
    try (Dataset ds = RealLanceIndexes.createDataset(base, alloc, DIM, SEED, null, FRAGMENT_ROWS)) {
      fids = RealLanceIndexes.fragmentIds(ds);
      for (String col : COLUMNS) {
        perFragment.put(col, RealLanceIndexes.buildZoneMapSegments(ds, base, col, "zm_" + col, RPZ, fids));
      }
    }
    assertThat(fids).hasSize(FRAGMENT_ROWS.length);

    Path none = tmp.resolve("none");
    RealLanceIndexes.copyDataset(base, none, List.of());
    noIndexDs = RealLanceIndexes.openDataset(none, alloc);

    Path full = tmp.resolve("full");
    RealLanceIndexes.copyDataset(base, full, List.of());
    fullDs = RealLanceIndexes.openDataset(full, alloc);
    for (String col : COLUMNS) {
      fullBuild.put(col, RealLanceIndexes.buildFullZoneMap(fullDs, full, col, "zm_" + col, RPZ));
    }

    // ours: per-fragment segments merged by our kernel, inputs shuffled, committed as a foreign segment
    Path oursDir = tmp.resolve("ours");
    RealLanceIndexes.copyDataset(base, oursDir, List.of());
    oursDs = RealLanceIndexes.openDataset(oursDir, alloc);
    for (String col : COLUMNS) {
      List<Path> inputs = new ArrayList<>(perFragment.get(col).stream().map(Segment::dir).toList());
      Collections.shuffle(inputs, rnd);
      UUID uuid = new UUID(rnd.nextLong(), rnd.nextLong());
      Path out = oursDir.resolve("_indices").resolve(uuid.toString());
      ZoneMapMergeResult r = ZoneMapMerger.merge(inputs, out);
      assertThat(r.inputs()).isEqualTo(fids.size());
      assertThat(r.rowsPerZone()).isEqualTo("100");
      ours.put(col, out);
      Index template = perFragment.get(col).get(0).index();
      RealLanceIndexes.commitForeignSegment(oursDs, "zm_" + col, col, uuid, template, fids);
    }

    // parts: per-fragment files renamed part_<id>_zonemap.lance in a staging directory, merged from the directory
    Path partsDir = tmp.resolve("parts");
    RealLanceIndexes.copyDataset(base, partsDir, List.of());
    partsDs = RealLanceIndexes.openDataset(partsDir, alloc);
    for (String col : COLUMNS) {
      Path staging = tmp.resolve("staging").resolve(col);
      Files.createDirectories(staging);
      List<Segment> segs = perFragment.get(col);
      for (int k = 0; k < segs.size(); k++) {
        Files.copy(segs.get(k).dir().resolve("zonemap.lance"), staging.resolve(partName(PART_IDS[k])));
      }
      partDirs.put(col, staging);
      UUID uuid = new UUID(rnd.nextLong(), rnd.nextLong());
      Path out = partsDir.resolve("_indices").resolve(uuid.toString());
      ZoneMapMerger.merge(List.of(staging), out);
      oursFromParts.put(col, out);
      RealLanceIndexes.commitForeignSegment(partsDs, "zm_" + col, col, uuid, segs.get(0).index(), fids);
    }

    filters.putAll(filters());
    report.put("setup", String.format("%.1f s", (System.nanoTime() - t0) / 1e9));
  }

  @AfterAll
  void tearDown() {
    report.forEach((k, v) -> System.out.println("[zonemap-oracle] " + k + ": " + v));
    for (Dataset d : new Dataset[] {noIndexDs, fullDs, oursDs, partsDs}) {
      if (d != null) {
        d.close();
      }
    }
    alloc.close();
  }

  static Stream<String> columns() {
    return COLUMNS.stream();
  }

  private static String partName(long id) {
    return "part_" + id + "_zonemap.lance";
  }

  // ---------------------------------------------------------------- committed merge vs full build vs no index

  @ParameterizedTest
  @MethodSource("columns")
  void statsOfOursEqualTheFullBuildZoneForZone(String col) {
    List<List<Object>> full = stats(fullDs, col);
    assertThat(full).as("full build zones of %s", col).hasSize(expectedZones());
    assertThat(stats(oursDs, col)).as("ours, %s", col).containsExactlyElementsOf(full);
    assertThat(stats(partsDs, col)).as("ours from part files, %s", col).containsExactlyElementsOf(full);
  }

  @ParameterizedTest
  @MethodSource("columns")
  void fileOfOursEqualsTheFullBuildFile(String col) throws IOException {
    Path fullFile = fullBuild.get(col).dir().resolve("zonemap.lance");
    assertSameFile(col, ours.get(col).resolve("zonemap.lance"), fullFile);
    assertSameFile(col, oursFromParts.get(col).resolve("zonemap.lance"), fullFile);
    assertThat(RealLanceFiles.readFooter(ours.get(col).resolve("zonemap.lance")))
        .satisfies(f -> assertThat(List.of(f.major(), f.minor())).isEqualTo(List.of(2, 1)));
  }

  @ParameterizedTest
  @MethodSource("columns")
  void filteredCountsEqualCountsWithoutIndex(String col) throws Exception {
    List<String> mismatches = new ArrayList<>();
    int nonEmpty = 0;
    long pruned = 0;
    int usingZones = 0;
    for (String filter : filters.get(col)) {
      long expected = noIndexDs.countRows(filter);
      long full = fullDs.countRows(filter);
      long mine = oursDs.countRows(filter);
      long mineParts = partsDs.countRows(filter);
      if (mine != expected || mineParts != expected) {
        mismatches.add(filter + ": no index " + expected + ", ours " + mine + ", ours from parts " + mineParts
            + ", full build " + full);
      }
      if (full != expected) {
        report.put("lance full build differs from no index, " + filter, full + " vs " + expected);
      }
      nonEmpty += expected > 0 ? 1 : 0;
      // the counts are only a proof if the scan consults our zones: it must compare every zone and prune
      // exactly as with the full build
      ScanStats mineStats = ZoneMapTestFiles.scanStats(oursDs, filter);
      ScanStats fullStats = ZoneMapTestFiles.scanStats(fullDs, filter);
      assertThat(mineStats.getIndexComparisons()).as("zones compared for '%s': %s", filter, mineStats)
          .isEqualTo(fullStats.getIndexComparisons());
      // every zone once per value looked up (an IN list looks up each value)
      assertThat(mineStats.getIndexComparisons() % expectedZones()).as("zones compared for '%s'", filter).isZero();
      assertThat(mineStats.getAllCounts()).as("scan counts for '%s' (full build: %s)", filter, fullStats)
          .isEqualTo(fullStats.getAllCounts());
      if (mineStats.getIndexComparisons() > 0) {
        usingZones++;
        long scanned = mineStats.getAllCounts().getOrDefault("rows_scanned", 0L);
        pruned = Math.max(pruned, totalRows() - scanned);
      }
    }
    report.put("filters on " + col + " answered with the zones", usingZones + " of " + filters.get(col).size());
    assertThat(usingZones).as("filters on %s that consult the zones", col).isGreaterThanOrEqualTo(4);
    assertThat(mismatches).as("filters on %s", col).isEmpty();
    assertThat(nonEmpty).as("filters on %s that match rows", col).isGreaterThanOrEqualTo(4);
    assertThat(pruned).as("rows some filter on %s skipped thanks to the zones", col).isPositive();
  }

  /** Corrupting one zone of our merged file must change some count: the filters do consult the zones. */
  @Test
  void countsNoticeAWrongZone() throws Exception {
    // i64 grows with id, so zone bounds are narrow: give the first zone of fragment 0 the bounds of another zone
    Path src = ours.get(I64).resolve("zonemap.lance");
    Path poisonedDs = tmp.resolve("poisoned");
    RealLanceIndexes.copyDataset(base, poisonedDs, List.of());
    UUID uuid = UUID.nameUUIDFromBytes("poisoned".getBytes(StandardCharsets.UTF_8));
    Path out = poisonedDs.resolve("_indices").resolve(uuid.toString()).resolve("zonemap.lance");
    ZoneMapTestFiles.rewrite(src, out, cols -> {
      long[] frag = ZoneMapTestFiles.longs(cols.get(ZoneMapTestFiles.FRAGMENT_ID));
      // move zone 0 to a fragment id nobody has: rows 0..99 lose their zone
      frag[0] = 9_999;
      cols.set(ZoneMapTestFiles.FRAGMENT_ID, ZoneMapTestFiles.u64(frag));
      return cols;
    });
    try (Dataset ds = RealLanceIndexes.openDataset(poisonedDs, alloc)) {
      RealLanceIndexes.commitForeignSegment(ds, "zm_i64", I64, uuid, perFragment.get(I64).get(0).index(), fids);
      String filter = "i64 < 50000000";
      long expected = noIndexDs.countRows(filter);
      assertThat(expected).isPositive();
      long poisoned = ds.countRows(filter);
      report.put("sanity: count of '" + filter + "' with a zone moved away", poisoned + " (no index " + expected + ")");
      assertThat(poisoned).as("count of '%s' with zone 0 of fragment 0 moved away", filter).isNotEqualTo(expected);
    }
  }

  // ---------------------------------------------------------------- part files, and mixes

  @ParameterizedTest
  @MethodSource("columns")
  void partFilesInAnyFormAndMixesGiveTheSameFile(String col) throws IOException {
    Path fullFile = fullBuild.get(col).dir().resolve("zonemap.lance");
    Random rnd = new Random(SEED ^ col.hashCode());
    Path work = tmp.resolve("forms").resolve(col);

    // each part file named on its own, shuffled
    List<Path> files;
    try (Stream<Path> s = Files.list(partDirs.get(col))) {
      files = new ArrayList<>(s.sorted().toList());
    }
    Collections.shuffle(files, rnd);
    ZoneMapMergeResult r = ZoneMapMerger.merge(files, work.resolve("files"));
    assertThat(r.zones()).isEqualTo((long) expectedZones());
    assertThat(r.fragments()).containsExactlyElementsOf(fids);
    assertSameFile(col + " from part files", work.resolve("files").resolve("zonemap.lance"), fullFile);

    // a mix: three part files in one staging directory, three segment directories, shuffled
    List<Segment> segs = perFragment.get(col);
    Path mixParts = work.resolve("mix-parts");
    Files.createDirectories(mixParts);
    List<Path> mix = new ArrayList<>();
    for (int k = 0; k < segs.size(); k++) {
      if (k % 2 == 0) {
        Files.copy(segs.get(k).dir().resolve("zonemap.lance"), mixParts.resolve(partName(PART_IDS[k])));
      } else {
        mix.add(segs.get(k).dir());
      }
    }
    mix.add(mixParts);
    Collections.shuffle(mix, rnd);
    ZoneMapMerger.merge(mix, work.resolve("mix"));
    assertSameFile(col + " from a mix", work.resolve("mix").resolve("zonemap.lance"), fullFile);

    // a mix naming files: zonemap.lance files and part files
    List<Path> mixFiles = new ArrayList<>();
    for (int k = 0; k < segs.size(); k++) {
      mixFiles.add(k % 2 == 0 ? mixParts.resolve(partName(PART_IDS[k])) : segs.get(k).dir().resolve("zonemap.lance"));
    }
    Collections.shuffle(mixFiles, rnd);
    ZoneMapMerger.merge(mixFiles, work.resolve("mix-files"));
    assertSameFile(col + " from files of a mix", work.resolve("mix-files").resolve("zonemap.lance"), fullFile);
  }

  // ---------------------------------------------------------------- Lance 2.0 inputs

  /**
   * On a dataset written with data storage version 2.0, Lance writes {@code zonemap.lance} as file format 2.0
   * (footer 0.3). Merged (alone, and mixed with a 2.1 rewrite of one input) they must give the full 2.0 build's
   * rows and, committed into a copy of that dataset, its stats and the counts without index.
   */
  @ParameterizedTest
  @MethodSource("columns")
  void legacyFormatInputsMergeToTheFullBuild(String col) throws Exception {
    Path legacy = tmp.resolve("legacy-" + col);
    Path legacyFull = tmp.resolve("legacy-full-" + col);
    Path legacyOurs = tmp.resolve("legacy-ours-" + col);
    List<Segment> segs;
    List<Integer> lfids;
    try (Dataset ds = RealLanceIndexes.createDataset(legacy, alloc, DIM, SEED, "2.0", 330, 1, 77)) {
      lfids = RealLanceIndexes.fragmentIds(ds);
      segs = RealLanceIndexes.buildZoneMapSegments(ds, legacy, col, "zm", RPZ, lfids);
    }
    assertThat(RealLanceFiles.readFooter(segs.get(0).dir().resolve("zonemap.lance")).major()).isZero();
    RealLanceIndexes.copyDataset(legacy, legacyFull, List.of());
    RealLanceIndexes.copyDataset(legacy, legacyOurs, List.of());
    try (Dataset full = RealLanceIndexes.openDataset(legacyFull, alloc);
        Dataset mine = RealLanceIndexes.openDataset(legacyOurs, alloc)) {
      Segment fullSeg = RealLanceIndexes.buildFullZoneMap(full, legacyFull, col, "zm", RPZ);
      Path fullFile = fullSeg.dir().resolve("zonemap.lance");

      UUID uuid = UUID.nameUUIDFromBytes(("legacy" + col).getBytes(StandardCharsets.UTF_8));
      Path out = legacyOurs.resolve("_indices").resolve(uuid.toString());
      ZoneMapMerger.merge(List.of(segs.get(2).dir(), segs.get(0).dir(), segs.get(1).dir()), out);
      assertSameFile(col + " from 2.0 inputs", out.resolve("zonemap.lance"), fullFile, "100");
      RealLanceIndexes.commitForeignSegment(mine, "zm", col, uuid, segs.get(0).index(), lfids);
      assertThat(stats(mine, col)).containsExactlyElementsOf(stats(full, col));
      try (Dataset none = RealLanceIndexes.openDataset(legacy, alloc)) {
        for (String filter : filters.get(col)) {
          assertThat(mine.countRows(filter)).as("%s on the 2.0 dataset", filter).isEqualTo(none.countRows(filter));
        }
      }

      // a 2.0 file and a 2.1 rewrite of another input, together
      Path rewritten = tmp.resolve("legacy-rewritten-" + col).resolve("zonemap.lance");
      ZoneMapTestFiles.rewrite(segs.get(0).dir().resolve("zonemap.lance"), rewritten, c -> c);
      Path mixed = tmp.resolve("legacy-mixed-" + col);
      ZoneMapMerger.merge(List.of(segs.get(1).dir(), rewritten.getParent(), segs.get(2).dir()), mixed);
      assertSameFile(col + " from 2.0 and 2.1 inputs", mixed.resolve("zonemap.lance"), fullFile, "100");
    }
  }

  // ---------------------------------------------------------------- 10,000 zones from 200 inputs

  @Test
  void tenThousandZonesFrom200Inputs() throws Exception {
    int inputs = 200;
    Path work = tmp.resolve("perf");
    // one real per-fragment file of 50 zones: fragment 0 (1000 rows) at 20 rows per zone
    Path real;
    try (Dataset ds = RealLanceIndexes.openDataset(base, alloc)) {
      real = RealLanceIndexes.buildZoneMapSegments(ds, base, I64, "perf", 20, List.of(fids.get(0)))
          .get(0).dir().resolve("zonemap.lance");
    }
    Schema schema = ZoneMapTestFiles.schema(real);
    List<ColumnData> cols = ZoneMapTestFiles.columns(real);
    int zonesPerInput = cols.get(0).length();
    assertThat(zonesPerInput).isEqualTo(50);
    List<Path> dirs = new ArrayList<>();
    for (int k = 0; k < inputs; k++) {
      List<ColumnData> c = new ArrayList<>(cols);
      long[] frag = new long[zonesPerInput];
      java.util.Arrays.fill(frag, k);
      c.set(ZoneMapTestFiles.FRAGMENT_ID, ZoneMapTestFiles.u64(frag));
      Path dir = work.resolve("in").resolve(String.format("seg-%03d", k));
      ZoneMapTestFiles.write(dir.resolve("zonemap.lance"), schema, c);
      dirs.add(dir);
    }
    Collections.shuffle(dirs, new Random(SEED));

    List<String> times = new ArrayList<>();
    ZoneMapMergeResult r = null;
    for (int run = 0; run < 5; run++) {
      Path out = work.resolve("out-" + run);
      long t = System.nanoTime();
      r = ZoneMapMerger.merge(dirs, out);
      times.add(String.format("%.3f s", (System.nanoTime() - t) / 1e9));
    }
    System.out.println("[zonemap-perf] merging " + r.zones() + " zones from " + inputs + " inputs: " + times
        + " (the first run includes JIT warm-up)");
    report.put("perf: 10,000 zones from 200 inputs, 5 runs", times.toString());

    assertThat(r.zones()).isEqualTo((long) inputs * zonesPerInput);
    assertThat(r.inputs()).isEqualTo(inputs);
    try (FileContents fc = RealLanceFiles.read(r.outputDir().resolve("zonemap.lance"), alloc)) {
      List<List<Object>> rows = fc.rows();
      assertThat(rows).hasSize(inputs * zonesPerInput);
      assertThat(fc.metadata()).containsEntry("rows_per_zone", "20");
      for (int i = 0; i < rows.size(); i++) {
        long frag = ((Number) rows.get(i).get(ZoneMapTestFiles.FRAGMENT_ID)).longValue();
        long start = ((Number) rows.get(i).get(ZoneMapTestFiles.ZONE_START)).longValue();
        assertThat(frag).isEqualTo(i / zonesPerInput);
        assertThat(start).isEqualTo(20L * (i % zonesPerInput));
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static long totalRows() {
    return java.util.Arrays.stream(FRAGMENT_ROWS).sum();
  }

  private static int expectedZones() {
    int n = 0;
    for (int rows : FRAGMENT_ROWS) {
      n += (int) ((rows + RPZ - 1) / RPZ);
    }
    return n;
  }

  private static List<List<Object>> stats(Dataset ds, String col) {
    List<List<Object>> out = new ArrayList<>();
    for (ZoneStats z : RealLanceIndexes.zonemapStats(ds, col)) {
      out.add(java.util.Arrays.asList(z.getFragmentId(), z.getZoneStart(), z.getZoneLength(), z.getMin(), z.getMax(),
          z.getNullCount()));
    }
    return out;
  }

  private void assertSameFile(String what, Path mine, Path full) throws IOException {
    assertSameFile(what, mine, full, "100");
  }

  private void assertSameFile(String what, Path mine, Path full, String rowsPerZone) throws IOException {
    try (FileContents a = RealLanceFiles.read(mine, alloc); FileContents b = RealLanceFiles.read(full, alloc)) {
      assertThat(a.schema().getFields()).as("%s: fields", what).isEqualTo(b.schema().getFields());
      assertThat(a.metadata()).as("%s: schema metadata", what).isEqualTo(b.metadata()).containsEntry("rows_per_zone", rowsPerZone);
      assertThat(a.numRows()).as("%s: rows", what).isEqualTo(b.numRows());
      assertThat(a.rows()).as("%s: rows", what).containsExactlyElementsOf(b.rows());
    }
  }

  /** Filters per column: ranges, equalities on present values, values in no zone, null and NaN checks. */
  private Map<String, List<String>> filters() {
    int total = java.util.Arrays.stream(FRAGMENT_ROWS).sum();
    Map<String, List<String>> f = new LinkedHashMap<>();
    try (VectorSchemaRoot rows = RealLanceIndexes.generate(alloc, DIM, SEED, 0, total)) {
      IntVector i32 = (IntVector) rows.getVector(I32);
      BigIntVector i64 = (BigIntVector) rows.getVector(I64);
      Float4Vector f32 = (Float4Vector) rows.getVector(F32);
      VarCharVector str = (VarCharVector) rows.getVector(STR);
      TimeStampMicroVector ts = (TimeStampMicroVector) rows.getVector(TS);
      int a = plainRow(1234); // fragment 2
      int b = plainRow(1500); // fragment 2
      int c = plainRow(1700); // fragment 4
      int d = plainRow(10); // fragment 0
      f.put(I32, List.of(
          "i32 > 500000", "i32 <= -990000", "i32 BETWEEN -1000 AND 250000",
          "i32 = " + i32.get(a), "i32 = " + i32.get(c), "i32 IN (" + i32.get(b) + ", 7, " + i32.get(d) + ")",
          "i32 = 2000000", "i32 < -2000000", "i32 > 1000000",
          "i32 IS NULL", "i32 IS NOT NULL", "i32 IS NULL OR i32 > 900000", "i32 != " + i32.get(a)));
      long gap = 99L * 1_000_003L + 500_000L; // between zone 0 (ids 0..99) and zone 1 of fragment 0
      f.put(I64, List.of(
          "i64 > 1000000000", "i64 < 37000000", "i64 BETWEEN 1037000000 AND 1600000000",
          "i64 = " + i64.get(a), "i64 = " + i64.get(c), "i64 = " + i64.get(plainRow(1037)),
          "i64 = " + gap, "i64 BETWEEN " + gap + " AND " + (gap + 1000), "i64 < 0", "i64 > 9000000000",
          "i64 IS NULL", "i64 IS NOT NULL", "i64 IS NULL AND id < 1000"));
      f.put(F32, List.of(
          "f32 > 150", "f32 < -250.5", "f32 BETWEEN -10 AND 10", "f32 >= 0",
          "f32 = " + f32.get(a), "f32 = " + Float.toString(f32.get(c)),
          "f32 > 100000", "f32 < -100000", "f32 = 123456.5",
          "f32 IS NULL", "f32 IS NOT NULL",
          "isnan(f32)", "NOT isnan(f32)", "f32 = CAST('NaN' AS FLOAT)", "f32 > CAST('Infinity' AS FLOAT)"));
      f.put(STR, List.of(
          "str = '" + new String(str.get(a), StandardCharsets.UTF_8) + "'",
          "str = '" + new String(str.get(c), StandardCharsets.UTF_8) + "'",
          "str > 'sx'", "str < 'sb'", "str BETWEEN 'sc' AND 'sd'", "str LIKE 'sq%'",
          "str = 'zzz'", "str = 'a'", "str > 'zz'", "str = 'sa99999'",
          "str IS NULL", "str IS NOT NULL"));
      f.put(TS, List.of(
          "ts = TIMESTAMP '" + tsLiteral(ts.get(a)) + "'", "ts = TIMESTAMP '" + tsLiteral(ts.get(c)) + "'",
          "ts > TIMESTAMP '2024-01-01 00:25:00'", "ts < TIMESTAMP '2024-01-01 00:01:00'",
          "ts BETWEEN TIMESTAMP '2024-01-01 00:17:00' AND TIMESTAMP '2024-01-01 00:27:00'",
          "ts < TIMESTAMP '2023-06-01 00:00:00'", "ts > TIMESTAMP '2025-01-01 00:00:00'",
          "ts IS NULL", "ts IS NOT NULL"));
    }
    return f;
  }

  /** The first id from {@code id} on whose row has no null (and no NaN) in any column. */
  private static int plainRow(int id) {
    while (id % 7 == 3 || id % 11 == 5 || id % 13 == 1 || id % 23 == 7 || id % 17 == 2 || id % 19 == 4) {
      id++;
    }
    return id;
  }

  private static String tsLiteral(long micros) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    return TS_FORMAT.format(t);
  }
}
