package dev.lancemerge.operators.sink;

import dev.lancemerge.operators.io.Codec;
import dev.lancemerge.operators.io.Format;
import dev.lancemerge.operators.lance.SegmentKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary form of {@link MergeCommittable} (version 1 of the committable serializer): strings merge id, commit user;
 * zig-zag checkpoint id; index; kind byte; output uuid and directory; committed inputs (count, uuids); staged inputs
 * (count, then uuid, descriptor path, fragments each); fragments; varlong rows and bytes; zig-zag discovered-at and
 * written-at; nullable failure; failed segment (byte 0/1, then uuid).
 */
public final class MergeCommittableFormat implements Format<MergeCommittable> {
  private static final long serialVersionUID = 1L;
  private static final int MAX_INPUTS = 1 << 16;

  @Override
  public Class<MergeCommittable> type() {
    return MergeCommittable.class;
  }

  @Override
  public void write(MergeCommittable c, DataOutputView out) throws IOException {
    Codec.writeString(out, c.mergeId());
    Codec.writeString(out, c.commitUser());
    Codec.writeZigZag(out, c.checkpointId());
    Codec.writeString(out, c.indexName());
    out.writeByte(c.kind().ordinal());
    Codec.writeUuid(out, c.outputUuid());
    Codec.writeString(out, c.outputDirectory());
    Codec.writeVarInt(out, c.committedInputs().size());
    for (UUID u : c.committedInputs()) {
      Codec.writeUuid(out, u);
    }
    Codec.writeVarInt(out, c.stagedInputs().size());
    for (MergeCommittable.StagedInput s : c.stagedInputs()) {
      Codec.writeUuid(out, s.uuid());
      Codec.writeString(out, s.descriptorPath());
      Codec.writeFragments(out, s.fragments());
    }
    Codec.writeFragments(out, c.fragments());
    Codec.writeVarLong(out, c.rows());
    Codec.writeVarLong(out, c.bytesWritten());
    Codec.writeZigZag(out, c.earliestDiscoveredAt());
    Codec.writeZigZag(out, c.writtenAt());
    Codec.writeNullableString(out, c.failure());
    out.writeBoolean(c.failedSegment() != null);
    if (c.failedSegment() != null) {
      Codec.writeUuid(out, c.failedSegment());
    }
  }

  @Override
  public MergeCommittable read(DataInputView in) throws IOException {
    String mergeId = Codec.readString(in);
    String user = Codec.readString(in);
    long checkpoint = Codec.readZigZag(in);
    String index = Codec.readString(in);
    int kind = in.readUnsignedByte();
    if (kind >= SegmentKind.values().length) {
      throw new IOException("unknown segment kind " + kind);
    }
    UUID output = Codec.readUuid(in);
    String dir = Codec.readString(in);
    int n = Codec.readVarInt(in, MAX_INPUTS, "input count");
    List<UUID> committed = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      committed.add(Codec.readUuid(in));
    }
    n = Codec.readVarInt(in, MAX_INPUTS, "staged input count");
    List<MergeCommittable.StagedInput> staged = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      staged.add(new MergeCommittable.StagedInput(Codec.readUuid(in), Codec.readString(in), Codec.readFragments(in)));
    }
    var fragments = Codec.readFragments(in);
    long rows = Codec.readVarLong(in);
    long bytes = Codec.readVarLong(in);
    long discovered = Codec.readZigZag(in);
    long written = Codec.readZigZag(in);
    String failure = Codec.readNullableString(in);
    UUID failed = in.readBoolean() ? Codec.readUuid(in) : null;
    return new MergeCommittable(mergeId, user, checkpoint, index, SegmentKind.values()[kind], output, dir, committed,
        staged, fragments, rows, bytes, discovered, written, failure, failed);
  }
}
