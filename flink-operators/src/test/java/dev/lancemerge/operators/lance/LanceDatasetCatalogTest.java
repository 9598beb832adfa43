package dev.lancemerge.operators.lance;

import static dev.lancemerge.operators.lance.LanceFixture.BOTH;
import static dev.lancemerge.operators.lance.LanceFixture.VEC_IDX;
import static dev.lancemerge.operators.lance.LanceFixture.ZONE_IDX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.oracle.RealLanceIndexes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.index.Index;

class LanceDatasetCatalogTest {
  @TempDir static Path shared;
  static Path template;
  static long builtVersion;

  @TempDir Path tmp;
  Path ds;

  @BeforeAll
  static void build() throws IOException {
    template = shared.resolve("template");
    builtVersion = LanceFixture.create(template);
  }

  @BeforeEach
  void copy() throws IOException {
    ds = tmp.resolve("ds");
    RealLanceIndexes.copyTree(template, ds);
  }

  @Test
  void listsPerFragmentVectorSegments() {
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      assertThat(c.latestVersion()).isEqualTo(builtVersion);
      List<LiveSegment> vec = LanceFixture.sorted(c, VEC_IDX);
      assertThat(vec).hasSize(4);
      List<Index> lance = LanceFixture.withDataset(ds, d -> d.getIndexes());
      for (int i = 0; i < 4; i++) {
        LiveSegment s = vec.get(i);
        assertThat(s.indexName()).isEqualTo(VEC_IDX);
        assertThat(s.kind()).isEqualTo(SegmentKind.VECTOR);
        assertThat(s.fragments()).containsExactly(i);
        assertThat(s.fields()).containsExactly(1);
        assertThat(c.columnName(s.fields().get(0))).isEqualTo("vec");
        assertThat(s.indexVersion()).isEqualTo(1);
        assertThat(s.detailsTypeUrl()).isEqualTo("/lance.index.pb.VectorIndexDetails");
        assertThat(s.directory()).isEqualTo(ds.toAbsolutePath().resolve("_indices").resolve(s.uuid().toString()));
        assertThat(s.directory().resolve("index.idx")).isRegularFile();
        assertThat(s.bytes()).isEqualTo(size(s.directory().resolve("index.idx"))
            + size(s.directory().resolve("auxiliary.idx")));
        Index li = lance.stream().filter(x -> x.uuid().equals(s.uuid())).findFirst().orElseThrow();
        assertThat(s.details()).isEqualTo(li.indexDetails().orElseThrow());
        assertThat(s.datasetVersion()).isEqualTo(li.datasetVersion());
      }
    }
  }

  @Test
  void listsPerFragmentZoneMapSegments() {
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds.toString())) {
      List<LiveSegment> z = LanceFixture.sorted(c, ZONE_IDX);
      assertThat(z).hasSize(4);
      for (int i = 0; i < 4; i++) {
        LiveSegment s = z.get(i);
        assertThat(s.kind()).isEqualTo(SegmentKind.ZONEMAP);
        assertThat(s.fragments()).containsExactly(i);
        assertThat(s.fields()).containsExactly(3);
        assertThat(c.columnName(3)).isEqualTo("i64");
        assertThat(s.indexVersion()).isZero();
        assertThat(s.detailsTypeUrl()).isEqualTo("/lance.table.ZoneMapIndexDetails");
        assertThat(s.bytes()).isEqualTo(size(s.directory().resolve("zonemap.lance")));
      }
      assertThat(c.liveSegments(BOTH)).hasSize(8);
      assertThat(c.liveSegments(Set.of("no_such_index"))).isEmpty();
      assertThat(c.snapshot(BOTH).version()).isEqualTo(builtVersion);
    }
  }

  @Test
  void seesOtherWritersCommitsAndReadsTransactionProperties() throws IOException {
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open("file://" + ds.toAbsolutePath())) {
      LiveSegment first = LanceFixture.sorted(c, VEC_IDX).get(0);
      UUID copy = LanceFixture.otherWriterReplaces(ds, first, "vec");
      assertThat(c.latestVersion()).isEqualTo(builtVersion + 1);
      List<LiveSegment> now = LanceFixture.sorted(c, VEC_IDX);
      assertThat(now.get(0).uuid()).isEqualTo(copy);
      assertThat(now.get(0).fragments()).containsExactly(0);
      // commitExistingIndexSegments records no transaction properties; the data appends neither
      assertThat(c.transactionProperties(builtVersion + 1)).isEmpty();
      assertThat(c.transactionProperties(1)).isEmpty();
      assertThatThrownBy(() -> c.transactionProperties(builtVersion + 5)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void readsOlderVersionsCommitTimesAndFragmentRows() throws IOException {
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      long before = System.currentTimeMillis();
      LiveSegment first = LanceFixture.sorted(c, VEC_IDX).get(0);
      UUID copy = LanceFixture.otherWriterReplaces(ds, first, "vec");
      long after = System.currentTimeMillis();
      ManifestSnapshot old = c.snapshotAt(builtVersion, Set.of(VEC_IDX));
      assertThat(old.version()).isEqualTo(builtVersion);
      assertThat(old.segment(first.uuid())).isPresent();
      assertThat(old.segment(copy)).isEmpty();
      assertThat(c.snapshotAt(builtVersion + 1, Set.of(VEC_IDX)).segment(copy)).isPresent();
      assertThat(c.snapshot(Set.of(VEC_IDX)).version()).isEqualTo(builtVersion + 1); // still on the latest
      long t = c.commitTimeMillis(builtVersion + 1);
      assertThat(t).isBetween(before - 2_000, after + 2_000);
      assertThat(c.commitTimeMillis(builtVersion)).isLessThanOrEqualTo(t);
      Map<Integer, Long> rows = c.fragmentRows(builtVersion + 1);
      assertThat(rows).hasSize(LanceFixture.FRAGMENTS);
      assertThat(rows.values()).containsOnly((long) LanceFixture.ROWS_PER_FRAGMENT);
      assertThatThrownBy(() -> c.snapshotAt(builtVersion + 5, Set.of(VEC_IDX))).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void columnNamesAndRefusals() {
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      assertThat(c.columnName(0)).isEqualTo("id");
      assertThat(c.columnName(6)).isEqualTo("ts");
      assertThatThrownBy(() -> c.columnName(99)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> LanceDatasetCatalog.open("s3://bucket/ds")).isInstanceOf(IllegalArgumentException.class);
    LanceDatasetCatalog c = LanceDatasetCatalog.open(ds);
    c.close();
    c.close();
    assertThatThrownBy(c::latestVersion).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void typeUrlFromAnyBytes() {
    byte[] any = {0x0a, 0x05, '/', 'a', '.', 'B', 'c', 0x12, 0x01, 0x00};
    assertThat(IndexDetails.typeUrl(any)).contains("/a.Bc");
    assertThat(IndexDetails.typeUrl(new byte[] {0x12, 0x00, 0x0a, 0x01, 'x'})).contains("x");
    assertThat(IndexDetails.typeUrl(new byte[] {0x0a, 0x09, 'x'})).isEmpty();
    assertThat(IndexDetails.typeUrl(null)).isEmpty();
    assertThat(SegmentKind.of(java.util.Optional.empty(), org.lance.index.IndexType.IVF_PQ)).isEqualTo(SegmentKind.VECTOR);
    assertThat(SegmentKind.of(java.util.Optional.of("/lance.table.BTreeIndexDetails"), null))
        .isEqualTo(SegmentKind.OTHER);
  }

  @Test
  void liveSegmentIsAValue() {
    LiveSegment a = new LiveSegment("i", new UUID(1, 2), SegmentKind.VECTOR, List.of(1), new TreeSet<>(Set.of(2, 1)),
        3, 1, new byte[] {1, 2}, "/x", Path.of("/d"), 10);
    LiveSegment b = new LiveSegment("i", new UUID(1, 2), SegmentKind.VECTOR, List.of(1), new TreeSet<>(Set.of(1, 2)),
        3, 1, new byte[] {1, 2}, "/x", Path.of("/d"), 10);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    a.details()[0] = 9;
    assertThat(a.details()[0]).isEqualTo((byte) 1);
    assertThat(Map.of("k", a).get("k").fragments()).containsExactly(1, 2);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
