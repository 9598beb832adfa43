package dev.lancemerge.operators.source;

import static dev.lancemerge.operators.source.Fakes.live;
import static dev.lancemerge.operators.source.Fakes.staged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.staging.StagedIndexType;
import dev.lancemerge.operators.staging.StagedSegment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SegmentEnumeratorTest {
  static final String VEC = "vec_idx";
  static final String ZONES = "z_idx";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-28T10:15:30Z"), ZoneOffset.UTC);

  TestingSplitEnumeratorContext<SegmentSplit> ctx;
  Fakes.Manifest manifest;

  @BeforeEach
  void setUp() {
    ctx = new TestingSplitEnumeratorContext<>(2);
    ctx.registerReader(0, "host-0");
    ctx.registerReader(1, "host-1");
    manifest = new Fakes.Manifest();
  }

  SegmentEnumerator enumerator(Fakes.Staging staging, EnumeratorState state) {
    SegmentEnumerator e = new SegmentEnumerator(ctx, Set.of(VEC, ZONES), 1000, manifest, staging, CLOCK, state);
    e.start();
    return e;
  }

  void discover() {
    ctx.getExecutorService().triggerPeriodicScheduledTasks();
  }

  List<SegmentSplit> assignedTo(int reader) {
    var s = ctx.getSplitAssignments().get(reader);
    return s == null ? List.of() : s.getAssignedSplits();
  }

  List<SegmentSplit> allAssigned() {
    List<SegmentSplit> out = new ArrayList<>(assignedTo(0));
    out.addAll(assignedTo(1));
    return out;
  }

  static Set<String> ids(List<SegmentSplit> splits) {
    Set<String> out = new java.util.HashSet<>();
    for (SegmentSplit s : splits) {
      out.add(s.splitId());
    }
    return out;
  }

  static Set<String> ids(EnumeratorState st) {
    Set<String> out = ids(st.pending());
    out.addAll(ids(st.assigned()));
    return out;
  }

  @Test
  void discoveryCreatesOneSplitPerSegmentOnceAndIgnoresOtherKinds() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID z = UUID.randomUUID();
    manifest.add(live(VEC, a, SegmentKind.VECTOR, 0), live(VEC, b, SegmentKind.VECTOR, 1),
        live(ZONES, z, SegmentKind.ZONEMAP, 0), live(VEC, UUID.randomUUID(), SegmentKind.OTHER, 2),
        live("not_configured", UUID.randomUUID(), SegmentKind.VECTOR, 0));
    SegmentEnumerator e = enumerator(null, EnumeratorState.empty());
    discover();
    discover();
    discover();
    EnumeratorState st = e.snapshotState(1);
    assertThat(st.lastVersion()).isEqualTo(manifest.version);
    assertThat(st.pending()).hasSize(3);
    assertThat(ids(st)).containsExactlyInAnyOrder("committed:" + a, "committed:" + b, "committed:" + z);
    SegmentSplit sa = st.pending().stream().filter(s -> s.segmentUuid().equals(a)).findFirst().orElseThrow();
    assertThat(sa.origin()).isEqualTo(SegmentSplit.Origin.COMMITTED);
    assertThat(sa.kind()).isEqualTo(SegmentKind.VECTOR);
    assertThat(sa.fragments()).containsExactly(0);
    assertThat(sa.discoveredAt()).isEqualTo(CLOCK.millis());
    assertThat(sa.directory()).endsWith("_indices/" + a);

    // Readers pull one split per request; five requests for three splits: each split handed out once.
    for (int i = 0; i < 5; i++) {
      e.handleSplitRequest(i % 2, "host");
    }
    discover();
    assertThat(allAssigned()).hasSize(3);
    assertThat(ids(allAssigned())).hasSize(3);
    assertThat(assignedTo(0)).isNotEmpty();
    assertThat(assignedTo(1)).isNotEmpty();
    assertThat(e.snapshotState(2).pending()).isEmpty();
    assertThat(e.snapshotState(2).assigned()).hasSize(3);
  }

  @Test
  void waitingRequestIsServedWhenDiscoveryFindsASegment() {
    SegmentEnumerator e = enumerator(null, EnumeratorState.empty());
    e.handleSplitRequest(1, "host-1");
    discover();
    assertThat(allAssigned()).isEmpty();
    UUID a = UUID.randomUUID();
    manifest.add(live(VEC, a, SegmentKind.VECTOR, 0));
    discover();
    assertThat(ids(assignedTo(1))).containsExactly("committed:" + a);
  }

  @Test
  void replacedSegmentsLeaveTheInFlightSet() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    manifest.add(live(VEC, a, SegmentKind.VECTOR, 0), live(VEC, b, SegmentKind.VECTOR, 1),
        live(VEC, c, SegmentKind.VECTOR, 2));
    SegmentEnumerator e = enumerator(null, EnumeratorState.empty());
    discover();
    e.handleSplitRequest(0, "host-0"); // a assigned, b and c pending
    // A merge of a and b is committed: the manifest lists m in their place.
    UUID m = UUID.randomUUID();
    manifest.remove(a, b).add(live(VEC, m, SegmentKind.VECTOR, 0, 1));
    discover();
    EnumeratorState st = e.snapshotState(1);
    assertThat(ids(st)).containsExactlyInAnyOrder("committed:" + c, "committed:" + m);
    assertThat(st.assigned()).isEmpty();
    assertThat(st.lastVersion()).isEqualTo(manifest.version);
    // The reader holding a fails: a is not revived.
    e.addSplitsBack(assignedTo(0), 0);
    assertThat(ids(e.snapshotState(2))).containsExactlyInAnyOrder("committed:" + c, "committed:" + m);
  }

  @Test
  void stateStaysBoundedOverThousandDiscoveredAndReplacedSegments() throws Exception {
    UUID[] slot = new UUID[4];
    for (int i = 0; i < 4; i++) {
      slot[i] = UUID.randomUUID();
      manifest.add(live(VEC, slot[i], SegmentKind.VECTOR, i));
    }
    SegmentEnumerator e = enumerator(null, EnumeratorState.empty());
    discover();
    for (int i = 0; i < 4; i++) {
      e.handleSplitRequest(i % 2, "host");
    }
    int first = EnumeratorStateSerializer.INSTANCE.serialize(e.snapshotState(0)).length;
    List<Integer> sizes = new ArrayList<>();
    Set<UUID> seen = new java.util.HashSet<>();
    for (int round = 0; round < 1000; round++) {
      // A merge replaced the segment of one slot by a new segment over the same fragment.
      int i = round % 4;
      UUID next = UUID.randomUUID();
      manifest.remove(slot[i]).add(live(VEC, next, SegmentKind.VECTOR, i));
      slot[i] = next;
      discover();
      e.handleSplitRequest(round % 2, "host");
      EnumeratorState st = e.snapshotState(round + 1);
      assertThat(st.inFlight()).isEqualTo(4);
      assertThat(st.pending()).isEmpty();
      sizes.add(EnumeratorStateSerializer.INSTANCE.serialize(st).length);
    }
    for (SegmentSplit s : allAssigned()) {
      seen.add(s.segmentUuid());
    }
    // 1,004 segments went through and were handed out, each once...
    assertThat(allAssigned()).hasSize(1004);
    assertThat(seen).hasSize(1004);
    // ...yet the checkpointed state holds only the 4 live ones: its size does not grow with history.
    assertThat(sizes).allSatisfy(s -> assertThat(s).isEqualTo(first));
    assertThat(first).isLessThan(4 * 200 + 64);
  }

  @Test
  void snapshotAndRestoreRoundTrip() throws Exception {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    manifest.add(live(VEC, a, SegmentKind.VECTOR, 0), live(VEC, b, SegmentKind.VECTOR, 1),
        live(ZONES, c, SegmentKind.ZONEMAP, 0, 1));
    Fakes.Staging staging = new Fakes.Staging();
    StagedSegment s = staged(VEC, UUID.randomUUID(), StagedIndexType.IVF_PQ, 2);
    staging.announce(s);
    SegmentEnumerator e = enumerator(staging, EnumeratorState.empty());
    discover();
    e.handleSplitRequest(0, "host-0");
    EnumeratorState st = e.snapshotState(7);
    assertThat(st.assigned()).hasSize(1);
    assertThat(st.pending()).hasSize(3);

    byte[] bytes = EnumeratorStateSerializer.INSTANCE.serialize(st);
    EnumeratorState back = EnumeratorStateSerializer.INSTANCE.deserialize(EnumeratorStateSerializer.VERSION, bytes);
    assertThat(back).isEqualTo(st);

    // A new enumerator from the restored state: nothing rediscovered, pending ones handed out on request.
    ctx = new TestingSplitEnumeratorContext<>(2);
    ctx.registerReader(0, "host-0");
    ctx.registerReader(1, "host-1");
    SegmentEnumerator r = enumerator(staging, back);
    discover();
    assertThat(r.snapshotState(8)).isEqualTo(st);
    assertThat(staging.skips.get(staging.skips.size() - 1)).containsExactly(s.fileName());
    for (int i = 0; i < 4; i++) {
      r.handleSplitRequest(1, "host-1");
    }
    assertThat(ids(assignedTo(1))).isEqualTo(ids(st.pending()));
    assertThat(ids(assignedTo(1))).doesNotContainAnyElementsOf(ids(st.assigned()));
    r.close();
    assertThat(manifest.closed).isTrue();
  }

  @Test
  void splitsAddedBackAreAssignedAgain() {
    UUID a = UUID.randomUUID();
    manifest.add(live(VEC, a, SegmentKind.VECTOR, 0));
    SegmentEnumerator e = enumerator(null, EnumeratorState.empty());
    discover();
    e.handleSplitRequest(0, "host-0");
    assertThat(ids(assignedTo(0))).containsExactly("committed:" + a);
    e.addSplitsBack(List.copyOf(assignedTo(0)), 0);
    EnumeratorState st = e.snapshotState(1);
    assertThat(ids(st.pending())).containsExactly("committed:" + a);
    assertThat(st.assigned()).isEmpty();
    e.handleSplitRequest(1, "host-1");
    assertThat(ids(assignedTo(1))).containsExactly("committed:" + a);
    discover(); // still live: not created a second time
    assertThat(e.snapshotState(2).inFlight()).isEqualTo(1);
  }

  @Test
  void discoveryFailuresAreRetriedNotFatal() {
    UUID a = UUID.randomUUID();
    manifest.add(live(VEC, a, SegmentKind.VECTOR, 0));
    manifest.failures = 2;
    SegmentEnumerator e = enumerator(null, EnumeratorState.empty());
    discover();
    discover();
    assertThat(e.snapshotState(1).inFlight()).isZero();
    assertThat(e.snapshotState(1).lastVersion()).isEqualTo(EnumeratorState.NO_VERSION);
    discover();
    assertThat(ids(e.snapshotState(2))).containsExactly("committed:" + a);
    assertThat(manifest.calls).isEqualTo(3);
  }

  @Test
  void stagedSegmentsComeAndGoWithTheirDescriptors() {
    Fakes.Staging staging = new Fakes.Staging();
    UUID committedToo = UUID.randomUUID();
    manifest.add(live(VEC, committedToo, SegmentKind.VECTOR, 5));
    StagedSegment v = staged(VEC, UUID.randomUUID(), StagedIndexType.IVF_FLAT, 3, 4);
    StagedSegment z = staged(ZONES, UUID.randomUUID(), StagedIndexType.ZONEMAP, 3);
    StagedSegment foreign = staged("other_idx", UUID.randomUUID(), StagedIndexType.IVF_FLAT, 6);
    StagedSegment alreadyCommitted = staged(VEC, committedToo, StagedIndexType.IVF_FLAT, 5);
    staging.announce(v).announce(z).announce(foreign).announce(alreadyCommitted);
    SegmentEnumerator e = enumerator(staging, EnumeratorState.empty());
    discover();
    EnumeratorState st = e.snapshotState(1);
    assertThat(ids(st)).containsExactlyInAnyOrder("committed:" + committedToo,
        "staged:" + v.descriptor().segmentUuid(), "staged:" + z.descriptor().segmentUuid());
    SegmentSplit sv = st.pending().stream().filter(x -> x.segmentUuid().equals(v.descriptor().segmentUuid()))
        .findFirst().orElseThrow();
    assertThat(sv.origin()).isEqualTo(SegmentSplit.Origin.STAGED);
    assertThat(sv.kind()).isEqualTo(SegmentKind.VECTOR);
    assertThat(sv.fragments()).containsExactly(3, 4);
    assertThat(sv.descriptorPath()).isEqualTo(v.descriptorFile().toString());
    assertThat(sv.datasetVersion()).isEqualTo(3);
    assertThat(sv.bytes()).isEqualTo(1300);
    SegmentSplit sz = st.pending().stream().filter(x -> x.segmentUuid().equals(z.descriptor().segmentUuid()))
        .findFirst().orElseThrow();
    assertThat(sz.kind()).isEqualTo(SegmentKind.ZONEMAP);

    // In-flight descriptors are skipped by later scans; nothing is created twice.
    discover();
    assertThat(staging.skips.get(staging.skips.size() - 1)).contains(v.fileName(), z.fileName());
    assertThat(e.snapshotState(2).inFlight()).isEqualTo(3);

    // The committer marks v done (its merge is committed): v leaves, even while assigned.
    e.handleSplitRequest(0, "h");
    e.handleSplitRequest(0, "h");
    e.handleSplitRequest(0, "h");
    staging.done(v);
    discover();
    assertThat(ids(e.snapshotState(3))).containsExactlyInAnyOrder("committed:" + committedToo,
        "staged:" + z.descriptor().segmentUuid());
  }

  @Test
  void aStagedSegmentCommittedAsItIsIsHandedOverOnceItsDescriptorIsDone() {
    Fakes.Staging staging = new Fakes.Staging();
    UUID u = UUID.randomUUID();
    StagedSegment v = staged(VEC, u, StagedIndexType.IVF_FLAT, 3);
    staging.announce(v);
    SegmentEnumerator e = enumerator(staging, EnumeratorState.empty());
    discover();
    e.handleSplitRequest(0, "h");
    assertThat(ids(assignedTo(0))).containsExactly("staged:" + u);
    // The committer commits the lone staged segment unmerged; its descriptor is not marked done yet.
    manifest.add(live(VEC, u, SegmentKind.VECTOR, 3));
    discover();
    assertThat(ids(e.snapshotState(1))).containsExactly("staged:" + u);
    staging.done(v);
    discover();
    assertThat(ids(e.snapshotState(2))).isEmpty();
    discover();
    assertThat(ids(e.snapshotState(3))).containsExactly("committed:" + u);
  }
}
