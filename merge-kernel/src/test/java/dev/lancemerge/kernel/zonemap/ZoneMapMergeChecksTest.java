package dev.lancemerge.kernel.zonemap;

import static dev.lancemerge.kernel.zonemap.ZoneMapTestFiles.FRAGMENT_ID;
import static dev.lancemerge.kernel.zonemap.ZoneMapTestFiles.ZONE_START;
import static dev.lancemerge.kernel.zonemap.ZoneMapTestFiles.failingMerge;
import static dev.lancemerge.oracle.RealLanceIndexes.I32;
import static dev.lancemerge.oracle.RealLanceIndexes.I64;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
import dev.lancemerge.kernel.MergeException;
import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceFiles.FileContents;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lance.Dataset;
import org.lance.index.Index;
import org.lance.index.IndexOptions;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;
import org.lance.index.scalar.ZoneMapIndexParams;

/**
 * Issue 4, "Checks, each with an error naming the file": every refusal of the ZoneMap merge, each provoked with
 * files real lance-core 7.0.0 built (or a real file rewritten with our own Lance writer where Lance cannot build
 * the broken input). Each merge must throw {@link MergeException} naming the offending file and the problem, and
 * leave neither the output directory nor a hidden {@code .<name>.tmp-*} sibling behind.
 *
 * <p>Fixture: one dataset of 3 fragments (300, 150, 77 rows); ZoneMap segments of i32 at 100 rows per zone for
 * every fragment, a second one of fragment 0, one of fragment 1 at 200 rows per zone, one of the i64 column of
 * fragment 1, and two-fragment segments ({0,1}, {1,2}, {0,2}) as two workers of the pull request would write them.
 */
class ZoneMapMergeChecksTest {
  private static final long SEED = 50_005L;

  @TempDir static Path tmp;
  private static BufferAllocator alloc;
  private static List<Integer> fids;
  private static List<Segment> i32;
  private static Segment i32AgainF0;
  private static Segment i32Rpz200F1;
  private static Segment i64F1;
  private static Path i32F01;
  private static Path i32F12;
  private static Path i32F02;
  private static final AtomicInteger outs = new AtomicInteger();

  @BeforeAll
  static void buildFixtures() throws Exception {
    alloc = new RootAllocator();
    Path dir = tmp.resolve("ds");
    try (Dataset ds = RealLanceIndexes.createDataset(dir, alloc, 4, SEED, null, 300, 150, 77)) {
      fids = RealLanceIndexes.fragmentIds(ds);
      i32 = RealLanceIndexes.buildZoneMapSegments(ds, dir, I32, "zm", 100, fids);
      i32AgainF0 = RealLanceIndexes.buildZoneMapSegments(ds, dir, I32, "zm", 100, List.of(fids.get(0))).get(0);
      i32Rpz200F1 = RealLanceIndexes.buildZoneMapSegments(ds, dir, I32, "zm", 200, List.of(fids.get(1))).get(0);
      i64F1 = RealLanceIndexes.buildZoneMapSegments(ds, dir, I64, "zm64", 100, List.of(fids.get(1))).get(0);
      i32F01 = worker(ds, dir, fids.get(0), fids.get(1));
      i32F12 = worker(ds, dir, fids.get(1), fids.get(2));
      i32F02 = worker(ds, dir, fids.get(0), fids.get(2));
    }
  }

  @AfterAll
  static void tearDown() {
    alloc.close();
  }

  /** One uncommitted i32 segment covering several fragments (one worker's assignment); its zonemap.lance. */
  private static Path worker(Dataset ds, Path dir, Integer... fragments) {
    IndexParams params = IndexParams.builder()
        .setScalarIndexParams(ZoneMapIndexParams.builder().rowsPerZone(100).build()).build();
    Index idx = ds.createIndex(IndexOptions.builder(List.of(I32), IndexType.ZONEMAP, params)
        .withIndexName("zm").withFragmentIds(List.of(fragments)).build());
    return RealLanceIndexes.segmentDir(dir, idx).resolve("zonemap.lance");
  }

  private static Path out() {
    return tmp.resolve("out").resolve("merged-" + outs.incrementAndGet());
  }

  private static Path file(Segment s) {
    return s.dir().resolve("zonemap.lance");
  }

  /** How the merger names a segment's file in errors: {@code <uuid>/zonemap.lance}. */
  private static String label(Segment s) {
    return s.dir().getFileName() + "/zonemap.lance";
  }

  private static String label(Path zonemapFile) {
    return zonemapFile.getParent().getFileName() + "/zonemap.lance";
  }

