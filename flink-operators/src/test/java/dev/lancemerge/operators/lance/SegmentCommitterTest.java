package dev.lancemerge.operators.lance;

import static dev.lancemerge.operators.lance.LanceFixture.BOTH;
import static dev.lancemerge.operators.lance.LanceFixture.VEC_IDX;
import static dev.lancemerge.operators.lance.LanceFixture.ZONE_IDX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.Hit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Transaction;
import org.lance.index.IndexDescription;
import org.lance.index.scalar.ZoneStats;
import org.lance.operation.CreateIndex;

class SegmentCommitterTest {
  static final String USER = "job-user-1";

  @TempDir static Path shared;
  static Path template;
  static long builtVersion;

  @TempDir Path tmp;
  Path ds;
  LanceDatasetCatalog catalog;
  SegmentCommitter committer;

  @BeforeAll
  static void build() throws IOException {
    template = shared.resolve("template");
    builtVersion = LanceFixture.create(template);
  }

  @BeforeEach
  void open() throws IOException {
    ds = tmp.resolve("ds");
    RealLanceIndexes.copyTree(template, ds);
    catalog = LanceDatasetCatalog.open(ds);
    committer = new SegmentCommitter(catalog, CommittedMerges.scan(catalog, USER, 0, 50));
  }

  @AfterEach
  void close() {
    catalog.close();
  }

  @Test
  void replacesExactlyItsInputsAndQueriesStillWork() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    List<LiveSegment> zonesBefore = LanceFixture.sorted(catalog, ZONE_IDX);
    List<List<Hit>> before = knnOf(0, 299, 300, 777, 1199);
    MergedSegment m = LanceFixture.mergeVector(catalog, vec.subList(0, 2));

    CommitResult r = committer.commit(m, CommitProperties.of(USER, 42, "merge-a"));

    assertThat(r.outcome()).isEqualTo(CommitOutcome.COMMITTED);
    assertThat(r.version()).isEqualTo(builtVersion + 1).isEqualTo(catalog.latestVersion());
    assertThat(r.attempts()).isEqualTo(1);
    List<LiveSegment> after = LanceFixture.sorted(catalog, VEC_IDX);
    assertThat(after).extracting(LiveSegment::uuid).containsExactly(m.uuid(), vec.get(2).uuid(), vec.get(3).uuid());
    assertThat(after.get(0).fragments()).containsExactly(0, 1);
    assertThat(after.get(0).fields()).isEqualTo(vec.get(0).fields());
    assertThat(after.get(0).details()).isEqualTo(vec.get(0).details());
    assertThat(after.get(0).indexVersion()).isEqualTo(1);
    assertThat(after.get(0).kind()).isEqualTo(SegmentKind.VECTOR);
    assertThat(after.subList(1, 3)).isEqualTo(vec.subList(2, 4));
    assertThat(LanceFixture.sorted(catalog, ZONE_IDX)).isEqualTo(zonesBefore);

    IndexDescription d = describe(VEC_IDX);
    assertThat(d.getRowsIndexed()).isEqualTo(1200);
    assertThat(d.getSegments()).hasSize(3);
    assertThat(d.getIndexType()).isEqualTo("IVF_FLAT");
    assertThat(describe(ZONE_IDX).getRowsIndexed()).isEqualTo(1200);

