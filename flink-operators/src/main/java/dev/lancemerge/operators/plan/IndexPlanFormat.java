package dev.lancemerge.operators.plan;

import dev.lancemerge.operators.io.Codec;
import dev.lancemerge.operators.io.Format;
import dev.lancemerge.operators.source.SegmentRecord;
import dev.lancemerge.operators.source.SegmentRecordFormat;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary form of an {@link IndexPlan} (the planner's state per index): version byte 1; index name; commit user;
 * segments (SEEN record, generation, arrival, nullable merge id); merges (windows); expected outputs (uuid,
 * generation); rejected uuids. Each list is a varint count followed by its items.
 */
public final class IndexPlanFormat implements Format<IndexPlan> {
  private static final long serialVersionUID = 1L;
  private static final int VERSION = 1;
  private static final int MAX_ITEMS = 1 << 24;

  @Override
  public Class<IndexPlan> type() {
    return IndexPlan.class;
  }

  /** The planner updates its plan in place: state snapshots need real copies (see {@link Format#immutable()}). */
  @Override
  public boolean immutable() {
    return false;
  }

  @Override
  public void write(IndexPlan p, DataOutputView out) throws IOException {
    out.writeByte(VERSION);
    Codec.writeString(out, p.indexName());
    Codec.writeString(out, p.commitUser());
    Codec.writeVarInt(out, p.segments.size());
    for (IndexPlan.Entry e : p.segments.values()) {
      SegmentRecordFormat.INSTANCE.write(SegmentRecord.of(e.seen), out);
      Codec.writeVarInt(out, e.generation);
      Codec.writeZigZag(out, e.arrivedAt);
      Codec.writeNullableString(out, e.mergeId);
    }
    Codec.writeVarInt(out, p.merges.size());
    for (MergeWindow w : p.merges.values()) {
      MergeEventFormat.writeWindow(w, out);
    }
    Codec.writeVarInt(out, p.expected.size());
    for (Map.Entry<UUID, Integer> e : p.expected.entrySet()) {
      Codec.writeUuid(out, e.getKey());
      Codec.writeVarInt(out, e.getValue());
    }
    Codec.writeVarInt(out, p.rejected.size());
    for (UUID u : p.rejected) {
      Codec.writeUuid(out, u);
    }
  }

  @Override
  public IndexPlan read(DataInputView in) throws IOException {
    int version = in.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("unknown index plan state version " + version);
    }
    IndexPlan p = new IndexPlan(Codec.readString(in), Codec.readString(in));
    int n = Codec.readVarInt(in, MAX_ITEMS, "segment count");
    for (int i = 0; i < n; i++) {
      var seen = SegmentRecordFormat.INSTANCE.read(in).seen();
      var e = new IndexPlan.Entry(seen, Codec.readVarInt(in, Integer.MAX_VALUE, "generation"), Codec.readZigZag(in),
          Codec.readNullableString(in));
      p.segments.put(seen.split().segmentUuid(), e);
    }
    n = Codec.readVarInt(in, MAX_ITEMS, "merge count");
    for (int i = 0; i < n; i++) {
      MergeWindow w = MergeEventFormat.readWindow(in);
      p.merges.put(w.mergeId(), w);
    }
    n = Codec.readVarInt(in, MAX_ITEMS, "expected count");
    for (int i = 0; i < n; i++) {
      p.expected.put(Codec.readUuid(in), Codec.readVarInt(in, Integer.MAX_VALUE, "generation"));
    }
    n = Codec.readVarInt(in, MAX_ITEMS, "rejected count");
    for (int i = 0; i < n; i++) {
      p.rejected.add(Codec.readUuid(in));
    }
    return p;
  }
}
