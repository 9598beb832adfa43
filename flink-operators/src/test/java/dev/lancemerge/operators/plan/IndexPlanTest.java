package dev.lancemerge.operators.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.policy.TieredMergePolicy;
import dev.lancemerge.operators.source.SegmentSeen;
import dev.lancemerge.operators.source.SegmentSplit;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

public class IndexPlanTest {
  static final TieredMergePolicy POLICY =
      new TieredMergePolicy(TieredMergePolicy.Config.defaults().withMaxDelay(Duration.ofSeconds(1)));

  public static SegmentSeen committed(int fragment, long at) {
    SegmentSplit s = new SegmentSplit(SegmentSplit.Origin.COMMITTED, "idx", UUID.randomUUID(), SegmentKind.VECTOR,
        "/ds/_indices/x", 20_000, new TreeSet<>(Set.of(fragment)), 3, null, at, 0);
    return new SegmentSeen(s, 300, 4, 4, 20_000);
  }

  public static SegmentSeen staged(int fragment, long at) {
    SegmentSplit s = new SegmentSplit(SegmentSplit.Origin.STAGED, "idx", UUID.randomUUID(), SegmentKind.VECTOR,
        "/ds/_indices/y", 20_000, new TreeSet<>(Set.of(fragment)), -1, "/staging/d" + fragment + ".json", at, 0);
    return new SegmentSeen(s, 300, 4, 4, 20_000);
  }

  @Test
  void smallSegmentsAreMergedOnceTheirDelayPassesAndLeaveWhenTheOutputIsSeen() {
    IndexPlan p = new IndexPlan("idx", "user");
    List<SegmentSeen> in = List.of(committed(0, 1000), committed(1, 1000), committed(2, 1100), committed(3, 1200));
    for (SegmentSeen s : in) {
      assertThat(p.onSeen(s, 1300).rejections()).isEmpty();
    }
    assertThat(p.plan(POLICY, 1500).events()).isEmpty();
    assertThat(p.nextDeadline(POLICY, 1500)).isEqualTo(2000);
    IndexPlan.Step step = p.plan(POLICY, 2300);
    assertThat(step.events()).hasSize(1);
    MergeWindow w = step.events().get(0).window();
    assertThat(w.inputs()).containsExactlyInAnyOrderElementsOf(in);
    assertThat(w.fragments()).containsExactly(0, 1, 2, 3);
    assertThat(p.plan(POLICY, 5000).events()).as("inputs are taken").isEmpty();

    SegmentSplit out = new SegmentSplit(SegmentSplit.Origin.COMMITTED, "idx", w.outputUuid(), SegmentKind.VECTOR,
        "/ds/_indices/" + w.outputUuid(), 80_000, w.fragments(), 7, null, 6000, 0);
    IndexPlan.Step done = p.onSeen(new SegmentSeen(out, 1200, 4, 4, 80_000), 6000);
    assertThat(done.events()).extracting(MergeEvent::kind)
        .containsExactly(MergeEvent.Kind.RETIRE, MergeEvent.Kind.RETIRE, MergeEvent.Kind.RETIRE,
            MergeEvent.Kind.RETIRE, MergeEvent.Kind.CLOSE);
    assertThat(p.liveSegments()).isEqualTo(1);
    assertThat(p.segments().iterator().next().generation()).isEqualTo(1);
    assertThat(p.plan(POLICY, 60_000).events()).as("a merged segment is not pending").isEmpty();
  }

  @Test
  void aLoneOverdueCommittedSegmentWaitsForCompanyWithoutATimer() {
    IndexPlan p = new IndexPlan("idx", "user");
    SegmentSeen a = committed(0, 0);
    p.onSeen(a, 0);
    assertThat(p.plan(POLICY, 5000).events()).isEmpty();
    assertThat(p.nextDeadline(POLICY, 5000)).isEqualTo(Long.MAX_VALUE);
    SegmentSeen b = committed(1, 6000);
    p.onSeen(b, 6000);
    assertThat(p.nextDeadline(POLICY, 6000)).isEqualTo(7000);
    assertThat(p.plan(POLICY, 6000).events()).singleElement()
        .satisfies(e -> assertThat(e.window().inputs()).containsExactly(a, b));
  }