    List<List<Hit>> now = knnOf(0, 299, 300, 777, 1199);
    assertThat(now).isEqualTo(before);
    for (List<Hit> hits : now) {
      assertThat(hits).hasSize(5);
      assertThat(hits.get(0).distance()).isZero();
    }
    assertThat(now.get(1).get(0).id()).isEqualTo(299);
  }

  @Test
  void recordsPropertiesInTheTransaction() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    MergedSegment m = LanceFixture.mergeVector(catalog, vec.subList(1, 4));
    CommitResult r = committer.commit(m, CommitProperties.of(USER, 7, "merge-props"));
    assertThat(r.outcome()).isEqualTo(CommitOutcome.COMMITTED);

    assertThat(catalog.transactionProperties(r.version())).containsExactlyInAnyOrderEntriesOf(Map.of(
        "lance-index-merge.checkpoint-id", "7",
        "lance-index-merge.commit-user", USER,
        "lance-index-merge.merge-id", "merge-props"));
    // Read back independently: one CreateIndex adding the merged segment and removing exactly the three inputs.
    LanceFixture.withDataset(ds, d -> {
      try (Transaction t = d.readTransaction().orElseThrow()) {
        assertThat(t.readVersion()).isEqualTo(builtVersion);
        assertThat(t.transactionProperties()).contains(CommitProperties.of(USER, 7, "merge-props"));
        CreateIndex op = (CreateIndex) t.operation();
        assertThat(op.getNewIndices()).extracting(i -> i.uuid()).containsExactly(m.uuid());
        assertThat(op.getNewIndices().get(0).fragments()).contains(List.of(1, 2, 3));
        assertThat(op.getRemovedIndices()).extracting(i -> i.uuid())
            .containsExactlyInAnyOrder(vec.get(1).uuid(), vec.get(2).uuid(), vec.get(3).uuid());
      }
      return null;
    });
    CommittedMerges fresh = CommittedMerges.scan(catalog, USER, 0, 10);
    assertThat(fresh.mergeIds()).containsExactly("merge-props");
    assertThat(fresh.maxCheckpointId()).hasValue(7);
    assertThat(fresh.find("merge-props").orElseThrow().version()).isEqualTo(r.version());
  }

  @Test
  void mergesZoneMapSegments() throws IOException {
    List<LiveSegment> z = LanceFixture.sorted(catalog, ZONE_IDX);
    List<ZoneStats> statsBefore = LanceFixture.withDataset(ds, d -> d.getZonemapStats("i64"));
    long countBefore = LanceFixture.withDataset(ds, d -> d.countRows("i64 > 500000000"));
    MergedSegment m = LanceFixture.mergeZoneMap(catalog, z);

    assertThat(committer.commitMerged(m, CommitProperties.of(USER, 1, "merge-z"))).isEqualTo(CommitOutcome.COMMITTED);

    List<LiveSegment> after = catalog.liveSegments(Set.of(ZONE_IDX));
    assertThat(after).hasSize(1);
    assertThat(after.get(0).uuid()).isEqualTo(m.uuid());
    assertThat(after.get(0).kind()).isEqualTo(SegmentKind.ZONEMAP);
    assertThat(after.get(0).fragments()).containsExactly(0, 1, 2, 3);
    assertThat(after.get(0).indexVersion()).isZero();
    assertThat(catalog.liveSegments(Set.of(VEC_IDX))).hasSize(4);
    assertThat(describe(ZONE_IDX).getRowsIndexed()).isEqualTo(1200);
    List<ZoneStats> statsAfter = LanceFixture.withDataset(ds, d -> d.getZonemapStats("i64"));
    assertThat(statsAfter).hasSameSizeAs(statsBefore);
    for (int i = 0; i < statsBefore.size(); i++) {
      assertThat(statsAfter.get(i).getFragmentId()).isEqualTo(statsBefore.get(i).getFragmentId());
      assertThat(statsAfter.get(i).getZoneStart()).isEqualTo(statsBefore.get(i).getZoneStart());
      assertThat(statsAfter.get(i).getMin()).isEqualTo(statsBefore.get(i).getMin());
      assertThat(statsAfter.get(i).getMax()).isEqualTo(statsBefore.get(i).getMax());
    }
    long countAfter = LanceFixture.withDataset(ds, d -> d.countRows("i64 > 500000000"));
    assertThat(countAfter).isEqualTo(countBefore);
  }

  @Test
  void sameMergeIdAgainIsAlreadyCommittedAndWritesNothing() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    MergedSegment m = LanceFixture.mergeVector(catalog, vec.subList(0, 2));
    Map<String, String> props = CommitProperties.of(USER, 3, "merge-twice");
    CommitResult first = committer.commit(m, props);
    assertThat(first.outcome()).isEqualTo(CommitOutcome.COMMITTED);
    long v = catalog.latestVersion();

    CommitResult again = committer.commit(m, props);
    assertThat(again.outcome()).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(catalog.latestVersion()).isEqualTo(v);

    // After a restore: a new committer that only knows what the walk over recent versions tells it.
    try (LanceDatasetCatalog other = LanceDatasetCatalog.open(ds)) {
      SegmentCommitter restored = new SegmentCommitter(other, CommittedMerges.scan(other, USER, 0, 20));
      assertThat(restored.commitMerged(m, props)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
      // Same segment under another merge id (e.g. a lost merge id): the live uuid is enough.
      assertThat(restored.commitMerged(m, CommitProperties.of(USER, 4, "merge-other-id")))
          .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
    }
    assertThat(catalog.latestVersion()).isEqualTo(v);
  }

  @Test
  void alreadyCommittedEvenAfterItsOutputWasMergedAgain() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    MergedSegment a = LanceFixture.mergeVector(catalog, vec.subList(0, 2));
    assertThat(committer.commitMerged(a, CommitProperties.of(USER, 1, "merge-1"))).isEqualTo(CommitOutcome.COMMITTED);
    List<LiveSegment> now = LanceFixture.sorted(catalog, VEC_IDX);
    MergedSegment b = LanceFixture.mergeVector(catalog, now.subList(0, 2)); // a's output + fragment 2
    assertThat(committer.commitMerged(b, CommitProperties.of(USER, 2, "merge-2"))).isEqualTo(CommitOutcome.COMMITTED);
    assertThat(LanceFixture.sorted(catalog, VEC_IDX).get(0).fragments()).containsExactly(0, 1, 2);
    long v = catalog.latestVersion();

    // Replaying the first committable after a restore: its inputs are gone, but it was ours.
    SegmentCommitter restored = new SegmentCommitter(catalog, CommittedMerges.scan(catalog, USER, builtVersion, 10));
    assertThat(restored.commitMerged(a, CommitProperties.of(USER, 1, "merge-1")))
        .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
    assertThat(restored.committedMerges().maxCheckpointId()).hasValue(2);
    assertThat(catalog.latestVersion()).isEqualTo(v);
    assertThat(knnOf(0, 650).get(1).get(0).id()).isEqualTo(650);
  }

  @Test
  void inputReplacedByAnotherWriterFirstIsInputsGone() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    MergedSegment m = LanceFixture.mergeVector(catalog, vec.subList(0, 2));
    UUID theirs = LanceFixture.otherWriterReplaces(ds, vec.get(1), "vec");
    long v = catalog.latestVersion();

    CommitResult r = committer.commit(m, CommitProperties.of(USER, 5, "merge-late"));

    assertThat(r.outcome()).isEqualTo(CommitOutcome.INPUTS_GONE);
    assertThat(r.detail()).contains(vec.get(1).uuid().toString());
    assertThat(catalog.latestVersion()).isEqualTo(v);
    List<LiveSegment> after = LanceFixture.sorted(catalog, VEC_IDX);
    assertThat(after).extracting(LiveSegment::uuid)
        .containsExactly(vec.get(0).uuid(), theirs, vec.get(2).uuid(), vec.get(3).uuid());
    assertThat(CommittedMerges.scan(catalog, USER, 0, 50).mergeIds()).isEmpty();
  }

  @Test
  void otherIndexCommittedBetweenReadAndCommitIsRebased() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    LiveSegment zone0 = LanceFixture.sorted(catalog, ZONE_IDX).get(0);
    MergedSegment m = LanceFixture.mergeVector(catalog, vec.subList(2, 4));
    AtomicInteger calls = new AtomicInteger();
    UUID[] theirs = new UUID[1];
    committer.withHooks(new SegmentCommitter.Hooks() {
      @Override
      public void beforeCommit(long readVersion) {
        if (calls.getAndIncrement() == 0) {
          theirs[0] = replace(zone0, "i64");
          LanceFixture.otherWriterUpdatesConfig(ds, "some.key", "x");
        }
      }
    });

    CommitResult r = committer.commit(m, CommitProperties.of(USER, 9, "merge-rebased"));

    assertThat(r.outcome()).isEqualTo(CommitOutcome.COMMITTED);
    assertThat(r.version()).isEqualTo(builtVersion + 3);
    assertThat(LanceFixture.sorted(catalog, VEC_IDX)).extracting(LiveSegment::uuid)
        .containsExactly(vec.get(0).uuid(), vec.get(1).uuid(), m.uuid());
    assertThat(LanceFixture.sorted(catalog, ZONE_IDX).get(0).uuid()).isEqualTo(theirs[0]);
    Map<String, String> config = LanceFixture.withDataset(ds, d -> d.getConfig());
    assertThat(config).containsEntry("some.key", "x");
    assertThat(catalog.transactionProperties(r.version())).containsEntry(CommitProperties.MERGE_ID, "merge-rebased");
    assertThat(describe(VEC_IDX).getRowsIndexed()).isEqualTo(1200);
  }

  @Test
  void sameIndexCommittedBetweenReadAndCommitIsRetriedOnTheNewVersion() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    MergedSegment m = LanceFixture.mergeVector(catalog, vec.subList(0, 2));
    AtomicInteger calls = new AtomicInteger();
    List<Long> readVersions = new ArrayList<>();
    UUID[] theirs = new UUID[1];
    committer.withHooks(new SegmentCommitter.Hooks() {
      @Override
      public void beforeCommit(long readVersion) {
        readVersions.add(readVersion);
        if (calls.getAndIncrement() == 0) {
          theirs[0] = replace(vec.get(3), "vec"); // not one of our inputs
        }
      }
    });

    CommitResult r = committer.commit(m, CommitProperties.of(USER, 11, "merge-raced"));

    assertThat(r.outcome()).isEqualTo(CommitOutcome.COMMITTED);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(readVersions).containsExactly(builtVersion, builtVersion + 1);
    assertThat(r.version()).isEqualTo(builtVersion + 2);
    assertThat(LanceFixture.sorted(catalog, VEC_IDX)).extracting(LiveSegment::uuid)
        .containsExactly(m.uuid(), vec.get(2).uuid(), theirs[0]);
    assertThat(describe(VEC_IDX).getRowsIndexed()).isEqualTo(1200);
    assertThat(knnOf(5).get(0).get(0).id()).isEqualTo(5);
  }

  @Test
  void inputReplacedBetweenReadAndCommitIsInputsGone() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    MergedSegment m = LanceFixture.mergeVector(catalog, vec.subList(0, 2));
    AtomicInteger calls = new AtomicInteger();
    UUID[] theirs = new UUID[1];
    committer.withHooks(new SegmentCommitter.Hooks() {
      @Override
      public void beforeCommit(long readVersion) {
        if (calls.getAndIncrement() == 0) {
          theirs[0] = replace(vec.get(0), "vec"); // one of our inputs
        }
      }
    });

    CommitResult r = committer.commit(m, CommitProperties.of(USER, 12, "merge-lost-race"));

    assertThat(r.outcome()).isEqualTo(CommitOutcome.INPUTS_GONE);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(calls.get()).isEqualTo(1);
    assertThat(catalog.latestVersion()).isEqualTo(builtVersion + 1);
    assertThat(LanceFixture.sorted(catalog, VEC_IDX)).extracting(LiveSegment::uuid)
        .containsExactly(theirs[0], vec.get(1).uuid(), vec.get(2).uuid(), vec.get(3).uuid());
  }

  @Test
  void commitThatLandedButFailedIsNotRepeated() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    MergedSegment m = LanceFixture.mergeVector(catalog, vec.subList(0, 3));
    AtomicInteger calls = new AtomicInteger();
    committer.withHooks(new SegmentCommitter.Hooks() {
      @Override
      public void afterCommit(long version) {
        if (calls.getAndIncrement() == 0) {
          throw new RuntimeException("connection reset after the commit went through");
        }
      }
    });

    CommitResult r = committer.commit(m, CommitProperties.of(USER, 13, "merge-unknown"));

    assertThat(r.outcome()).isEqualTo(CommitOutcome.COMMITTED);
    assertThat(r.version()).isEqualTo(builtVersion + 1);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(calls.get()).isEqualTo(1);
    assertThat(catalog.latestVersion()).isEqualTo(builtVersion + 1);
  }

  @Test
  void refusesInconsistentMergedSegmentsWithoutCommitting() throws IOException {
    List<LiveSegment> vec = LanceFixture.sorted(catalog, VEC_IDX);
    MergedSegment m = LanceFixture.mergeVector(catalog, vec.subList(0, 2));
    Map<String, String> props = CommitProperties.of(USER, 1, "merge-bad");

    MergedSegment wrongFragments = new MergedSegment(m.indexName(), m.column(), m.uuid(), m.directory(),
        m.replaced(), new TreeSet<>(Set.of(0, 1, 2)), m.template());
    assertThatThrownBy(() -> committer.commit(wrongFragments, props))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fragments");
    MergedSegment wrongColumn = new MergedSegment(m.indexName(), "i64", m.uuid(), m.directory(),
        m.replaced(), m.fragments(), m.template());
    assertThatThrownBy(() -> committer.commit(wrongColumn, props)).isInstanceOf(IllegalArgumentException.class);
    UUID nowhere = UUID.randomUUID();
    MergedSegment noFiles = new MergedSegment(m.indexName(), m.column(), nowhere, catalog.segmentDirectory(nowhere),
        m.replaced(), m.fragments(), m.template());
    assertThatThrownBy(() -> committer.commit(noFiles, props)).isInstanceOf(IllegalArgumentException.class);
    MergedSegment elsewhere = new MergedSegment(m.indexName(), m.column(), m.uuid(), tmp.resolve(m.uuid().toString()),
        m.replaced(), m.fragments(), m.template());
    assertThatThrownBy(() -> committer.commit(elsewhere, props)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> committer.commit(m, Map.of(CommitProperties.COMMIT_USER, USER)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> committer.commit(m, CommitProperties.of("someone-else", 1, "x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catalog.latestVersion()).isEqualTo(builtVersion);

    // The commit user is filled in when absent.
    CommitResult ok = committer.commit(m, Map.of(CommitProperties.MERGE_ID, "merge-ok"));
    assertThat(ok.outcome()).isEqualTo(CommitOutcome.COMMITTED);
    assertThat(catalog.transactionProperties(ok.version())).containsEntry(CommitProperties.COMMIT_USER, USER);
  }

  // ------------------------------------------------------------------------------------------------------------

  private UUID replace(LiveSegment seg, String column) {
    try {
      return LanceFixture.otherWriterReplaces(ds, seg, column);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private IndexDescription describe(String name) {
    return LanceFixture.withDataset(ds, d -> {
      Optional<IndexDescription> found = d.describeIndices().stream().filter(x -> x.getName().equals(name)).findFirst();
      return found.orElseThrow();
    });
  }

  private List<List<Hit>> knnOf(long... ids) throws IOException {
    List<List<Hit>> out = new ArrayList<>();
    for (long id : ids) {
      out.add(LanceFixture.knn(ds, id, 5));
    }
    return out;
  }
}
