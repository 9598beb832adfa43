package dev.lancemerge.operators.source;

import dev.lancemerge.operators.io.Codec;
import java.io.IOException;
import java.util.UUID;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link SegmentRecord}s (records are immutable, so copies are the record itself). Format: one
 * byte kind, then
 *
 * <ul>
 *   <li>SEEN: split ({@link SegmentSplitSerializer} format, current version), varlong rows, varint partitions,
 *       varint slices, varlong bytes;
 *   <li>PARTITION: string index, uuid (2 longs), varint partition, varlong row offset, varlong row count, varlong
 *       bytes;
 *   <li>ZONE: string index, uuid, varlong fragment id, varlong zone start, varlong zone length, nullable bytes min,
 *       nullable bytes max, varlong null count, varlong NaN count;
 *   <li>REJECTED: split, string reason.
 * </ul>
 *
 * A partition slice takes about 30 bytes plus the index name.
 */
public final class SegmentRecordSerializer extends TypeSerializerSingleton<SegmentRecord> {
  private static final long serialVersionUID = 1L;
  public static final SegmentRecordSerializer INSTANCE = new SegmentRecordSerializer();

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public SegmentRecord createInstance() {
    return null;
  }

  @Override
  public SegmentRecord copy(SegmentRecord from) {
    return from;
  }

  @Override
  public SegmentRecord copy(SegmentRecord from, SegmentRecord reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(SegmentRecord r, DataOutputView out) throws IOException {
    out.writeByte(r.kind().ordinal());
    switch (r.kind()) {
      case SEEN -> {
        SegmentSeen s = r.seen();
        SegmentSplitSerializer.write(s.split(), out);
        Codec.writeVarLong(out, s.rows());
        Codec.writeVarInt(out, s.partitions());
        Codec.writeVarInt(out, s.slices());
        Codec.writeVarLong(out, s.bytes());
      }
      case PARTITION -> {
        PartitionSlice p = r.partition();
        Codec.writeString(out, p.indexName());
        Codec.writeUuid(out, p.segmentUuid());
        Codec.writeVarInt(out, p.partition());
        Codec.writeVarLong(out, p.rowOffset());
        Codec.writeVarLong(out, p.rowCount());
        Codec.writeVarLong(out, p.bytes());
      }
      case ZONE -> {
        ZoneSlice z = r.zone();
        Codec.writeString(out, z.indexName());
        Codec.writeUuid(out, z.segmentUuid());
        Codec.writeVarLong(out, z.fragmentId());
        Codec.writeVarLong(out, z.zoneStart());
        Codec.writeVarLong(out, z.zoneLength());
        Codec.writeNullableBytes(out, z.min());
        Codec.writeNullableBytes(out, z.max());
        Codec.writeVarLong(out, z.nullCount());
        Codec.writeVarLong(out, z.nanCount());
      }
      case REJECTED -> {
        SegmentRejected x = r.rejected();
        SegmentSplitSerializer.write(x.split(), out);
        Codec.writeString(out, x.reason());
      }
    }
  }

  @Override
  public SegmentRecord deserialize(DataInputView in) throws IOException {
    int k = in.readUnsignedByte();
    if (k >= SegmentRecord.Kind.values().length) {
      throw new IOException("unknown segment record kind " + k);
    }
    return switch (SegmentRecord.Kind.values()[k]) {
      case SEEN -> SegmentRecord.of(new SegmentSeen(SegmentSplitSerializer.read(SegmentSplitSerializer.VERSION, in),
          Codec.readVarLong(in), Codec.readVarInt(in, Integer.MAX_VALUE, "partitions"),
          Codec.readVarInt(in, Integer.MAX_VALUE, "slices"), Codec.readVarLong(in)));
      case PARTITION -> SegmentRecord.of(new PartitionSlice(Codec.readString(in), Codec.readUuid(in),
          Codec.readVarInt(in, Integer.MAX_VALUE, "partition"), Codec.readVarLong(in), Codec.readVarLong(in),
          Codec.readVarLong(in)));
      case ZONE -> SegmentRecord.of(new ZoneSlice(Codec.readString(in), Codec.readUuid(in), Codec.readVarLong(in),
          Codec.readVarLong(in), Codec.readVarLong(in), Codec.readNullableBytes(in), Codec.readNullableBytes(in),
          Codec.readVarLong(in), Codec.readVarLong(in)));
      case REJECTED -> SegmentRecord.of(new SegmentRejected(
          SegmentSplitSerializer.read(SegmentSplitSerializer.VERSION, in), Codec.readString(in)));
    };
  }

  @Override
  public SegmentRecord deserialize(SegmentRecord reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<SegmentRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  private Object readResolve() {
    return INSTANCE;
  }

  /** Snapshot of the (configuration-free) serializer; restores {@link #INSTANCE}. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<SegmentRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