  /** Copies {@code src} to {@code dir/name}, creating {@code dir}. */
  private static Path copy(Path src, Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    return Files.copy(src, dir.resolve(name));
  }

  // ---------------------------------------------------------------- empty input

  @Test
  void emptyInputListIsRefused() throws IOException {
    MergeException e = failingMerge(List.of(), out());
    assertThat(e.getMessage()).contains("no ZoneMap inputs");
  }

  @Test
  void directoryWithoutZoneMapFilesIsRefusedByName() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty-dir"));
    MergeException e = failingMerge(List.of(i32.get(0).dir(), empty), out());
    assertThat(e.segment()).isEqualTo("empty-dir");
    assertThat(e.getMessage()).contains("empty-dir").contains("no zonemap.lance");
  }

  @Test
  void missingInputIsRefusedByName() throws IOException {
    Path missing = tmp.resolve("no-such-segment");
    MergeException e = failingMerge(List.of(i32.get(0).dir(), missing), out());
    assertThat(e.getMessage()).contains("no-such-segment").contains("does not exist");
  }

  // ---------------------------------------------------------------- rows_per_zone, value type

  @Test
  void differentRowsPerZoneIsRefused() throws IOException {
    MergeException e = failingMerge(List.of(i32.get(0).dir(), i32Rpz200F1.dir()), out());
    assertThat(e.segment()).isEqualTo(label(i32Rpz200F1));
    assertThat(e.getMessage()).contains("rows_per_zone").contains("200").contains("100").contains(label(i32.get(0)));

    // the other order names the other file
    MergeException r = failingMerge(List.of(i32Rpz200F1.dir(), i32.get(0).dir()), out());
    assertThat(r.segment()).isEqualTo(label(i32.get(0)));
    assertThat(r.getMessage()).contains("rows_per_zone").contains("200").contains("100");
  }

  @Test
  void differentRowsPerZoneIsRefusedForPartFiles() throws IOException {
    Path staging = tmp.resolve("rpz-parts");
    copy(file(i32.get(0)), staging, "part_1_zonemap.lance");
    Path bad = copy(file(i32Rpz200F1), staging, "part_2_zonemap.lance");
    MergeException e = failingMerge(List.of(staging), out());
    assertThat(e.segment()).isEqualTo(bad.toString());
    assertThat(e.getMessage()).contains("part_2_zonemap.lance").contains("rows_per_zone").contains("200");
  }

  @Test
  void differentValueTypeIsRefused() throws IOException {
    MergeException e = failingMerge(List.of(i32.get(0).dir(), i64F1.dir()), out());
    assertThat(e.segment()).isEqualTo(label(i64F1));
    assertThat(e.getMessage()).contains("min/max").contains("Int(64, true)").contains("Int(32, true)");
  }

  // ---------------------------------------------------------------- one fragment covered twice

  @Test
  void twoSegmentsOfTheSameFragmentAreRefused() throws IOException {
    Segment f0 = i32.get(0);
    int fid = fids.get(0);
    MergeException e = failingMerge(List.of(f0.dir(), i32.get(1).dir(), i32AgainF0.dir()), out());
    assertThat(e.segment()).isEqualTo(label(i32AgainF0));
    assertThat(e.getMessage()).contains("fragment " + fid).contains(label(f0));

    MergeException r = failingMerge(List.of(i32AgainF0.dir(), i32.get(2).dir(), f0.dir()), out());
    assertThat(r.segment()).isEqualTo(label(f0));
    assertThat(r.getMessage()).contains("fragment " + fid).contains(label(i32AgainF0));
  }

  @Test
  void theSameSegmentTwiceIsRefused() throws IOException {
    MergeException e = failingMerge(List.of(i32.get(1).dir(), i32.get(1).dir()), out());
    assertThat(e.getMessage()).contains(label(i32.get(1))).contains("fragment " + fids.get(1));
  }

  /** The review's scenario, workers {0,1} and {1,2} under different part ids: fragment 1 is in both. */
  @Test
  void overlappingWorkerAssignmentsAreRefused() throws IOException {
    Path staging = tmp.resolve("overlapping-workers");
    copy(i32F01, staging, "part_" + fids.get(0) + "_zonemap.lance");
    Path second = copy(i32F12, staging, "part_" + fids.get(1) + "_zonemap.lance");
    MergeException e = failingMerge(List.of(staging), out());
    assertThat(e.segment()).isEqualTo(second.toString());
    assertThat(e.getMessage()).contains("fragment " + fids.get(1)).contains("part_" + fids.get(0) + "_zonemap.lance");
  }

  @Test
  void partFileAndSegmentOfTheSameFragmentAreRefused() throws IOException {
    Path part = copy(file(i32.get(2)), tmp.resolve("part-and-segment"), "part_7_zonemap.lance");
    MergeException e = failingMerge(List.of(i32.get(2).dir(), part), out());
    assertThat(e.getMessage()).contains("fragment " + fids.get(2)).contains("part_7_zonemap.lance")
        .contains(label(i32.get(2)));
  }

  // ---------------------------------------------------------------- part ids

  @Test
  void twoPartFilesWithTheSameIdAreRefused() throws IOException {
    Path a = copy(file(i32.get(0)), tmp.resolve("same-id").resolve("a"), "part_3_zonemap.lance");
    Path b = copy(file(i32.get(1)), tmp.resolve("same-id").resolve("b"), "part_3_zonemap.lance");
    MergeException files = failingMerge(List.of(a, b), out());
    assertThat(files.getMessage()).contains("part id 3").contains(a.toString()).contains(b.toString());

    MergeException dirs = failingMerge(List.of(a.getParent(), b.getParent()), out());
    assertThat(dirs.getMessage()).contains("part id 3").contains(a.toString()).contains(b.toString());

    // the same number spelled differently is the same id
    Path c = copy(file(i32.get(2)), tmp.resolve("same-id").resolve("c"), "part_03_zonemap.lance");
    MergeException padded = failingMerge(List.of(a, c), out());
    assertThat(padded.getMessage()).contains("part id 3").contains("part_03_zonemap.lance");
  }

  /**
   * The review's silent-overwrite bug: workers {0,1} and {0,2} both name their file after their smallest fragment,
   * part_0; kept apart in two directories, the merge must refuse them instead of letting one replace the other.
   */
  @Test
  void workersSharingTheirSmallestFragmentAreRefused() throws IOException {
    String name = "part_" + fids.get(0) + "_zonemap.lance";
    Path a = copy(i32F01, tmp.resolve("review").resolve("worker-a"), name);
    Path b = copy(i32F02, tmp.resolve("review").resolve("worker-b"), name);
    MergeException e = failingMerge(List.of(a.getParent(), b.getParent()), out());
    assertThat(e.getMessage()).contains(a.toString()).contains(b.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "part_x_zonemap.lance", "part_3_zonemap.lance.bak", "part__zonemap.lance", "part_-1_zonemap.lance",
      "part_3_zonemap.lanc", "zonemap_3.lance", "part_3.lance", "Part_3_zonemap.lance", "part_3_zonemap"})
  void partFileWithABadNameIsRefused(String name) throws IOException {
    Path bad = copy(file(i32.get(0)), tmp.resolve("bad-name").resolve(name.replace('.', '_')), name);
    MergeException e = failingMerge(List.of(bad, i32.get(1).dir()), out());
    assertThat(e.getMessage()).contains(name).contains("part_<number>_zonemap.lance");
  }

  @Test
  void partNumberTooLargeIsRefused() throws IOException {
    String name = "part_99999999999999999999_zonemap.lance";
    Path bad = copy(file(i32.get(0)), tmp.resolve("huge-id"), name);
    MergeException e = failingMerge(List.of(bad), out());
    assertThat(e.getMessage()).contains(name).contains("out of range");
  }

  /**
   * In a staging directory too: a file that starts like a part file but is not {@code part_<number>_zonemap.lance}
   * (e.g. a part renamed {@code .bak}) is refused, not skipped; skipping it would drop that worker's fragments, and a
   * commit listing them would then prune their rows from query results.
   */
  @ParameterizedTest
  @ValueSource(strings = {"part_x_zonemap.lance", "part_3_zonemap.lance.bak", "part_3.lance", "part_-1_zonemap.lance"})
  void badPartNameInsideAStagingDirectoryIsRefused(String name) throws IOException {
    Path staging = tmp.resolve("bad-in-dir").resolve(name.replace('.', '_'));
    copy(file(i32.get(0)), staging, "part_1_zonemap.lance");
    copy(file(i32.get(1)), staging, name);
    MergeException e = failingMerge(List.of(staging), out());
    assertThat(e.getMessage()).contains(name).contains("part_<number>_zonemap.lance");
  }

  // ---------------------------------------------------------------- overlapping zones

  @ParameterizedTest
  @ValueSource(longs = {50, 0, 99, -50})
  void overlappingZonesOfOneFragmentAreRefused(long shift) throws IOException {
    // fragment 0 has 300 rows: zones [0,100) [100,200) [200,300); add a copy of zone 1 starting at 100 + shift
    Path src = file(i32.get(0));
    Path bad = tmp.resolve("overlap-" + shift).resolve("zonemap.lance");
    ZoneMapTestFiles.rewrite(src, bad, cols -> {
      List<ColumnData> out = new ArrayList<>();
      for (int f = 0; f < cols.size(); f++) {
        ColumnData c = cols.get(f);
        out.add(ColumnDataOps.concat(List.of(c, ColumnDataOps.slice(c, 1, 2))));
      }
      long[] start = ZoneMapTestFiles.longs(out.get(ZONE_START));
      assertThat(start).containsExactly(0, 100, 200, 100);
      start[3] += shift;
      out.set(ZONE_START, ZoneMapTestFiles.u64(start));
      return out;
    });
    MergeException e = failingMerge(List.of(i32.get(1).dir(), bad.getParent(), i32.get(2).dir()), out());
    assertThat(e.segment()).isEqualTo(label(bad));
    assertThat(e.getMessage()).contains("overlap").contains("fragment " + fids.get(0));
  }

  /** Control for the rewrites above: an unchanged rewrite, and zones in reverse order, merge to the original rows. */
  @Test
  void rewrittenAndReorderedZonesMergeToTheOriginal() throws IOException {
    Path src = file(i32.get(0));
    Path same = tmp.resolve("rewrite-same").resolve("zonemap.lance");
    ZoneMapTestFiles.rewrite(src, same, cols -> cols);
    Path reversed = tmp.resolve("rewrite-reversed").resolve("zonemap.lance");
    ZoneMapTestFiles.rewrite(src, reversed, cols -> {
      List<ColumnData> out = new ArrayList<>();
      for (ColumnData c : cols) {
        int n = c.length();
        List<ColumnData> rows = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
          rows.add(ColumnDataOps.slice(c, i, i + 1));
        }
        out.add(ColumnDataOps.concat(rows));
      }
      return out;
    });
    Path expected = out();
    ZoneMapMerger.merge(List.of(i32.get(0).dir(), i32.get(1).dir()), expected);
    for (Path variant : List.of(same, reversed)) {
      Path o = out();
      ZoneMapMerger.merge(List.of(i32.get(1).dir(), variant.getParent()), o);
      try (FileContents a = RealLanceFiles.read(o.resolve("zonemap.lance"), alloc);
          FileContents b = RealLanceFiles.read(expected.resolve("zonemap.lance"), alloc)) {
        assertThat(a.metadata()).isEqualTo(b.metadata());
        assertThat(a.schema().getFields()).isEqualTo(b.schema().getFields());
        assertThat(a.rows()).as("%s", variant).containsExactlyElementsOf(b.rows());
      }
    }
  }

  /** A well-formed input with no zones at all contributes nothing: the merge equals the merge without it. */
  @Test
  void inputWithoutZonesContributesNothing() throws IOException {
    Path empty = tmp.resolve("no-zones").resolve("zonemap.lance");
    ZoneMapTestFiles.rewrite(file(i32.get(1)), empty, cols -> {
      List<ColumnData> out = new ArrayList<>();
      for (ColumnData c : cols) {
        out.add(ColumnDataOps.slice(c, 0, 0));
      }
      return out;
    });
    Path with = out();
    Path without = out();
    ZoneMapMergeResult r = ZoneMapMerger.merge(List.of(empty.getParent(), i32.get(0).dir()), with);
    ZoneMapMerger.merge(List.of(i32.get(0).dir()), without);
    assertThat(r.fragments()).containsExactly(fids.get(0));
    try (FileContents a = RealLanceFiles.read(with.resolve("zonemap.lance"), alloc);
        FileContents b = RealLanceFiles.read(without.resolve("zonemap.lance"), alloc)) {
      assertThat(a.metadata()).isEqualTo(b.metadata());
      assertThat(a.rows()).containsExactlyElementsOf(b.rows());
    }
  }

  // ---------------------------------------------------------------- broken files

  @ParameterizedTest
  @ValueSource(strings = {"minus1", "half", "footer-only", "39", "0"})
  void truncatedInputIsRefusedByName(String how) throws IOException {
    Path src = file(i32.get(1));
    long size = Files.size(src);
    long keep = switch (how) {
      case "minus1" -> size - 1;
      case "half" -> size / 2;
      case "footer-only" -> 40;
      case "39" -> 39;
      default -> 0;
    };
    Path bad = copy(src, tmp.resolve("truncated-" + how), "zonemap.lance");
    try (FileChannel ch = FileChannel.open(bad, StandardOpenOption.WRITE)) {
      ch.truncate(keep);
    }
    MergeException e = failingMerge(List.of(i32.get(0).dir(), bad.getParent(), i32.get(2).dir()), out());
    assertThat(e.segment()).isEqualTo(label(bad));
    assertThat(e.getMessage()).contains(label(bad));
  }

  @Test
  void truncatedPartFileIsRefusedByName() throws IOException {
    Path staging = tmp.resolve("truncated-part");
    copy(file(i32.get(0)), staging, "part_1_zonemap.lance");
    Path bad = copy(file(i32.get(1)), staging, "part_2_zonemap.lance");
    try (FileChannel ch = FileChannel.open(bad, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(bad) - 7);
    }
    MergeException e = failingMerge(List.of(staging), out());
    assertThat(e.getMessage()).contains("part_2_zonemap.lance");
  }

  /** A file whose footer is intact but whose column metadata is garbage. */
  @Test
  void inputWithGarbledColumnMetadataIsRefusedByName() throws IOException {
    Path src = file(i32.get(1));
    byte[] bytes = Files.readAllBytes(src);
    RealLanceFiles.Footer footer = RealLanceFiles.readFooter(src);
    for (long i = footer.columnMetaStart(); i < footer.columnMetaOffsetsStart(); i++) {
      bytes[(int) i] = (byte) 0xFF;
    }
    Path bad = tmp.resolve("garbled").resolve("zonemap.lance");
    Files.createDirectories(bad.getParent());
    Files.write(bad, bytes);
    MergeException e = failingMerge(List.of(i32.get(0).dir(), bad.getParent()), out());
    assertThat(e.segment()).isEqualTo(label(bad));
    assertThat(e.getMessage()).contains("column").contains("metadata");
  }

  /**
   * Seeded mutants of a real file (1 to 4 random bytes changed in its data pages, footer and metadata intact):
   * the merge either succeeds (Lance files carry no checksums, so changed values can go unnoticed) or throws an
   * IOException whose message names the file, and leaves nothing behind; never a RuntimeException.
   */
  @Test
  void corruptedDataPagesGiveErrorsNamingTheFile() throws IOException {
    Path src = file(i32.get(1));
    byte[] orig = Files.readAllBytes(src);
    long dataEnd = RealLanceFiles.readFooter(src).columnMetaStart();
    java.util.Random rnd = new java.util.Random(SEED);
    java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (int m = 0; m < 150; m++) {
      byte[] b = orig.clone();
      int changes = 1 + rnd.nextInt(4);
      for (int k = 0; k < changes; k++) {
        b[rnd.nextInt((int) dataEnd)] = (byte) rnd.nextInt(256);
      }
      Path bad = tmp.resolve("mutant").resolve("m" + m).resolve("zonemap.lance");
      Files.createDirectories(bad.getParent());
      Files.write(bad, b);
      Path o = out();
      try {
        ZoneMapMergeResult r = ZoneMapMerger.merge(List.of(i32.get(0).dir(), bad.getParent()), o);
        try (dev.lancemerge.format.LanceFileReader check = dev.lancemerge.format.LanceFileReader.open(
            r.outputDir().resolve("zonemap.lance"))) {
          assertThat(check.numRows()).isEqualTo(r.zones());
        }
        outcomes.merge("merged", 1, Integer::sum);
      } catch (IOException e) {
        assertThat(e.getMessage()).as("mutant %d", m).contains(bad.getParent().getFileName().toString());
        ZoneMapTestFiles.assertNoOutput(o);
        outcomes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
      }
    }
    System.out.println("[zonemap-checks] 150 mutants of a real zonemap.lance: " + outcomes);
  }

  // ---------------------------------------------------------------- output

  @Test
  void existingOutputIsRefusedAndKept() throws IOException {
    Path o = Files.createDirectories(out());
    Path marker = Files.writeString(o.resolve("keep.txt"), "x");
    MergeException e = null;
    try {
      ZoneMapMerger.merge(List.of(i32.get(0).dir()), o);
    } catch (MergeException ex) {
      e = ex;
    }
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("already exists");
    assertThat(marker).exists();
    try (var s = Files.list(o.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList()).isEmpty();
    }
  }

  @Test
  void fragmentIdsOfTheMergeAreTheUnionOfTheInputs() throws IOException {
    ZoneMapMergeResult r = ZoneMapMerger.merge(List.of(i32.get(2).dir(), i32.get(0).dir()), out());
    assertThat(r.fragments()).containsExactly(fids.get(0), fids.get(2));
    try (FileContents c = RealLanceFiles.read(r.outputDir().resolve("zonemap.lance"), alloc)) {
      List<Long> frag = c.rows().stream().map(row -> ((Number) row.get(FRAGMENT_ID)).longValue()).toList();
      assertThat(frag).isSorted().containsOnly((long) fids.get(0), (long) fids.get(2));
    }
  }
}
