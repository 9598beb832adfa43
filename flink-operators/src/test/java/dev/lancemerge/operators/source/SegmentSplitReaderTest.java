package dev.lancemerge.operators.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.kernel.vector.VectorSegment;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.oracle.RealLanceIndexes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.index.scalar.ZoneStats;

/** The split reader on real segments built by lance-core. */
class SegmentSplitReaderTest {
  static SourceFixture fx;

  @TempDir Path tmp;

  @BeforeAll
  static void build() {
    fx = SourceFixture.get();
  }

  /** Everything the split reader emits for {@code splits}, by split id, checking each split finishes once. */
  static Map<String, List<SegmentRecord>> readAll(List<SegmentSplit> splits) {
    SegmentSplitReader reader = new SegmentSplitReader();
    reader.handleSplitsChanges(new SplitsAddition<>(splits));
    Map<String, List<SegmentRecord>> out = new HashMap<>();
    List<String> finished = new ArrayList<>();
    for (int guard = 0; finished.size() < splits.size() && guard < 1000; guard++) {
      RecordsWithSplitIds<SegmentRecord> batch = reader.fetch();
      for (String id = batch.nextSplit(); id != null; id = batch.nextSplit()) {
        for (SegmentRecord r = batch.nextRecordFromSplit(); r != null; r = batch.nextRecordFromSplit()) {
          out.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        }
      }
      finished.addAll(batch.finishedSplits());
    }
    assertThat(finished).containsExactlyInAnyOrderElementsOf(splits.stream().map(SegmentSplit::splitId).toList());
    reader.close();
    return out;
  }

  @Test
  void vectorSegmentsGiveSeenThenOneSlicePerNonEmptyPartition() throws IOException {
    List<SegmentSplit> splits = fx.vectors.stream().map(s -> SegmentSplit.committed(s, 1)).toList();
    Map<String, List<SegmentRecord>> got = readAll(splits);
    long total = 0;
    for (SegmentSplit split : splits) {
      List<SegmentRecord> records = got.get(split.splitId());
      SegmentSeen seen = records.get(0).seen();
      assertThat(seen.split()).isEqualTo(split);
      assertThat(seen.rows()).isEqualTo(SourceFixture.ROWS);
      assertThat(seen.partitions()).isEqualTo(SourceFixture.PARTITIONS);
      assertThat(seen.bytes()).isEqualTo(split.bytes()).isPositive();
      List<PartitionSlice> slices = records.subList(1, records.size()).stream().map(SegmentRecord::partition).toList();
      assertThat(slices).hasSize(seen.slices());
      try (VectorSegment seg = VectorSegment.open(split.directoryPath())) {
        int nonEmpty = 0;
        for (int p = 0; p < seg.partitions(); p++) {
          nonEmpty += seg.length(p) > 0 ? 1 : 0;
        }
        assertThat(slices).hasSize(nonEmpty);
        for (PartitionSlice s : slices) {
          assertThat(s.indexName()).isEqualTo(SourceFixture.VEC_IDX);
          assertThat(s.segmentUuid()).isEqualTo(split.segmentUuid());
          assertThat(s.rowCount()).isPositive().isEqualTo(seg.length(s.partition()));
          assertThat(s.rowOffset()).isEqualTo(seg.offset(s.partition()));
          assertThat(s.bytes()).isEqualTo(s.rowCount() * (SourceFixture.DIM * 4 + 8));
        }
      }
      assertThat(slices.stream().mapToInt(PartitionSlice::partition)).isSorted().doesNotHaveDuplicates();
      long rows = slices.stream().mapToLong(PartitionSlice::rowCount).sum();
      assertThat(rows).isEqualTo(seen.rows());
      total += rows;
    }
    assertThat(total).isEqualTo(2L * SourceFixture.ROWS);
  }

  @Test
  void zoneMapSegmentsGiveOneZoneSliceMatchingLancesZones() {
    List<SegmentSplit> splits = fx.zoneMaps.stream().map(s -> SegmentSplit.committed(s, 1)).toList();
    Map<String, List<SegmentRecord>> got = readAll(splits);
    List<ZoneSlice> all = new ArrayList<>();
    for (SegmentSplit split : splits) {
      List<SegmentRecord> records = got.get(split.splitId());
      SegmentSeen seen = records.get(0).seen();
      assertThat(seen.partitions()).isZero();
      assertThat(seen.rows()).isEqualTo(SourceFixture.ROWS);
      List<ZoneSlice> zones = records.subList(1, records.size()).stream().map(SegmentRecord::zone).toList();
      assertThat(zones).hasSize(seen.slices()).hasSize((int) (SourceFixture.ROWS / SourceFixture.ROWS_PER_ZONE));
      assertThat(zones).allSatisfy(z -> {
        assertThat(z.segmentUuid()).isEqualTo(split.segmentUuid());
        assertThat(split.fragments()).contains((int) z.fragmentId());
      });
      all.addAll(zones);
    }
    // Lance's own view of the committed ZoneMap index: same zones, same statistics.
    assertThat(fx.zoneStats).hasSize(all.size());
    for (ZoneStats want : fx.zoneStats) {
      ZoneSlice z = all.stream()
          .filter(x -> x.fragmentId() == want.getFragmentId() && x.zoneStart() == want.getZoneStart())
          .findFirst().orElseThrow(() -> new AssertionError("no zone " + want));
      assertThat(z.zoneLength()).isEqualTo(want.getZoneLength());
      assertThat(z.nullCount()).isEqualTo(want.getNullCount()).isPositive();
      assertThat(z.nanCount()).isZero();
      assertThat(asLong(z.min())).isEqualTo(want.getMin());
      assertThat(asLong(z.max())).isEqualTo(want.getMax());
    }
  }

