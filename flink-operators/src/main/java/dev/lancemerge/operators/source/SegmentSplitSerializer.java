package dev.lancemerge.operators.source;

import dev.lancemerge.operators.io.Codec;
import dev.lancemerge.operators.lance.SegmentKind;
import java.io.IOException;
import java.util.SortedSet;
import java.util.UUID;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Versioned, compact binary form of a {@link SegmentSplit}. Version 1, in order:
 *
 * <pre>
 *   byte     origin (0 committed, 1 staged)
 *   byte     kind (0 VECTOR, 1 ZONEMAP)
 *   string   index name                          (string = varint length + UTF-8)
 *   2 x long segment uuid (most, least significant bits)
 *   string   directory
 *   varlong  bytes
 *   varint   number of fragments, then the fragment ids ascending as varint deltas (first one from 0)
 *   varlong  dataset version + 1                 (0 = unknown)
 *   string?  descriptor path                     (varint 0 = none, else length + 1, then UTF-8)
 *   varlong  discovered at (ms)
 *   varlong  records emitted
 * </pre>
 *
 * A per-fragment segment with a 60-character directory takes about 110 bytes.
 */
public final class SegmentSplitSerializer implements SimpleVersionedSerializer<SegmentSplit> {
  public static final int VERSION = 1;
  public static final SegmentSplitSerializer INSTANCE = new SegmentSplitSerializer();

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(SegmentSplit split) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(128);
    write(split, out);
    return out.getCopyOfBuffer();
  }

  @Override
  public SegmentSplit deserialize(int version, byte[] serialized) throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(serialized);
    SegmentSplit s = read(version, in);
    if (in.available() != 0) {
      throw new IOException(in.available() + " trailing bytes after a segment split");
    }
    return s;
  }

  /** Writes {@code split} in the current version's format. */
  public static void write(SegmentSplit split, DataOutputView out) throws IOException {
    out.writeByte(split.origin() == SegmentSplit.Origin.COMMITTED ? 0 : 1);
    out.writeByte(split.kind() == SegmentKind.VECTOR ? 0 : 1);
    Codec.writeString(out, split.indexName());
    Codec.writeUuid(out, split.segmentUuid());
    Codec.writeString(out, split.directory());
    Codec.writeVarLong(out, split.bytes());
    Codec.writeFragments(out, split.fragments());
    Codec.writeVarLong(out, split.datasetVersion() + 1);
    Codec.writeNullableString(out, split.descriptorPath());
    Codec.writeZigZag(out, split.discoveredAt());
    Codec.writeVarLong(out, split.recordsEmitted());
  }

  /** Reads one split written in format {@code version}. */
  public static SegmentSplit read(int version, DataInputView in) throws IOException {
    if (version != VERSION) {
      throw new IOException("unknown segment split format version " + version + " (this code reads " + VERSION + ")");
    }
    SegmentSplit.Origin origin = switch (in.readUnsignedByte()) {
      case 0 -> SegmentSplit.Origin.COMMITTED;
      case 1 -> SegmentSplit.Origin.STAGED;
      default -> throw new IOException("unknown split origin");
    };
    SegmentKind kind = switch (in.readUnsignedByte()) {
      case 0 -> SegmentKind.VECTOR;
      case 1 -> SegmentKind.ZONEMAP;
      default -> throw new IOException("unknown segment kind");
    };
    String indexName = Codec.readString(in);
    UUID uuid = Codec.readUuid(in);
    String directory = Codec.readString(in);
    long bytes = Codec.readVarLong(in);
    SortedSet<Integer> fragments = Codec.readFragments(in);
    long datasetVersion = Codec.readVarLong(in) - 1;
    String descriptor = Codec.readNullableString(in);
    long discoveredAt = Codec.readZigZag(in);
    long emitted = Codec.readVarLong(in);
    try {
      return new SegmentSplit(origin, indexName, uuid, kind, directory, bytes, fragments, datasetVersion, descriptor,
          discoveredAt, emitted);
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt segment split: " + e.getMessage(), e);
    }
  }
}
