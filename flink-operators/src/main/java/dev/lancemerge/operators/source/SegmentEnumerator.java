package dev.lancemerge.operators.source;

import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.staging.StagedSegment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers segments and hands them to readers, one split per segment.
 *
 * <p>Every discovery interval ({@code callAsync} with a period; the listing runs on the worker thread, its result is
 * applied on the coordinator thread, which owns every field below):
 *
 * <ul>
 *   <li>the manifest is read at its latest version: every live segment of the configured indexes that is not in
 *       flight becomes a pending split; every committed split in flight whose segment the manifest no longer lists
 *       (a merge replaced it) leaves the in-flight set; segments of kind OTHER are ignored (logged once each);
 *   <li>the staging directory is scanned (if configured): every valid descriptor of a configured index whose segment
 *       is neither in flight nor already committed becomes a pending split; every staged split whose descriptor is
 *       gone (marked done or quarantined) leaves the in-flight set.
 * </ul>
 *
 * One segment is in flight under one origin at a time: a descriptor whose segment is already committed is not read,
 * and a segment committed as it is while its staged split is in flight becomes a committed split only after its
 * descriptor is done.
 *
 * Readers pull: a reader asks for a split when it starts and whenever it has finished its splits; a request that
 * finds nothing pending is remembered and served as soon as a discovery (or {@link #addSplitsBack}) brings one; one
 * split per request, so segments spread over readers. {@link #addReader} serves remembered requests too.
 *
 * <p>State ({@link EnumeratorState}): the last manifest version and the in-flight splits, pending or assigned. It is
 * bounded by the live unmerged segments and waiting descriptors, never by history. Splits given back after a
 * failover return to pending. A failed discovery is logged and retried at the next interval, never fatal.
 */
public final class SegmentEnumerator implements SplitEnumerator<SegmentSplit, EnumeratorState> {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentEnumerator.class);

  private final SplitEnumeratorContext<SegmentSplit> context;
  private final Set<String> indexNames;
  private final long intervalMs;
  private final CommittedSegments committed;
  private final StagedSegments staged;
  private final Clock clock;

  // Coordinator thread only.
  private long lastVersion;
  private final LinkedHashMap<String, SegmentSplit> pending = new LinkedHashMap<>();
  private final LinkedHashMap<String, SegmentSplit> assigned = new LinkedHashMap<>();
  private final LinkedHashSet<Integer> awaiting = new LinkedHashSet<>();
  /** OTHER-kind segments live at the last listing and already logged (bounded by live segments). */
  private Set<UUID> otherLogged = new HashSet<>();
  /** Staged descriptors of indexes not configured, already logged (bounded by the last scan). */
  private Set<String> foreignLogged = new HashSet<>();
  private boolean failing;

  /** Descriptor names of staged splits in flight, published for the worker thread (immutable snapshot). */
  private volatile Set<String> stagedInFlight = Set.of();

  /**
   * @param context the enumerator context
   * @param indexNames the indexes whose segments to read
   * @param intervalMs discovery period in milliseconds (the first discovery runs at once)
   * @param committed where committed segments are listed
   * @param staged where staged segments are found, or null when the source has no staging directory
   * @param clock discovery times
   * @param restored the state to start from ({@link EnumeratorState#empty()} for a new source)
   */
  public SegmentEnumerator(
      SplitEnumeratorContext<SegmentSplit> context, Set<String> indexNames, long intervalMs,
      CommittedSegments committed, StagedSegments staged, Clock clock, EnumeratorState restored) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("discovery interval must be positive, got " + intervalMs + " ms");
    }
    if (indexNames.isEmpty()) {
      throw new IllegalArgumentException("no index names to discover");
    }
    this.context = Objects.requireNonNull(context, "context");
    this.indexNames = Set.copyOf(indexNames);
    this.intervalMs = intervalMs;
    this.committed = Objects.requireNonNull(committed, "committed");
    this.staged = staged;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lastVersion = restored.lastVersion();
    for (SegmentSplit s : restored.pending()) {
      pending.put(s.splitId(), s);
    }
    for (SegmentSplit s : restored.assigned()) {
      assigned.put(s.splitId(), s);
    }
    publishStagedInFlight();
  }

  @Override
  public void start() {
    LOG.info("Segment discovery of {} every {} ms starts at version {} with {} segments in flight ({} pending)",
        indexNames, intervalMs, lastVersion, pending.size() + assigned.size(), pending.size());
    context.callAsync(this::discover, this::applyDiscovery, 0, intervalMs);
  }

  @Override
  public void handleSplitRequest(int subtaskId, String requesterHostname) {
    awaiting.add(subtaskId);
    assignPending();
  }

  /**
   * Splits a failed reader had been assigned since the last checkpoint return to pending, unless their segment
   * left the in-flight set meanwhile (replaced or done): those are not revived.
   */
  @Override
  public void addSplitsBack(List<SegmentSplit> splits, int subtaskId) {
    int back = 0;
    for (SegmentSplit s : splits) {
      if (assigned.remove(s.splitId()) != null) {
        pending.put(s.splitId(), s);
        back++;
      }
    }
    LOG.info("{} of {} splits of reader {} returned to pending", back, splits.size(), subtaskId);
    assignPending();
  }

  @Override
  public void addReader(int subtaskId) {
    assignPending();
  }

  @Override
  public EnumeratorState snapshotState(long checkpointId) {
    return new EnumeratorState(lastVersion, new ArrayList<>(pending.values()), new ArrayList<>(assigned.values()));
  }

  @Override
  public void close() {
    closeQuietly(committed, "committed segments");
    if (staged != null) {
      closeQuietly(staged, "staged segments");
    }
  }

  // ------------------------------------------------------------------------------------------------- discovery

  /** What one discovery found; made on the worker thread. Either part may be null when that part failed. */
  record Discovery(
      CommittedSegments.Listing manifest, Exception manifestError,
      List<StagedCandidate> staged, Set<String> stagedChecked, Set<String> stagedPresent, Exception stagedError,
      long at) {}

  /** A valid descriptor and its segment's size. */
  record StagedCandidate(StagedSegment segment, long bytes) {}

  /** Runs on the worker thread: reads the manifest and scans the staging directory, no enumerator state touched. */
  Discovery discover() {
    long at = clock.millis();
    CommittedSegments.Listing manifest = null;
    Exception manifestError = null;
    try {
      manifest = committed.list(indexNames);
    } catch (Exception e) {
      manifestError = e;
    }
    List<StagedCandidate> candidates = null;
    Set<String> checked = null;
    Set<String> present = null;
    Exception stagedError = null;
    if (staged != null) {
      try {
        checked = stagedInFlight;
        present = staged.present(checked);
        candidates = new ArrayList<>();
        for (StagedSegment s : staged.scan(checked)) {
          long bytes;
          try {
            bytes = staged.bytes(s);
          } catch (Exception e) {
            LOG.warn("Cannot size staged segment {} ({}); counting 0 bytes: {}", s.fileName(), s.segmentDir(), e.toString());
            bytes = 0;
          }
          candidates.add(new StagedCandidate(s, bytes));
        }
      } catch (Exception e) {
        candidates = null;
        stagedError = e;
      }
    }
    return new Discovery(manifest, manifestError, candidates, checked, present, stagedError, at);
  }

  /** Runs on the coordinator thread. */
  void applyDiscovery(Discovery d, Throwable t) {
    if (t != null) {
      logFailure("segment discovery", t);
      return;
    }
    if (d.manifestError() != null) {
      logFailure("reading the manifest of " + indexNames, d.manifestError());
    }
    if (d.stagedError() != null) {
      logFailure("scanning the staging directory", d.stagedError());
    }
    if (d.manifestError() == null && d.stagedError() == null && failing) {
      failing = false;
      LOG.info("Segment discovery works again");
    }
    Map<UUID, LiveSegment> live = null;
    if (d.manifest() != null) {
      live = applyManifest(d.manifest(), d.at());
    }
    if (d.staged() != null) {
      applyStaged(d, live);
    }
    publishStagedInFlight();
    assignPending();
  }

  /** Returns the live segments (of kinds we read) by uuid. */
  private Map<UUID, LiveSegment> applyManifest(CommittedSegments.Listing m, long at) {
    if (m.version() < lastVersion) {
      LOG.warn("Manifest version went back from {} to {}; reading it as it is", lastVersion, m.version());
    }
    Map<UUID, LiveSegment> live = new LinkedHashMap<>();
    Set<UUID> otherLive = new HashSet<>();
    for (LiveSegment s : m.segments()) {
      if (!indexNames.contains(s.indexName())) {
        continue;
      }
      if (s.kind() == SegmentKind.OTHER) {
        otherLive.add(s.uuid());
        if (!otherLogged.contains(s.uuid())) {
          LOG.warn("Ignoring segment {} of index {}: its kind ({}) is neither vector nor ZoneMap",
              s.uuid(), s.indexName(), s.detailsTypeUrl().isEmpty() ? "unknown" : s.detailsTypeUrl());
        }
        continue;
      }
      live.put(s.uuid(), s);
    }
    otherLogged = otherLive;
    int dropped = dropIf(s -> s.origin() == SegmentSplit.Origin.COMMITTED && !live.containsKey(s.segmentUuid()));
    int added = 0;
    int handover = 0;
    for (LiveSegment s : live.values()) {
      String id = SegmentSplit.Origin.COMMITTED.splitId(s.uuid());
      if (inFlight(SegmentSplit.Origin.STAGED.splitId(s.uuid()))) {
        // A staged segment committed as it is: it is read again as a committed segment only once its staged split
        // has left (its descriptor marked done), so one segment is never in flight twice.
        handover++;
        continue;
      }
      if (!inFlight(id)) {
        pending.put(id, SegmentSplit.committed(s, at));
        added++;
      }
    }
    if (added > 0 || dropped > 0 || m.version() != lastVersion) {
      LOG.info("Manifest version {}: {} new segments, {} replaced ones left, {} committed from staging waiting for "
          + "their descriptors to be done; {} in flight ({} pending)",
          m.version(), added, dropped, handover, pending.size() + assigned.size(), pending.size());
    }
    lastVersion = m.version();
    return live;
  }

  private void applyStaged(Discovery d, Map<UUID, LiveSegment> live) {
    Set<String> goneNames = new HashSet<>(d.stagedChecked());
    goneNames.removeAll(d.stagedPresent());
    int dropped = 0;
    if (!goneNames.isEmpty()) {
      dropped = dropIf(s -> s.origin() == SegmentSplit.Origin.STAGED && goneNames.contains(s.descriptorName()));
    }
    int added = 0;
    Set<String> foreign = new HashSet<>();
    for (StagedCandidate c : d.staged()) {
      StagedSegment s = c.segment();
      UUID uuid = s.descriptor().segmentUuid();
      if (!indexNames.contains(s.descriptor().indexName())) {
        foreign.add(s.fileName());
        if (!foreignLogged.contains(s.fileName())) {
          LOG.info("Ignoring staged descriptor {}: index {} is not one of {}", s.fileName(),
              s.descriptor().indexName(), indexNames);
        }
        continue;
      }
      String id = SegmentSplit.Origin.STAGED.splitId(uuid);
      if (inFlight(id)) {
        continue;
      }
      if (live != null && live.containsKey(uuid) || inFlight(SegmentSplit.Origin.COMMITTED.splitId(uuid))) {
        // Committed already (unmerged); the committed split covers it. The descriptor is the committer's to mark.
        LOG.debug("Staged descriptor {} announces segment {}, which is committed; not read twice", s.fileName(), uuid);
        continue;
      }
      pending.put(id, SegmentSplit.staged(s, c.bytes(), d.at()));
      added++;
    }
    foreignLogged = foreign;
    if (added > 0 || dropped > 0) {
      LOG.info("Staging: {} new segments, {} done or quarantined ones left; {} in flight ({} pending)",
          added, dropped, pending.size() + assigned.size(), pending.size());
    }
  }

  /** Removes the in-flight splits matching {@code p}; returns how many. */
  private int dropIf(java.util.function.Predicate<SegmentSplit> p) {
    int n = 0;
    for (Map<String, SegmentSplit> m : List.of(pending, assigned)) {
      Iterator<SegmentSplit> it = m.values().iterator();
      while (it.hasNext()) {
        SegmentSplit s = it.next();
        if (p.test(s)) {
          it.remove();
          n++;
        }
      }
    }
    return n;
  }

  private boolean inFlight(String id) {
    return pending.containsKey(id) || assigned.containsKey(id);
  }

  private void assignPending() {
    if (pending.isEmpty() || awaiting.isEmpty()) {
      return;
    }
    Map<Integer, List<SegmentSplit>> batch = new HashMap<>();
    Set<Integer> registered = context.registeredReaders().keySet();
    Iterator<Integer> readers = awaiting.iterator();
    while (readers.hasNext() && !pending.isEmpty()) {
      int reader = readers.next();
      readers.remove();
      if (!registered.contains(reader)) {
        continue;
      }
      Iterator<SegmentSplit> first = pending.values().iterator();
      SegmentSplit s = first.next();
      first.remove();
      assigned.put(s.splitId(), s);
      batch.computeIfAbsent(reader, r -> new ArrayList<>()).add(s);
    }
    if (!batch.isEmpty()) {
      context.assignSplits(new SplitsAssignment<>(batch));
      LOG.debug("Assigned {}", batch);
    }
  }

  private void publishStagedInFlight() {
    if (staged == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (Collection<SegmentSplit> c : List.of(pending.values(), assigned.values())) {
      for (SegmentSplit s : c) {
        if (s.origin() == SegmentSplit.Origin.STAGED) {
          names.add(s.descriptorName());
        }
      }
    }
    stagedInFlight = Set.copyOf(names);
  }

  private void logFailure(String what, Throwable t) {
    failing = true;
    LOG.warn("{} failed; retrying in {} ms: {}", what, intervalMs, t.toString(), t);
  }

  private static void closeQuietly(AutoCloseable c, String what) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("Closing {} failed: {}", what, e.toString());
    }
  }
}
