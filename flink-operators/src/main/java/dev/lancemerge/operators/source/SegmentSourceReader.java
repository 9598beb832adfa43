package dev.lancemerge.operators.source;

import java.util.Map;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/**
 * The source reader: one fetcher thread running a {@link SegmentSplitReader}; records are emitted as they are and
 * counted per split, so a checkpoint stores each unfinished split with its position. The reader pulls splits: it
 * asks for one at start (unless restored splits keep it busy) and another each time it finishes splits.
 */
public final class SegmentSourceReader
    extends SingleThreadMultiplexSourceReaderBase<SegmentRecord, SegmentRecord, SegmentSplit, SegmentSplitState> {

  public SegmentSourceReader(SourceReaderContext context) {
    super(SegmentSplitReader::new, new Emitter(), context.getConfiguration(), context);
  }

  public SegmentSourceReader(SourceReaderContext context, Configuration config) {
    super(SegmentSplitReader::new, new Emitter(), config, context);
  }

  @Override
  public void start() {
    super.start();
    if (getNumberOfCurrentlyAssignedSplits() == 0) {
      context.sendSplitRequest();
    }
  }

  @Override
  protected void onSplitFinished(Map<String, SegmentSplitState> finished) {
    context.sendSplitRequest();
  }

  @Override
  protected SegmentSplitState initializedState(SegmentSplit split) {
    return new SegmentSplitState(split);
  }

  @Override
  protected SegmentSplit toSplitType(String splitId, SegmentSplitState state) {
    return state.toSplit();
  }

  /** Emits a record and advances its split's position. */
  static final class Emitter implements RecordEmitter<SegmentRecord, SegmentRecord, SegmentSplitState> {
    @Override
    public void emitRecord(SegmentRecord record, SourceOutput<SegmentRecord> output, SegmentSplitState state) {
      output.collect(record);
      state.recordEmitted();
    }
  }
}
