package dev.lancemerge.operators.source;

import dev.lancemerge.operators.io.Codec;
import dev.lancemerge.operators.io.Format;
import java.io.IOException;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary form of {@link SegmentRecord}s: one byte kind, then
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
public final class SegmentRecordFormat implements Format<SegmentRecord> {
  private static final long serialVersionUID = 1L;
  /** The format (stateless); for nesting records in other formats. */
  public static final SegmentRecordFormat INSTANCE = new SegmentRecordFormat();

  @Override
  public Class<SegmentRecord> type() {
    return SegmentRecord.class;
  }

  @Override
  public void write(SegmentRecord r, DataOutputView out) throws IOException {
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
  public SegmentRecord read(DataInputView in) throws IOException {
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
}