  @Test
  void overlappingNewcomerIsRejectedAndAnInputThatLeftReleasesTheRest() {
    IndexPlan p = new IndexPlan("idx", "user");
    SegmentSeen a = committed(0, 0);
    SegmentSeen b = committed(1, 0);
    p.onSeen(a, 0);
    p.onSeen(b, 0);
    assertThat(p.onSeen(staged(1, 0), 0).rejections()).singleElement()
        .satisfies(r -> assertThat(r.reason()).contains("covers fragments [1]"));
    MergeWindow w = p.plan(POLICY, 5000).events().get(0).window();
    // b was replaced by another writer: the merge is given up, a is available again, b is forgotten.
    IndexPlan.Step step = p.reconcile(Set.of(a.split().segmentUuid()), d -> true, 5100, 60_000);
    assertThat(step.abandoned()).containsExactly(w);
    assertThat(step.events()).extracting(Object::toString)
        .containsExactly("CLOSE " + w.mergeId(), "RETIRE " + b.split().segmentUuid());
    assertThat(p.liveSegments()).isEqualTo(1);
    assertThat(p.segments().iterator().next().mergeId()).isNull();
  }

  @Test
  void aCommittedNewcomerReplacesStaleOverlappingSegmentsAndReleasesTheirMerge() {
    IndexPlan p = new IndexPlan("idx", "user");
    SegmentSeen a = staged(0, 0);
    SegmentSeen b = committed(1, 0);
    p.onSeen(a, 0);
    p.onSeen(b, 0);
    MergeWindow w = p.plan(POLICY, 5000).events().get(0).window();
    // Someone else committed a segment covering fragment 0 (a's): a is stale, its merge cannot commit.
    SegmentSeen other = committed(0, 6000);
    IndexPlan.Step step = p.onSeen(other, 6000);
    assertThat(step.rejections()).isEmpty();
    assertThat(step.abandoned()).containsExactly(w);
    assertThat(step.events()).extracting(Object::toString)
        .containsExactly("CLOSE " + w.mergeId(), "RETIRE " + a.split().segmentUuid());
    assertThat(p.segments()).extracting(IndexPlan.Entry::seen).containsExactlyInAnyOrder(b, other);
    assertThat(p.descriptorPaths()).isEmpty();
  }

  @Test
  void mergeTimesOutAndStagedPassThroughKeepsItsUuid() {
    IndexPlan p = new IndexPlan("idx", "user");
    SegmentSeen s = staged(4, 0);
    p.onSeen(s, 0);
    MergeWindow w = p.plan(POLICY, 2000).events().get(0).window();
    assertThat(w.isPassThrough()).isTrue();
    assertThat(w.outputUuid()).isEqualTo(s.split().segmentUuid());
    assertThat(p.reconcile(Set.of(), d -> true, 3000, 10_000).abandoned()).isEmpty();
    assertThat(p.reconcile(Set.of(), d -> true, 13_000, 10_000).abandoned()).containsExactly(w);
    // Committed as it is: the segment stays, now as a committed one with generation >= 1.
    MergeWindow again = p.plan(POLICY, 13_000).events().get(0).window();
    IndexPlan.Step step = p.reconcile(Set.of(s.split().segmentUuid()), d -> false, 14_000, 10_000);
    assertThat(step.resolved()).containsExactly(again);
    assertThat(p.segments().iterator().next().seen().split().origin()).isEqualTo(SegmentSplit.Origin.COMMITTED);
  }

  @Test
  void stateRoundTrips() throws Exception {
    IndexPlan p = new IndexPlan("idx", "user");
    p.onSeen(committed(0, 0), 0);
    p.onSeen(staged(1, 0), 0);
    p.plan(POLICY, 5000);
    p.onSeen(committed(2, 6000), 6000);
    IndexPlanFormat f = new IndexPlanFormat();
    DataOutputSerializer out = new DataOutputSerializer(64);
    f.write(p, out);
    IndexPlan back = f.read(new DataInputDeserializer(out.getCopyOfBuffer()));
    DataOutputSerializer again = new DataOutputSerializer(64);
    f.write(back, again);
    assertThat(again.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    assertThat(back.merges()).hasSize(1);
    assertThat(back.liveSegments()).isEqualTo(3);
  }
}
