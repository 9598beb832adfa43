package dev.lancemerge.operators.lance;

import static dev.lancemerge.operators.lance.LanceFixture.VEC_IDX;
import static dev.lancemerge.operators.lance.LanceFixture.ZONE_IDX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.oracle.RealLanceIndexes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommittedMergesTest {
  @TempDir static Path shared;
  static Path template;
  static long builtVersion;

  @TempDir Path tmp;

  @BeforeAll
  static void build() throws IOException {
    template = shared.resolve("template");
    builtVersion = LanceFixture.create(template);
  }

  @Test
  void walksRecentVersionsOfOneCommitUserWithinBounds() throws IOException {
    Path ds = tmp.resolve("ds");
    RealLanceIndexes.copyTree(template, ds);
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      SegmentCommitter alice = new SegmentCommitter(c, CommittedMerges.startingAfter("alice", builtVersion, 100));
      SegmentCommitter bob = new SegmentCommitter(c, CommittedMerges.startingAfter("bob", builtVersion, 100));
      List<LiveSegment> vec = LanceFixture.sorted(c, VEC_IDX);
      List<LiveSegment> z = LanceFixture.sorted(c, ZONE_IDX);
      long b = builtVersion;
      // b+1: alice cp 5 merge a1; b+2: bob cp 50; b+3: config change; b+4: alice cp 6 merge a2
      assertThat(alice.commitMerged(LanceFixture.mergeVector(c, vec.subList(0, 2)),
          CommitProperties.of("alice", 5, "a1"))).isEqualTo(CommitOutcome.COMMITTED);
      assertThat(bob.commitMerged(LanceFixture.mergeZoneMap(c, z.subList(0, 2)),
          CommitProperties.of("bob", 50, "b1"))).isEqualTo(CommitOutcome.COMMITTED);
      LanceFixture.otherWriterUpdatesConfig(ds, "k", "v");
      assertThat(alice.commitMerged(LanceFixture.mergeVector(c, vec.subList(2, 4)),
          CommitProperties.of("alice", 6, "a2"))).isEqualTo(CommitOutcome.COMMITTED);
      assertThat(c.latestVersion()).isEqualTo(b + 4);

      CommittedMerges all = CommittedMerges.scan(c, "alice", 0, 100);
      assertThat(all.mergeIds()).containsExactlyInAnyOrder("a1", "a2");
      assertThat(all.find("a1").orElseThrow().version()).isEqualTo(b + 1);
      assertThat(all.find("a2").orElseThrow().checkpointId()).isEqualTo(OptionalLong.of(6));
      assertThat(all.maxCheckpointId()).hasValue(6);
      assertThat(all.complete()).isTrue();
      assertThat(all.versionsRead()).isEqualTo((int) (b + 4));

      CommittedMerges bobs = CommittedMerges.scan(c, "bob", 0, 100);
      assertThat(bobs.mergeIds()).containsExactly("b1");
      assertThat(bobs.maxCheckpointId()).hasValue(50);

      // Bounded by the version in the job's state (exclusive): only b+2..b+4 read.
      CommittedMerges since = CommittedMerges.scan(c, "alice", b + 1, 100);
      assertThat(since.mergeIds()).containsExactly("a2");
      assertThat(since.versionsRead()).isEqualTo(3);
      assertThat(since.oldestRead()).isEqualTo(b + 2);
      assertThat(since.complete()).isTrue();

      // Bounded by a number of versions: only the last 2 read, so a1 is not seen and the walk says so.
      CommittedMerges lastTwo = CommittedMerges.scan(c, "alice", 0, 2);
      assertThat(lastTwo.mergeIds()).containsExactly("a2");
      assertThat(lastTwo.versionsRead()).isEqualTo(2);
      assertThat(lastTwo.complete()).isFalse();

      // Incremental refresh reads only the new versions.
      CommittedMerges inc = CommittedMerges.scan(c, "alice", b, 100);
      int read = inc.versionsRead();
      LanceFixture.otherWriterUpdatesConfig(ds, "k", "w");
      inc.refresh(c);
      assertThat(inc.versionsRead()).isEqualTo(read + 1);
      assertThat(inc.scannedUpTo()).isEqualTo(b + 5);
      inc.refresh(c);
      assertThat(inc.versionsRead()).isEqualTo(read + 1);
      assertThat(inc.mergeIds()).containsExactlyInAnyOrder("a1", "a2");
      assertThat(c.transactionProperties(b + 5)).isEqualTo(Map.of());
    }
  }
}
