package dev.lancemerge.operators.cleanup;

import dev.lancemerge.kernel.FileTrees;
import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.plan.MergePlanner;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancemerge.operators.sink.MergeCommittable;
import dev.lancemerge.operators.staging.StagingArea;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's post-commit step, keyed by index: deletes the files of segments a committed merge replaced, and of
 * merged outputs that were never committed, once the retention has passed. Each committable that went through the
 * committer schedules its inputs' and its output's directories; when the time comes a directory is deleted only if
 * the manifest does not list its segment, no waiting staged descriptor announces it, and it was not modified within
 * the retention (a merge writing it again is never disturbed). State: the scheduled directories, bounded by the
 * commits of one retention period.
 */
public final class SegmentCleaner extends KeyedProcessFunction<String, MergeCommittable, Void> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SegmentCleaner.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CleanupOptions options;
  private transient MapState<String, Long> due;
  private transient Counter deleted;
  private transient LanceDatasetCatalog catalog;

  public SegmentCleaner(CleanupOptions options) {
    this.options = options;
  }

  @Override
  public void open(OpenContext context) {
    due = getRuntimeContext().getMapState(new MapStateDescriptor<>("deletions-due", Types.STRING, Types.LONG));
    deleted = getRuntimeContext().getMetricGroup().addGroup(MergePlanner.METRIC_GROUP).counter("segmentsDeleted");
  }

  @Override
  public void close() {
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
  }

  @Override
  public void processElement(MergeCommittable c, Context ctx, Collector<Void> out) throws Exception {
    if (!options.enabled()) {
      return;
    }
    long at = ctx.timerService().currentProcessingTime() + options.retention().toMillis();
    List<UUID> candidates = new ArrayList<>(c.inputs());
    candidates.add(c.outputUuid());
    for (UUID u : candidates) {
      due.put(u.toString(), at);
    }
    ctx.timerService().registerProcessingTimeTimer(at);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Void> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    List<String> ripe = new ArrayList<>();
    for (Map.Entry<String, Long> e : due.entries()) {
      if (e.getValue() <= now) {
        ripe.add(e.getKey());
      }
    }
    if (ripe.isEmpty()) {
      return;
    }
    Set<UUID> live;
    Set<String> announced;
    try {
      live = liveSegments();
      announced = announcedSegments();
    } catch (Exception e) {
      LOG.warn("Cleanup of index {} postponed, the manifest or staging area cannot be read: {}", ctx.getCurrentKey(),
          e.toString());
      closeCatalog();
      ctx.timerService().registerProcessingTimeTimer(now + Math.max(1000, options.retention().toMillis()));
      return;
    }
    long cutoff = now - options.retention().toMillis();
    for (String id : ripe) {
      due.remove(id);
      Path dir = options.datasetPath().resolve("_indices").resolve(id);
      if (live.contains(UUID.fromString(id)) || announced.contains(id) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        if (Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toMillis() > cutoff) {
          due.put(id, now + options.retention().toMillis());
          ctx.timerService().registerProcessingTimeTimer(now + options.retention().toMillis());
          continue;
        }
        FileTrees.delete(dir);
        deleted.inc();
        LOG.info("Index {}: deleted files of replaced segment {}", ctx.getCurrentKey(), id);
      } catch (IOException e) {
        LOG.warn("Index {}: could not delete {}: {}", ctx.getCurrentKey(), dir, e.toString());
      }
    }
  }

  private Set<UUID> liveSegments() {
    if (catalog == null) {
      catalog = LanceDatasetCatalog.open(options.datasetPath());
    }
    Set<UUID> live = new HashSet<>();
    // Every index of the dataset: a directory is only ever one segment's, whichever index lists it.
    for (LiveSegment s : catalog.allSegments()) {
      live.add(s.uuid());
    }
    return live;
  }

  /** Segment uuids named by descriptors still waiting in the staging directory. */
  private Set<String> announcedSegments() throws IOException {
    Set<String> ids = new HashSet<>();
    Path staging = options.stagingPath();
    if (staging == null || !Files.isDirectory(staging)) {
      return ids;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(staging, "*" + StagingArea.DESCRIPTOR_SUFFIX)) {
      for (Path p : files) {
        try {
          ids.add(JSON.readTree(p.toFile()).path("segmentUuid").asText());
        } catch (IOException unreadable) {
          // Not a descriptor the job would ever read (it is quarantined at the next scan): nothing to protect.
        }
      }
    }
    return ids;
  }

  private void closeCatalog() {
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
  }
}
