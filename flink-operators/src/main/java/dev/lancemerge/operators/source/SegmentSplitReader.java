package dev.lancemerge.operators.source;

import dev.lancemerge.operators.FaultInjection;
import java.util.ArrayDeque;
import java.util.List;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads splits one after another on the fetcher thread: opens the segment ({@link SegmentScanner}), skips the
 * records a restored split had already emitted, and hands out the rest in batches of at most {@link #BATCH}; the
 * batch with the last record also finishes the split. Never blocks, so {@link #wakeUp()} has nothing to do.
 */
public final class SegmentSplitReader implements SplitReader<SegmentRecord, SegmentSplit> {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentSplitReader.class);
  static final int BATCH = 1024;

  private final ArrayDeque<SegmentSplit> queue = new ArrayDeque<>();
  private SegmentSplit current;
  private List<SegmentRecord> records;
  private int position;

  @Override
  public RecordsWithSplitIds<SegmentRecord> fetch() {
    RecordsBySplits.Builder<SegmentRecord> out = new RecordsBySplits.Builder<>();
    if (current == null) {
      current = queue.poll();
      if (current == null) {
        return out.build();
      }
      FaultInjection.at(FaultInjection.Point.READ, current.splitId());
      records = SegmentScanner.read(current);
      position = (int) Math.min(current.recordsEmitted(), records.size());
      if (records.size() == 1 && records.get(0).kind() == SegmentRecord.Kind.REJECTED) {
        position = 0; // a segment that cannot be read (any more) is always reported
        LOG.warn("Rejected {}: {}", current, records.get(0).rejected().reason());
      } else {
        LOG.debug("Reading {}: {} records, {} already emitted", current, records.size(), position);
      }
    }
    String id = current.splitId();
    int end = Math.min(records.size(), position + BATCH);
    for (int i = position; i < end; i++) {
      out.add(id, records.get(i));
    }
    position = end;
    if (position >= records.size()) {
      out.addFinishedSplit(id);
      current = null;
      records = null;
    }
    return out.build();
  }

  @Override
  public void handleSplitsChanges(SplitsChange<SegmentSplit> change) {
    if (!(change instanceof SplitsAddition)) {
      throw new UnsupportedOperationException("unsupported splits change " + change.getClass().getName());
    }
    queue.addAll(change.splits());
  }

  @Override
  public void wakeUp() {}

  @Override
  public void close() {
    queue.clear();
    current = null;
    records = null;
  }
}
