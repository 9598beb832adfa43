package dev.lancemerge.operators.source;

import dev.lancemerge.operators.io.Codec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned binary form of an {@link EnumeratorState}. Version 1:
 *
 * <pre>
 *   long     last manifest version (-1 = none)
 *   varint   split format version ({@link SegmentSplitSerializer#VERSION})
 *   varint   number of pending splits, then each split
 *   varint   number of assigned splits, then each split
 * </pre>
 *
 * Splits are written inline in {@link SegmentSplitSerializer}'s format (about 110 bytes for a per-fragment segment),
 * so a state is 12 bytes plus that per in-flight segment.
 */
public final class EnumeratorStateSerializer implements SimpleVersionedSerializer<EnumeratorState> {
  public static final int VERSION = 1;
  public static final EnumeratorStateSerializer INSTANCE = new EnumeratorStateSerializer();
  static final int MAX_SPLITS = 1 << 24;

  @Override
  public int getVersion() {
    return VERSION;
  }

  @Override
  public byte[] serialize(EnumeratorState state) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64 + 128 * state.inFlight());
    out.writeLong(state.lastVersion());
    Codec.writeVarInt(out, SegmentSplitSerializer.VERSION);
    Codec.writeVarInt(out, state.pending().size());
    for (SegmentSplit s : state.pending()) {
      SegmentSplitSerializer.write(s, out);
    }
    Codec.writeVarInt(out, state.assigned().size());
    for (SegmentSplit s : state.assigned()) {
      SegmentSplitSerializer.write(s, out);
    }
    return out.getCopyOfBuffer();
  }

  @Override
  public EnumeratorState deserialize(int version, byte[] serialized) throws IOException {
    if (version != VERSION) {
      throw new IOException("unknown enumerator state version " + version + " (this code reads " + VERSION + ")");
    }
    DataInputDeserializer in = new DataInputDeserializer(serialized);
    long lastVersion = in.readLong();
    int splitVersion = Codec.readVarInt(in, Integer.MAX_VALUE, "split format version");
    List<SegmentSplit> pending = readSplits(in, splitVersion);
    List<SegmentSplit> assigned = readSplits(in, splitVersion);
    if (in.available() != 0) {
      throw new IOException(in.available() + " trailing bytes after the enumerator state");
    }
    return new EnumeratorState(lastVersion, pending, assigned);
  }

  private static List<SegmentSplit> readSplits(DataInputDeserializer in, int splitVersion) throws IOException {
    int n = Codec.readVarInt(in, MAX_SPLITS, "split count");
    List<SegmentSplit> out = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      out.add(SegmentSplitSerializer.read(splitVersion, in));
    }
    return out;
  }
}
