package dev.lancemerge.operators.sink;

import dev.lancemerge.operators.FaultInjection;
import dev.lancemerge.kernel.FileTrees;
import dev.lancemerge.kernel.MergeException;
import dev.lancemerge.kernel.vector.MergeOptions;
import dev.lancemerge.kernel.vector.MergeResult;
import dev.lancemerge.kernel.vector.VectorSegmentMerger;
import dev.lancemerge.kernel.zonemap.ZoneMapMergeResult;
import dev.lancemerge.kernel.zonemap.ZoneMapMerger;
import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.plan.MergePlanner;
import dev.lancemerge.operators.plan.MergeWindow;
import dev.lancemerge.operators.source.SegmentSeen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the merged segment of each assembled window into {@code <dataset>/_indices/<output uuid>/} with the merge
 * kernel (bytes move file to file; heap bounded by the memory budget) and hands a {@link MergeCommittable} for each
 * to the committer at the next checkpoint. Everything written before a checkpoint barrier is in that checkpoint's
 * committables, so the writer keeps no state of its own.
 *
 * <p>An output directory that already exists is a previous attempt of the same merge (output uuids derive from the
 * inputs): if the manifest lists it, it is committed and left alone; otherwise it never was and is written again. A
 * merge the kernel refuses (an input turned out corrupt) becomes a failed committable naming the input, and the job
 * goes on.
 */
public final class MergeWriter implements CommittingSinkWriter<AssembledWindow, MergeCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(MergeWriter.class);

  private final WriterOptions options;
  private final List<MergeCommittable> ready = new ArrayList<>();
  private final Counter rowsMerged;
  private final Counter bytesMerged;
  private final Counter mergesWritten;
  private final Counter mergesFailed;
  private LanceDatasetCatalog catalog;

  public MergeWriter(WriterOptions options, MetricGroup metrics) {
    this.options = options;
    MetricGroup g = metrics.addGroup(MergePlanner.METRIC_GROUP);
    rowsMerged = g.counter("rowsMerged");
    bytesMerged = g.counter("bytesMerged");
    mergesWritten = g.counter("mergesWritten");
    mergesFailed = g.counter("mergesFailed");
  }

  @Override
  public void write(AssembledWindow a, Context context) throws IOException {
    MergeWindow w = a.window();
    Path out = options.datasetPath().resolve("_indices").resolve(w.outputUuid().toString());
    if (w.isPassThrough()) {
      ready.add(MergeCommittable.of(w, out.toString(), w.rows(), 0, System.currentTimeMillis(), null, null));
      return;
    }
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      if (isLive(w)) {
        LOG.info("Index {}: merged segment {} is committed already; not written again", w.indexName(), w.outputUuid());
        ready.add(MergeCommittable.of(w, out.toString(), w.rows(), 0, System.currentTimeMillis(), null, null));
        return;
      }
      LOG.info("Index {}: removing an unfinished earlier attempt of merge {}", w.indexName(), w.mergeId());
      FileTrees.delete(out);
    }
    FaultInjection.at(FaultInjection.Point.WRITE, w.mergeId());
    List<Path> inputs = w.inputs().stream().map(s -> s.split().directoryPath()).toList();
    long start = System.nanoTime();
    LOG.info("Index {}: writing merged segment {} from {} segments ({} rows, {} MB)", w.indexName(), w.outputUuid(),
        inputs.size(), w.rows(), w.bytes() >> 20);
    try {
      long rows;
      long bytes;
      if (w.kind() == SegmentKind.VECTOR) {
        MergeResult r = VectorSegmentMerger.merge(inputs, out,
            new MergeOptions(options.memoryBudgetBytes(), options.pageBytes(), options.durable()));
        rows = r.rows();
        bytes = r.bytesWritten();
      } else {
        ZoneMapMergeResult r = ZoneMapMerger.merge(inputs, out);
        rows = a.sliceRows();
        bytes = r.bytesWritten();
        if (r.zones() != a.slices()) {
          throw new MergeException(null, "the merged ZoneMap holds " + r.zones() + " zones but " + a.slices()
              + " zone slices were buffered");
        }
      }
      if (rows != a.sliceRows()) {
        throw new MergeException(null, "the merged segment holds " + rows + " rows but the buffered slices hold "
            + a.sliceRows());
      }
      rowsMerged.inc(rows);
      bytesMerged.inc(bytes);
      mergesWritten.inc();
      LOG.info("Index {}: wrote merged segment {} ({} rows, {} MB) in {} s", w.indexName(), w.outputUuid(), rows,
          bytes >> 20, String.format("%.2f", (System.nanoTime() - start) / 1e9));
      ready.add(MergeCommittable.of(w, out.toString(), rows, bytes, System.currentTimeMillis(), null, null));
    } catch (IOException | RuntimeException e) {
      mergesFailed.inc();
      FileTrees.delete(out);
      UUID culprit = culprit(w, e);
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      LOG.warn("Index {}: merge {} of {} failed{}: {}", w.indexName(), w.mergeId(), w.inputUuids(),
          culprit == null ? "" : " (segment " + culprit + ")", reason);
      ready.add(MergeCommittable.of(w, out.toString(), 0, 0, System.currentTimeMillis(), reason, culprit));
    }
  }

  @Override
  public void flush(boolean endOfInput) {}

  @Override
  public Collection<MergeCommittable> prepareCommit() {
    List<MergeCommittable> out = List.copyOf(ready);
    ready.clear();
    return out;
  }

  @Override
  public void close() {
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
  }

  private boolean isLive(MergeWindow w) {
    if (catalog == null) {
      catalog = LanceDatasetCatalog.open(options.datasetPath());
    }
    return catalog.snapshot(Set.of(w.indexName())).segment(w.outputUuid()).isPresent();
  }

  /** The input a kernel error names (by its directory or a file in it), or null. */
  private static UUID culprit(MergeWindow w, Throwable e) {
    String named = e instanceof MergeException m ? m.segment() : null;
    if (named == null) {
      return null;
    }
    for (SegmentSeen s : w.inputs()) {
      if (named.contains(s.split().segmentUuid().toString())) {
        return s.split().segmentUuid();
      }
    }
    return null;
  }
}
