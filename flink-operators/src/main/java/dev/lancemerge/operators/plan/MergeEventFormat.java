package dev.lancemerge.operators.plan;

import dev.lancemerge.operators.io.Codec;
import dev.lancemerge.operators.io.Format;
import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.source.SegmentRecord;
import dev.lancemerge.operators.source.SegmentRecordFormat;
import dev.lancemerge.operators.source.SegmentSeen;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary form of {@link MergeEvent} and {@link MergeWindow}: a kind byte, then OPEN: the window; CLOSE: the merge
 * id; RETIRE: the segment uuid; PART: merge id, key, varint count and the slices as {@link SegmentRecordFormat}
 * writes them. A window: merge id, index, kind byte, output uuid, commit user, decided-at, generation, and its inputs
 * as SEEN records.
 */
public final class MergeEventFormat implements Format<MergeEvent> {
  private static final long serialVersionUID = 1L;
  private static final int MAX_INPUTS = 1 << 16;
  private static final int MAX_SLICES = 1 << 24;

  @Override
  public Class<MergeEvent> type() {
    return MergeEvent.class;
  }

  @Override
  public void write(MergeEvent e, DataOutputView out) throws IOException {
    out.writeByte(e.kind().ordinal());
    switch (e.kind()) {
      case OPEN -> writeWindow(e.window(), out);
      case CLOSE -> Codec.writeString(out, e.mergeId());
      case RETIRE -> Codec.writeUuid(out, e.segment());
      case PART -> {
        Codec.writeString(out, e.mergeId());
        Codec.writeString(out, e.key());
        Codec.writeVarInt(out, e.slices().size());
        for (SegmentRecord r : e.slices()) {
          SegmentRecordFormat.INSTANCE.write(r, out);
        }
      }
    }
  }

  @Override
  public MergeEvent read(DataInputView in) throws IOException {
    int k = in.readUnsignedByte();
    if (k >= MergeEvent.Kind.values().length) {
      throw new IOException("unknown merge event kind " + k);
    }
    return switch (MergeEvent.Kind.values()[k]) {
      case OPEN -> MergeEvent.open(readWindow(in));
      case CLOSE -> MergeEvent.close(Codec.readString(in));
      case RETIRE -> MergeEvent.retire(Codec.readUuid(in));
      case PART -> {
        String mergeId = Codec.readString(in);
        String key = Codec.readString(in);
        int n = Codec.readVarInt(in, MAX_SLICES, "slice count");
        List<SegmentRecord> slices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          slices.add(SegmentRecordFormat.INSTANCE.read(in));
        }
        yield MergeEvent.part(mergeId, key, slices);
      }
    };
  }

  /** Writes a window (also used by the assembler's and the writer's formats). */
  public static void writeWindow(MergeWindow w, DataOutputView out) throws IOException {
    Codec.writeString(out, w.mergeId());
    Codec.writeString(out, w.indexName());
    out.writeByte(w.kind().ordinal());
    Codec.writeUuid(out, w.outputUuid());
    Codec.writeString(out, w.commitUser());
    Codec.writeZigZag(out, w.decidedAt());
    Codec.writeVarInt(out, w.generation());
    Codec.writeVarInt(out, w.inputs().size());
    for (SegmentSeen s : w.inputs()) {
      SegmentRecordFormat.INSTANCE.write(SegmentRecord.of(s), out);
    }
  }

  public static MergeWindow readWindow(DataInputView in) throws IOException {
    String mergeId = Codec.readString(in);
    String index = Codec.readString(in);
    int kind = in.readUnsignedByte();
    if (kind >= SegmentKind.values().length) {
      throw new IOException("unknown segment kind " + kind);
    }
    var output = Codec.readUuid(in);
    String user = Codec.readString(in);
    long decidedAt = Codec.readZigZag(in);
    int generation = Codec.readVarInt(in, Integer.MAX_VALUE, "generation");
    int n = Codec.readVarInt(in, MAX_INPUTS, "input count");
    List<SegmentSeen> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      inputs.add(SegmentRecordFormat.INSTANCE.read(in).seen());
    }
    return new MergeWindow(mergeId, index, SegmentKind.values()[kind], output, user, decidedAt, generation, inputs);
  }
}
