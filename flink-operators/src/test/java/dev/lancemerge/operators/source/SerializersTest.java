package dev.lancemerge.operators.source;

import dev.lancemerge.operators.io.FormatSerializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.staging.StagedIndexType;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SerializersTest {
  static final UUID U = UUID.fromString("0f8e2c1a-7b3d-4e5f-9a6b-1c2d3e4f5a6b");

  static SegmentSplit committed() {
    return SegmentSplit.committed(Fakes.live("vec_idx", U, SegmentKind.VECTOR, 3, 7, 1000, 1_000_000), 1_780_000_000_123L);
  }

  static SegmentSplit staged() {
    return SegmentSplit.staged(Fakes.staged("z_idx", UUID.randomUUID(), StagedIndexType.ZONEMAP, 4), 300, 5L);
  }

  @Test
  void splitsRoundTrip() throws IOException {
    SegmentSplit wide = new SegmentSplit(SegmentSplit.Origin.COMMITTED, "vec_idx", UUID.randomUUID(), SegmentKind.VECTOR,
        "/d/_indices/x", 1L << 40, new TreeSet<>(IntStream.range(0, 5000).map(i -> i * 3).boxed().toList()), 99, null,
        -1, 12);
    SegmentSplit unknownVersion = new SegmentSplit(SegmentSplit.Origin.STAGED, "z", UUID.randomUUID(),
        SegmentKind.ZONEMAP, "/d/_indices/y", 0, new TreeSet<>(List.of(Integer.MAX_VALUE)),
        SegmentSplit.UNKNOWN_VERSION, "/s/a.json", 0, 0);
    for (SegmentSplit s : List.of(committed(), staged(), committed().withRecordsEmitted(17), wide, unknownVersion)) {
      byte[] b = SegmentSplitSerializer.INSTANCE.serialize(s);
      SegmentSplit back = SegmentSplitSerializer.INSTANCE.deserialize(SegmentSplitSerializer.VERSION, b);
      assertThat(back).isEqualTo(s);
      assertThat(back.splitId()).isEqualTo(s.splitId());
    }
    assertThat(committed().splitId()).isEqualTo("committed:" + U);
    assertThat(staged().splitId()).startsWith("staged:");
    assertThat(staged().descriptorName()).endsWith(".json");
    // Compact: a per-fragment split is about a hundred bytes, 5,000 fragments about 2 bytes each.
    assertThat(SegmentSplitSerializer.INSTANCE.serialize(committed()).length).isLessThan(120);
    assertThat(SegmentSplitSerializer.INSTANCE.serialize(wide).length).isLessThan(5000 * 2 + 100);
  }

  @Test
  void unknownVersionsAndGarbageAreRefused() throws IOException {
    byte[] b = SegmentSplitSerializer.INSTANCE.serialize(committed());
    assertThatThrownBy(() -> SegmentSplitSerializer.INSTANCE.deserialize(2, b)).isInstanceOf(IOException.class)
        .hasMessageContaining("version 2");
    byte[] trailing = java.util.Arrays.copyOf(b, b.length + 1);
    assertThatThrownBy(() -> SegmentSplitSerializer.INSTANCE.deserialize(1, trailing)).isInstanceOf(IOException.class);
    byte[] cut = java.util.Arrays.copyOf(b, b.length / 2);
    assertThatThrownBy(() -> SegmentSplitSerializer.INSTANCE.deserialize(1, cut)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> EnumeratorStateSerializer.INSTANCE.deserialize(9, new byte[12]))
        .isInstanceOf(IOException.class);
  }

  @Test
  void enumeratorStateRoundTrips() throws IOException {
    for (EnumeratorState st : List.of(EnumeratorState.empty(),
        new EnumeratorState(42, List.of(committed(), staged()), List.of(committed().withRecordsEmitted(3))))) {
      byte[] b = EnumeratorStateSerializer.INSTANCE.serialize(st);
      assertThat(EnumeratorStateSerializer.INSTANCE.deserialize(EnumeratorStateSerializer.VERSION, b)).isEqualTo(st);
    }
    assertThat(EnumeratorStateSerializer.INSTANCE.serialize(EnumeratorState.empty())).hasSize(11);
  }

  static List<SegmentRecord> records() {
    UUID u = UUID.randomUUID();
    return List.of(
        SegmentRecord.of(new SegmentSeen(committed(), 1234, 16, 15, 99_000)),
        SegmentRecord.of(new PartitionSlice("vec_idx", u, 7, 100, 25, 25 * 72)),
        SegmentRecord.of(new ZoneSlice("z_idx", u, 3, 8192, 8192, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, null, 2, 0)),
        SegmentRecord.of(new ZoneSlice("z_idx", u, 1L << 33, 0, 1, new byte[0], "zzz".getBytes(), 0, 5)),
        SegmentRecord.of(new SegmentRejected(staged(), "segment x cannot be read: auxiliary.idx: truncated")));
  }

  @Test
  void recordsRoundTripThroughTheirTypeSerializer() throws IOException {
    TypeInformation<SegmentRecord> info = TypeInformation.of(SegmentRecord.class);
    assertThat(info).isEqualTo(SegmentRecordTypeInfo.INSTANCE);
    TypeSerializer<SegmentRecord> ser = info.createSerializer(new SerializerConfigImpl());
    assertThat(ser).isEqualTo(new FormatSerializer<>(SegmentRecordFormat.INSTANCE));
    for (SegmentRecord r : records()) {
      DataOutputSerializer out = new DataOutputSerializer(64);
      ser.serialize(r, out);
      byte[] bytes = out.getCopyOfBuffer();
      SegmentRecord back = ser.deserialize(new DataInputDeserializer(bytes));
      assertThat(back).isEqualTo(r);
      assertThat(back.kind()).isEqualTo(r.kind());
      assertThat(back.segmentUuid()).isEqualTo(r.segmentUuid());
      assertThat(back.indexName()).isEqualTo(r.indexName());
      // copy(in, out) copies the bytes exactly
      DataOutputSerializer copy = new DataOutputSerializer(64);
      ser.copy(new DataInputDeserializer(bytes), copy);
      assertThat(copy.getCopyOfBuffer()).isEqualTo(bytes);
      if (r.kind() == SegmentRecord.Kind.PARTITION) {
        assertThat(bytes.length).isLessThan(40);
      }
    }
    assertThatThrownBy(() -> records().get(1).zone()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void serializerSnapshotRestoresTheSameSerializer() throws IOException {
    TypeSerializer<SegmentRecord> ser = new FormatSerializer<>(SegmentRecordFormat.INSTANCE);
    TypeSerializerSnapshot<SegmentRecord> snap = ser.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
    TypeSerializerSnapshot<SegmentRecord> read = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(read.restoreSerializer()).isEqualTo(ser);
    TypeSerializerSchemaCompatibility<SegmentRecord> c = ser.snapshotConfiguration().resolveSchemaCompatibility(read);
    assertThat(c.isCompatibleAsIs()).isTrue();
  }
}
