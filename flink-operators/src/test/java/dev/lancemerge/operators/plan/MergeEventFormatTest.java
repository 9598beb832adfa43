package dev.lancemerge.operators.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.operators.io.FormatSerializer;
import dev.lancemerge.operators.source.PartitionSlice;
import dev.lancemerge.operators.source.SegmentRecord;
import dev.lancemerge.operators.source.ZoneSlice;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Every merge event survives Flink serialization, and the serializer's snapshot restores the same format. */
class MergeEventFormatTest {
  private final FormatSerializer<MergeEvent> serializer = new FormatSerializer<>(new MergeEventFormat());

  @Test
  void everyKindRoundTrips() throws IOException {
    MergeWindow w = MergeWindow.of("user", 42, 1,
        List.of(IndexPlanTest.committed(0, 1), IndexPlanTest.staged(1, 2), IndexPlanTest.committed(2, 3)));
    UUID seg = UUID.randomUUID();
    List<MergeEvent> events = List.of(MergeEvent.open(w), MergeEvent.close(w.mergeId()), MergeEvent.retire(seg),
        MergeEvent.part(w.mergeId(), "idx/p/3", List.of(
            SegmentRecord.of(new PartitionSlice("idx", seg, 3, 100, 50, 50 * 72)),
            SegmentRecord.of(new ZoneSlice("idx", seg, 7, 0, 100, new byte[] {1, 2}, null, 3, 0)))));
    for (MergeEvent e : events) {
      assertThat(roundTrip(e)).isEqualTo(e);
    }
    assertThat(roundTrip(MergeEvent.open(w)).window().fragments()).containsExactly(0, 1, 2);
  }

  @Test
  void outputUuidDependsOnTheInputsNotTheirOrderAndAStagedSingleKeepsItsOwn() {
    var a = IndexPlanTest.committed(0, 1);
    var b = IndexPlanTest.committed(1, 2);
    assertThat(MergeWindow.of("u", 0, 1, List.of(a, b)).outputUuid())
        .isEqualTo(MergeWindow.of("other", 9, 2, List.of(b, a)).outputUuid())
        .isNotEqualTo(MergeWindow.of("u", 0, 1, List.of(a)).outputUuid());
    var staged = IndexPlanTest.staged(3, 0);
    assertThat(MergeWindow.of("u", 0, 1, List.of(staged)).isPassThrough()).isTrue();
    assertThat(MergeWindow.of("u", 0, 1, List.of(a)).isPassThrough()).isFalse();
  }

  @Test
  void snapshotRestoresTheFormatAndCorruptInputIsRefused() throws IOException {
    TypeSerializerSnapshot<MergeEvent> snap = serializer.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    snap.writeSnapshot(out);
    FormatSerializer.Snapshot<MergeEvent> restored = new FormatSerializer.Snapshot<>();
    restored.readSnapshot(snap.getCurrentVersion(), new DataInputDeserializer(out.getCopyOfBuffer()),
        getClass().getClassLoader());
    assertThat(restored.restoreSerializer()).isEqualTo(serializer);
    assertThat(restored.resolveSchemaCompatibility(snap).isCompatibleAsIs()).isTrue();
    assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(new byte[] {9})))
        .isInstanceOf(IOException.class).hasMessageContaining("unknown merge event kind 9");
  }

  private MergeEvent roundTrip(MergeEvent e) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(e, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    MergeEvent back = serializer.deserialize(in);
    assertThat(in.available()).isZero();
    return back;
  }
}
