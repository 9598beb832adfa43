package dev.lancemerge.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.oracle.RealLanceIndexes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.index.Index;
import org.lance.index.IndexType;

/** {@code merge} on per-fragment IVF_FLAT segments that real Lance built, and on inputs it must refuse. */
class MergeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int DIM = 16;
  static final int PARTITIONS = 8;
  static final long[] FRAGMENT_ROWS = {1000, 700, 1300};

  @TempDir static Path dir;
  static Path datasetDir;
  static List<Path> segments = new ArrayList<>();
  static Index template;

  @BeforeAll
  static void buildSegments() throws Exception {
    datasetDir = dir.resolve("ds");
    try (BufferAllocator allocator = new RootAllocator();
        Dataset ds = BenchIndexes.createDataset(datasetDir, allocator, DIM, 7, FRAGMENT_ROWS)) {
      float[] centroids = BenchIndexes.trainIvf(ds, PARTITIONS);
      List<Index> built = BenchIndexes.buildSegments(ds, "vec_idx", IndexType.IVF_FLAT,
          BenchIndexes.params(IndexType.IVF_FLAT, PARTITIONS, centroids, 0, null), BenchIndexes.fragmentIds(ds));
      for (Index idx : built) {
        segments.add(BenchIndexes.segmentDir(datasetDir, idx.uuid()));
      }
      template = built.get(0);
    }
  }

  private static String[] mergeArgs(Path out, List<Path> inputs, String... options) {
    List<String> a = new ArrayList<>(List.of("merge", "--output", out.toString()));
    a.addAll(List.of(options));
    inputs.forEach(p -> a.add(p.toString()));
    return a.toArray(String[]::new);
  }

  @Test
  void mergesRealPerFragmentIvfFlatSegmentsAndPrintsOneJsonLine() throws Exception {
    Path out = dir.resolve("merged-given");

    Run run = Run.of(mergeArgs(out, segments));

    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    assertThat(run.outLines()).hasSize(1);
    JsonNode json = JSON.readTree(run.out());
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly(
        "indexType", "distanceType", "partitions", "rows", "bytesWritten", "seconds", "output", "fragments");
    assertThat(json.get("indexType").asText()).isEqualTo("IVF_FLAT");
    assertThat(json.get("distanceType").asText()).isEqualTo("l2");
    assertThat(json.get("partitions").asInt()).isEqualTo(PARTITIONS);
    assertThat(json.get("rows").asLong()).isEqualTo(3000);
    assertThat(json.get("bytesWritten").asLong()).isEqualTo(MergeBench.treeBytes(out));
    assertThat(json.get("seconds").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(json.get("output").asText()).isEqualTo(out.toString());
    assertThat(json.get("fragments").toString()).isEqualTo("[0,1,2]");
    assertThat(out.resolve("index.idx")).isRegularFile();
    try (LanceFileReader aux = LanceFileReader.open(out.resolve("auxiliary.idx"))) {
      assertThat(aux.numRows()).isEqualTo(3000);
      assertThat(aux.metadata()).containsEntry("distance_type", "l2");
    }
  }

  @Test
  void realLanceCommitsAndSearchesTheMergedSegment() throws Exception {
    UUID uuid = UUID.randomUUID();
    Path out = datasetDir.resolve("_indices").resolve(uuid.toString());

    Run run = Run.of(mergeArgs(out, segments));

    assertThat(run.code()).as(run.err()).isZero();
    try (BufferAllocator allocator = new RootAllocator();
        Dataset ds = BenchIndexes.open(datasetDir, allocator)) {
      Index merged = Index.builder().uuid(uuid).name("vec_idx").fields(template.fields())
          .datasetVersion(ds.version()).fragments(List.of(0, 1, 2)).indexDetails(template.indexDetails().get())
          .indexVersion(template.indexVersion()).build();
      ds.commitExistingIndexSegments("vec_idx", VectorDataReader.VEC, List.of(merged));
      ds.checkoutLatest();
      for (long id : new long[] {0, 1234, 2999}) {
        float[] q = vectorOf(allocator, id);
        Query query = new Query.Builder().setColumn(VectorDataReader.VEC).setKey(q).setK(5).setNprobes(PARTITIONS).build();
        ScanOptions opts = new ScanOptions.Builder().nearest(query).columns(List.of(VectorDataReader.ID, "_distance")).build();
        List<Long> ids = new ArrayList<>();
        List<Float> distances = new ArrayList<>();
        try (LanceScanner scanner = ds.newScan(opts); ArrowReader r = scanner.scanBatches()) {
          while (r.loadNextBatch()) {
            VectorSchemaRoot b = r.getVectorSchemaRoot();
            for (int i = 0; i < b.getRowCount(); i++) {
              ids.add(((BigIntVector) b.getVector(VectorDataReader.ID)).get(i));
              distances.add(((Float4Vector) b.getVector("_distance")).get(i));
            }
          }
        }
        assertThat(ids).as("k-NN of row %d", id).hasSize(5).first().isEqualTo(id);
        assertThat(distances.get(0)).isZero();
        assertThat(distances).isSorted();
      }
    }
  }

  private static float[] vectorOf(BufferAllocator allocator, long id) throws Exception {
    try (VectorDataReader r = new VectorDataReader(allocator, DIM, 7, id, 1)) {
      assertThat(r.loadNextBatch()).isTrue();
      FixedSizeListVector v = (FixedSizeListVector) r.getVectorSchemaRoot().getVector(VectorDataReader.VEC);
      Float4Vector values = (Float4Vector) v.getDataVector();
      float[] out = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        out[d] = values.get(d);
      }
      return out;
    }
  }

  @Test
  void uuidOrderAndAMemoryBudgetGiveTheSameRows() throws Exception {
    Path out = dir.resolve("merged-uuid");

    Run run = Run.of(mergeArgs(out, List.of(segments.get(2), segments.get(0), segments.get(1)),
        "--order", "uuid", "--memory", "1m"));

    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    JsonNode json = JSON.readTree(run.out());
    assertThat(json.get("rows").asLong()).isEqualTo(3000);
    assertThat(json.get("fragments").toString()).isEqualTo("[0,1,2]");
  }

  @Test
  void aMissingSegmentDirectoryIsBadInputWithOneErrorLine() {
    Path missing = dir.resolve("no-such-segment");
    Path out = dir.resolve("merged-missing");

    Run run = Run.of(mergeArgs(out, List.of(segments.get(0), missing)));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly("error: " + missing + ": no such segment directory");
    assertThat(out).doesNotExist();
  }

  @Test
  void anExistingOutputDirectoryIsBadInput() throws Exception {
    Path out = Files.createDirectories(dir.resolve("already-there"));

    Run run = Run.of(mergeArgs(out, segments));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("error: " + out + ": already exists");
    try (var s = Files.list(out)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void aDirectoryThatIsNoSegmentAndAFileAreBadInput() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("not-a-segment"));
    Path file = Files.writeString(dir.resolve("notes.txt"), "hello");
    for (Path bad : List.of(empty, file)) {
      Run run = Run.of(mergeArgs(dir.resolve("merged-bad"), List.of(segments.get(0), bad)));

      assertThat(run.code()).isEqualTo(1);
      assertThat(run.errLines()).hasSize(1);
      assertThat(run.errLines().get(0)).startsWith("error: " + bad + ": ");
    }
    assertThat(dir.resolve("merged-bad")).doesNotExist();
  }

  @Test
  void aSegmentDirectoryWithABrokenAuxFileIsBadInputNamingIt() throws Exception {
    Path broken = Files.createDirectories(dir.resolve("broken-segment"));
    Files.copy(segments.get(0).resolve("index.idx"), broken.resolve("index.idx"));
    Files.writeString(broken.resolve("auxiliary.idx"), "not a Lance file at all, but long enough for a footer...");

    Run run = Run.of(mergeArgs(dir.resolve("merged-broken"), List.of(segments.get(0), broken)));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("error: ").contains("broken-segment");
    assertThat(dir.resolve("merged-broken")).doesNotExist();
  }

  @Test
  void zoneMapSegmentsAndPartFilesAreMerged() throws Exception {
    Path dsDir = dir.resolve("zm-dataset");
    try (BufferAllocator allocator = new RootAllocator();
        Dataset ds = RealLanceIndexes.createDataset(dsDir, allocator, DIM, 3, null, 500, 120, 300)) {
      List<RealLanceIndexes.Segment> zm = RealLanceIndexes.buildZoneMapSegments(ds, dsDir, RealLanceIndexes.I32,
          "i32_zm", 100, RealLanceIndexes.fragmentIds(ds));
      // Two segment directories and one part file, deliberately out of fragment order.
      Path parts = Files.createDirectories(dir.resolve("zm-parts"));
      Path part = Files.copy(zm.get(0).dir().resolve("zonemap.lance"), parts.resolve("part_10_zonemap.lance"));
      List<Path> inputs = List.of(zm.get(2).dir(), part, zm.get(1).dir());
      Path out = dir.resolve("merged-zm");

      Run run = Run.of(mergeArgs(out, inputs));

      assertThat(run.code()).as(run.err()).isEqualTo(0);
      JsonNode json = JSON.readTree(run.out());
      assertThat(json.get("indexType").asText()).isEqualTo("ZONEMAP");
      assertThat(json.get("rowsPerZone").asText()).isEqualTo("100");
      assertThat(json.get("inputs").asInt()).isEqualTo(3);
      assertThat(json.get("zones").asLong()).isEqualTo(5 + 2 + 3);
      assertThat(json.get("fragments").toString()).isEqualTo("[0,1,2]");
      try (LanceFileReader merged = LanceFileReader.open(out.resolve("zonemap.lance"))) {
        assertThat(merged.metadata()).containsEntry("rows_per_zone", "100");
        assertThat(merged.numRows()).isEqualTo(10);
      }

      Run twice = Run.of(mergeArgs(dir.resolve("merged-zm-twice"), List.of(zm.get(0).dir(), part)));
      assertThat(twice.code()).isEqualTo(1);
      assertThat(twice.errLines()).hasSize(1);
      assertThat(twice.errLines().get(0)).startsWith("error: ").contains("covers fragment 0");
      assertThat(dir.resolve("merged-zm-twice")).doesNotExist();
    }
  }

  @Test
  void zoneMapAndVectorSegmentsAreNotMixed() throws Exception {
    Path zoneSegment = Files.createDirectories(dir.resolve("zm-segment"));
    Files.writeString(zoneSegment.resolve("zonemap.lance"), "x");
    Run mixed = Run.of(mergeArgs(dir.resolve("merged-mixed"), List.of(segments.get(0), zoneSegment)));
    assertThat(mixed.code()).isEqualTo(1);
    assertThat(mixed.errLines()).containsExactly("error: " + zoneSegment + ": is a ZoneMap segment but "
        + segments.get(0) + " is a vector segment; one merge takes segments of one kind");
    Run broken = Run.of(mergeArgs(dir.resolve("merged-mixed"), List.of(zoneSegment)));
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.errLines()).hasSize(1);
    assertThat(broken.errLines().get(0)).startsWith("error: ").contains("zonemap.lance").contains("too short for a Lance footer");
    assertThat(dir.resolve("merged-mixed")).doesNotExist();
  }

  @Test
  void kindsAreDetectedFromTheFilesInTheInputs() throws Exception {
    Path legacy = Files.createDirectories(dir.resolve("legacy-index").resolve("partial_1234"));
    Files.copy(segments.get(0).resolve("auxiliary.idx"), legacy.resolve("auxiliary.idx"));
    Path zoneParts = Files.createDirectories(dir.resolve("zone-parts"));
    Files.writeString(zoneParts.resolve("part_12_zonemap.lance"), "x");

    assertThat(MergeKind.of(segments.get(0))).isEqualTo(MergeKind.VECTOR);
    assertThat(MergeKind.of(legacy.getParent())).isEqualTo(MergeKind.VECTOR);
    assertThat(MergeKind.of(zoneParts)).isEqualTo(MergeKind.ZONEMAP);
    Path zoneFile = Files.writeString(dir.resolve("part_7_zonemap.lance"), "x");
    assertThat(MergeKind.of(zoneFile)).isEqualTo(MergeKind.ZONEMAP);
  }

  @Test
  void usageErrorsExitWithTwoAndOneLine() {
    String seg = segments.get(0).toString();
    String out = dir.resolve("merged-usage").toString();
    String[][] cases = {
      {"merge"}, {"merge", seg}, {"merge", "--output", out}, {"merge", "--output", out, "--order", "size", seg},
      {"merge", "--output", out, "--memory", "lots", seg}, {"merge", "--output", out, "--memory", "1k", seg},
      {"merge", "--output", out, "--speed", "9", seg}, {"merge", "--output"},
    };
    for (String[] args : cases) {
      Run run = Run.of(args);
      assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.errLines()).as(String.join(" ", args)).hasSize(1);
      assertThat(run.errLines().get(0)).startsWith("error: merge: ");
    }
  }

  @Test
  void helpExplainsTheCommand() {
    for (String[] args : new String[][] {{"merge", "--help"}, {"help", "merge"}, {"merge", "-h", "--output", "x"}}) {
      Run run = Run.of(args);
      assertThat(run.code()).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).startsWith("Usage: java -jar job/target/lance-index-merge.jar merge --output OUT_DIR")
          .contains("--order given|uuid").contains("--memory BYTES").contains("ZoneMap").contains("\"indexType\"")
          .contains("Exit codes").contains("Example:");
    }
  }

  @Test
  void byteCountsTakeBinaryUnits() {
    assertThat(Args.parseBytes("1048576")).isEqualTo(1L << 20);
    assertThat(Args.parseBytes("64m")).isEqualTo(64L << 20);
    assertThat(Args.parseBytes("64MB")).isEqualTo(64L << 20);
    assertThat(Args.parseBytes("1g")).isEqualTo(1L << 30);
    assertThat(Args.parseBytes("1GiB")).isEqualTo(1L << 30);
    assertThat(Args.parseBytes("512k")).isEqualTo(512L << 10);
    assertThat(Args.parseBytes("2T")).isEqualTo(2L << 40);
    assertThat(Args.parseBytes("")).isNull();
    assertThat(Args.parseBytes("m")).isNull();
    assertThat(Args.parseBytes("-5m")).isNull();
    assertThat(Args.parseBytes("1.5g")).isNull();
    assertThat(Args.parseBytes("99999999999999t")).isNull();
  }
}
