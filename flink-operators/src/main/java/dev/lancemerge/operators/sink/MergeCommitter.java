package dev.lancemerge.operators.sink;

import dev.lancemerge.operators.FaultInjection;
import dev.lancemerge.operators.lance.CommitOutcome;
import dev.lancemerge.operators.lance.CommitProperties;
import dev.lancemerge.operators.lance.CommitResult;
import dev.lancemerge.operators.lance.CommittedMerges;
import dev.lancemerge.operators.lance.LanceCommitException;
import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.lance.ManifestSnapshot;
import dev.lancemerge.operators.lance.MergedSegment;
import dev.lancemerge.operators.lance.SegmentCommitter;
import dev.lancemerge.operators.plan.MergePlanner;
import dev.lancemerge.operators.staging.StagingArea;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits merged segments after their checkpoint completed, one Lance transaction each, replacing exactly the
 * merge's committed inputs and recording checkpoint id, commit user and merge id ({@link SegmentCommitter}). After
 * a restore, a committable whose merge is already in the dataset is reported as already committed; one whose inputs
 * another writer replaced is dropped (logged; the planner merges what is left later). Staged inputs' descriptors are
 * marked done once their segment is committed; a staged input at fault in a failed merge, or made redundant by
 * another commit, is quarantined with the reason.
 */