  private static Long asLong(byte[] b) {
    return b == null ? null : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Test
  void restoredSplitSkipsWhatWasAlreadyEmitted() {
    SegmentSplit split = SegmentSplit.committed(fx.vectors.get(0), 1);
    List<SegmentRecord> full = readAll(List.of(split)).get(split.splitId());
    List<SegmentRecord> rest = readAll(List.of(split.withRecordsEmitted(2))).get(split.splitId());
    assertThat(rest).isEqualTo(full.subList(2, full.size()));
    // A split that had emitted everything but was not finished before the checkpoint finishes with nothing.
    assertThat(readAll(List.of(split.withRecordsEmitted(full.size()))).get(split.splitId())).isNull();
  }

  @Test
  void truncatedMissingOrMislabelledSegmentsAreRejectedNotFatal() throws IOException {
    LiveSegment vec = fx.vectors.get(0);
    Path truncated = copy(vec.directory(), tmp.resolve("vec-truncated"));
    truncate(truncated.resolve("auxiliary.idx"));
    LiveSegment zm = fx.zoneMaps.get(0);
    Path zmTruncated = copy(zm.directory(), tmp.resolve("zm-truncated"));
    truncate(zmTruncated.resolve("zonemap.lance"));

    SegmentSplit badVec = splitAt(vec, SegmentKind.VECTOR, truncated);
    SegmentSplit badZm = splitAt(zm, SegmentKind.ZONEMAP, zmTruncated);
    SegmentSplit missing = splitAt(vec, SegmentKind.VECTOR, tmp.resolve("gone"));
    SegmentSplit wrongKind = splitAt(zm, SegmentKind.VECTOR, zm.directory());
    SegmentSplit hnsw = splitAt(vec, SegmentKind.VECTOR, fx.hnswDirectory);
    SegmentSplit good = SegmentSplit.committed(fx.vectors.get(1), 1);
    Map<String, List<SegmentRecord>> got = readAll(List.of(badVec, badZm, missing, wrongKind, hnsw, good));
    for (SegmentSplit bad : List.of(badVec, badZm, missing, wrongKind, hnsw)) {
      List<SegmentRecord> r = got.get(bad.splitId());
      assertThat(r).hasSize(1);
      assertThat(r.get(0).kind()).isEqualTo(SegmentRecord.Kind.REJECTED);
      assertThat(r.get(0).rejected().split()).isEqualTo(bad);
      assertThat(r.get(0).rejected().reason()).contains(bad.segmentUuid().toString()).doesNotContain("\n");
    }
    assertThat(got.get(badVec.splitId()).get(0).rejected().reason()).contains("auxiliary.idx");
    assertThat(got.get(hnsw.splitId()).get(0).rejected().reason()).contains("IVF_HNSW_SQ", "not mergeable yet");
    assertThat(got.get(good.splitId()).get(0).kind()).isEqualTo(SegmentRecord.Kind.SEEN);
  }

  @Test
  void sourceReaderPullsSplitsAndEmitsEverything() throws Exception {
    TestingReaderContext ctx = new TestingReaderContext();
    TestingReaderOutput<SegmentRecord> out = new TestingReaderOutput<>();
    SegmentSplit a = SegmentSplit.committed(fx.vectors.get(0), 1);
    SegmentSplit z = SegmentSplit.committed(fx.zoneMaps.get(1), 1);
    int expected = readAll(List.of(a, z)).values().stream().mapToInt(List::size).sum();
    try (SegmentSourceReader reader = new SegmentSourceReader(ctx)) {
      reader.start();
      assertThat(ctx.getNumSplitRequests()).isEqualTo(1);
      reader.addSplits(List.of(a, z));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (out.getEmittedRecords().size() < expected && System.nanoTime() < deadline) {
        if (reader.pollNext(out) == InputStatus.NOTHING_AVAILABLE) {
          try {
            reader.isAvailable().get(1, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            // poll again
          }
        }
      }
      for (int i = 0; i < 10; i++) {
        reader.pollNext(out); // let the reader notice the finished splits
      }
      assertThat(out.getEmittedRecords()).hasSize(expected);
      assertThat(out.getEmittedRecords().stream().filter(r -> r.kind() == SegmentRecord.Kind.SEEN)).hasSize(2);
      assertThat(reader.snapshotState(1)).isEmpty();
      assertThat(ctx.getNumSplitRequests()).isGreaterThan(1);
    }
  }

  private static SegmentSplit splitAt(LiveSegment s, SegmentKind kind, Path dir) {
    return new SegmentSplit(SegmentSplit.Origin.COMMITTED, s.indexName(), UUID.randomUUID(), kind, dir.toString(), s.bytes(),
        new TreeSet<>(s.fragments()), s.datasetVersion(), null, 1, 0);
  }

  private static Path copy(Path from, Path to) throws IOException {
    RealLanceIndexes.copyTree(from, to);
    return to;
  }

  private static void truncate(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    assertThat(Files.size(file)).isPositive();
  }
}