public final class MergeCommitter implements Committer<MergeCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(MergeCommitter.class);

  private final CommitterOptions options;
  private final Map<String, SegmentCommitter> committers = new HashMap<>();
  private final StagingArea staging;
  private final Counter committed;
  private final Counter alreadyCommitted;
  private final Counter dropped;
  private final Counter segmentsReplaced;
  private final Histogram commitMillis;
  private final Histogram freshnessLagMillis;
  private volatile long lastCommitAt = System.currentTimeMillis();
  private volatile long lastLagMillis;
  private LanceDatasetCatalog catalog;

  public MergeCommitter(CommitterOptions options, MetricGroup metrics) {
    this.options = options;
    this.staging = options.stagingPath() == null ? null : StagingArea.of(options.stagingPath(), options.datasetPath());
    MetricGroup g = metrics.addGroup(MergePlanner.METRIC_GROUP);
    committed = g.counter("mergesCommitted");
    alreadyCommitted = g.counter("mergesAlreadyCommitted");
    dropped = g.counter("mergesDropped");
    segmentsReplaced = g.counter("segmentsReplaced");
    commitMillis = g.histogram("commitDurationMs", new DescriptiveStatisticsHistogram(500));
    freshnessLagMillis = g.histogram("freshnessLagMs", new DescriptiveStatisticsHistogram(500));
    g.gauge("lastFreshnessLagMs", () -> lastLagMillis);
    g.gauge("secondsSinceLastCommit", () -> (System.currentTimeMillis() - lastCommitAt) / 1000);
  }

  @Override
  public void commit(Collection<CommitRequest<MergeCommittable>> requests) {
    for (CommitRequest<MergeCommittable> r : requests) {
      MergeCommittable c = r.getCommittable();
      if (c.failed()) {
        setAsideFailed(c);
        continue;
      }
      try {
        commitOne(r, c);
      } catch (LanceCommitException | IllegalStateException e) {
        retryOrDrop(r, c, e);
      } catch (IllegalArgumentException e) {
        dropped.inc();
        LOG.error("Index {}: merge {} cannot be committed and is dropped: {}", c.indexName(), c.mergeId(),
            e.getMessage());
        r.signalFailedWithKnownReason(e);
      } catch (RuntimeException e) {
        closeCatalog();
        retryOrDrop(r, c, e);
      }
    }
  }

  private void commitOne(CommitRequest<MergeCommittable> r, MergeCommittable c) {
    LanceDatasetCatalog cat = catalog();
    ManifestSnapshot snap = cat.snapshot(Set.of(c.indexName()));
    Optional<LiveSegment> template = template(snap, c);
    if (template.isEmpty()) {
      throw new IllegalArgumentException("index " + c.indexName() + " has no committed segment to take fields and "
          + "details from; commit one segment of it with Lance first");
    }
    String column = cat.columnName(template.get().fields().get(0));
    MergedSegment m = new MergedSegment(c.indexName(), column, c.outputUuid(), Path.of(c.outputDirectory()),
        c.committedInputs(), c.fragments(), template.get(), c.stagedFragments());
    FaultInjection.at(FaultInjection.Point.BEFORE_COMMIT, c.mergeId());
    long start = System.currentTimeMillis();
    Map<String, String> props = CommitProperties.of(c.commitUser(), c.checkpointId(), c.mergeId());
    props.put(CommitProperties.DISCOVERED_AT, Long.toString(c.earliestDiscoveredAt()));
    props.put(CommitProperties.WRITTEN_AT, Long.toString(c.writtenAt()));
    CommitResult result = committer(c.commitUser()).commit(m, props);
    long now = System.currentTimeMillis();
    switch (result.outcome()) {
      case COMMITTED -> {
        committed.inc();
        segmentsReplaced.inc(c.committedInputs().size());
        commitMillis.update(now - start);
        lastLagMillis = now - c.earliestDiscoveredAt();
        freshnessLagMillis.update(lastLagMillis);
        lastCommitAt = now;
        LOG.info("Index {}: committed {} -> 1 segment ({} rows, {} fragments) at version {}; freshness lag {} s",
            c.indexName(), c.inputs().size(), c.rows(), c.fragments().size(), result.version(),
            String.format("%.1f", lastLagMillis / 1000.0));
        markDone(c);
        FaultInjection.at(FaultInjection.Point.AFTER_COMMIT, c.mergeId());
      }
      case ALREADY_COMMITTED -> {
        alreadyCommitted.inc();
        LOG.info("Index {}: merge {} was committed already ({})", c.indexName(), c.mergeId(), result.detail());
        markDone(c);
        r.signalAlreadyCommitted();
      }
      case INPUTS_GONE -> {
        dropped.inc();
        LOG.warn("Index {}: merge {} dropped, its inputs changed meanwhile: {}; what is left is merged later",
            c.indexName(), c.mergeId(), result.detail());
        quarantineSuperseded(c, cat.snapshot(Set.of(c.indexName())));
      }
    }
  }

  /** An input live in the snapshot, else any live segment of the index. */
  private static Optional<LiveSegment> template(ManifestSnapshot snap, MergeCommittable c) {
    for (UUID in : c.committedInputs()) {
      Optional<LiveSegment> s = snap.segment(in);
      if (s.isPresent()) {
        return s;
      }
    }
    List<LiveSegment> any = snap.segmentsOf(c.indexName());
    return any.isEmpty() ? Optional.empty() : Optional.of(any.get(0));
  }

  private void retryOrDrop(CommitRequest<MergeCommittable> r, MergeCommittable c, RuntimeException e) {
    if (r.getNumberOfRetries() < options.maxRetries()) {
      LOG.warn("Index {}: commit of merge {} failed (attempt {}), retrying: {}", c.indexName(), c.mergeId(),
          r.getNumberOfRetries() + 1, e.toString());
      r.retryLater();
    } else {
      dropped.inc();
      LOG.error("Index {}: commit of merge {} failed {} times and is dropped; its inputs stay live and are merged "
          + "later: {}", c.indexName(), c.mergeId(), r.getNumberOfRetries() + 1, e.toString());
      r.signalFailedWithKnownReason(e);
    }
  }

  private void markDone(MergeCommittable c) {
    if (staging == null) {
      return;
    }
    for (MergeCommittable.StagedInput s : c.stagedInputs()) {
      try {
        staging.markDone(Path.of(s.descriptorPath()));
      } catch (Exception e) {
        LOG.warn("Index {}: staged segment {} is committed but its descriptor {} could not be marked done: {}",
            c.indexName(), s.uuid(), s.descriptorPath(), e.toString());
      }
    }
  }

  /** Staged inputs whose fragments a committed segment (not an input) covers now can never be committed. */
  private void quarantineSuperseded(MergeCommittable c, ManifestSnapshot snap) {
    for (MergeCommittable.StagedInput s : c.stagedInputs()) {
      for (LiveSegment live : snap.segmentsOf(c.indexName())) {
        if (!c.committedInputs().contains(live.uuid()) && !live.uuid().equals(s.uuid())
            && live.fragments().stream().anyMatch(s.fragments()::contains)) {
          quarantine(c, s, "its fragments are covered by committed segment " + live.uuid() + " already");
          break;
        }
      }
    }
  }

  private void setAsideFailed(MergeCommittable c) {
    dropped.inc();
    LOG.warn("Index {}: merge {} failed and was not committed: {}", c.indexName(), c.mergeId(), c.failure());
    for (MergeCommittable.StagedInput s : c.stagedInputs()) {
      if (s.uuid().equals(c.failedSegment())) {
        quarantine(c, s, c.failure());
      }
    }
  }

  private void quarantine(MergeCommittable c, MergeCommittable.StagedInput s, String reason) {
    if (staging == null) {
      return;
    }
    try {
      staging.setAside(Path.of(s.descriptorPath()), reason);
      LOG.warn("Index {}: staged segment {} quarantined: {}", c.indexName(), s.uuid(), reason);
    } catch (Exception e) {
      LOG.warn("Index {}: staged segment {} could not be quarantined ({}): {}", c.indexName(), s.uuid(), reason,
          e.toString());
    }
  }

  private LanceDatasetCatalog catalog() {
    if (catalog == null) {
      catalog = LanceDatasetCatalog.open(options.datasetPath());
    }
    return catalog;
  }

  private SegmentCommitter committer(String commitUser) {
    return committers.computeIfAbsent(commitUser, u -> new SegmentCommitter(catalog(),
        CommittedMerges.startingAfter(u, 0, options.maxVersionsScanned())));
  }

  private void closeCatalog() {
    committers.clear();
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
  }

  @Override
  public void close() {
    closeCatalog();
  }
}
