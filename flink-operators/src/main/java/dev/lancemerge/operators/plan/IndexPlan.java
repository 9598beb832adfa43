package dev.lancemerge.operators.plan;

import dev.lancemerge.operators.policy.MergeSpec;
import dev.lancemerge.operators.policy.SegmentInfo;
import dev.lancemerge.operators.policy.TieredMergePolicy;
import dev.lancemerge.operators.source.SegmentSeen;
import dev.lancemerge.operators.source.SegmentSplit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What the planner knows of one index, and its decisions. Pure (no Flink, no I/O) and kept as the planner's keyed
 * state; bounded by the index's live segments and merges in flight, never by history.
 *
 * <ul>
 *   <li><b>segments</b>: live segments the source reported (committed or staged), each available or taken by one
 *       merge in flight, with its policy generation and arrival time;
 *   <li><b>merges</b>: windows decided and not yet resolved;
 *   <li><b>expected</b>: outputs of merges found committed before the source reported them (their generation);
 *   <li><b>rejected</b>: committed segments set aside (they stay committed unmerged while live).
 * </ul>
 *
 * A merge is resolved when its output is seen or found live (committed: its inputs leave), when an input is gone
 * without the output being live (another writer replaced it, or the commit dropped the merge: the rest become
 * available again), or after the merge timeout (a commit that never came: the inputs become available again; a
 * late commit then makes the next merge of them find its inputs gone, which is harmless).
 */
public final class IndexPlan {
  /** A live segment. {@code mergeId} is null while it is available. */
  public static final class Entry {
    SegmentSeen seen;
    int generation;
    final long arrivedAt;
    String mergeId;

    Entry(SegmentSeen seen, int generation, long arrivedAt, String mergeId) {
      this.seen = Objects.requireNonNull(seen, "seen");
      this.generation = generation;
      this.arrivedAt = arrivedAt;
      this.mergeId = mergeId;
    }

    public SegmentSeen seen() {
      return seen;
    }

    public int generation() {
      return generation;
    }

    public long arrivedAt() {
      return arrivedAt;
    }

    public String mergeId() {
      return mergeId;
    }

    UUID uuid() {
      return seen.split().segmentUuid();
    }

    SegmentInfo info() {
      return new SegmentInfo(uuid().toString(), seen.bytes(), seen.rows(), arrivedAt, generation);
    }
  }

  /** A segment the plan refuses, and why. */
  public record Rejection(SegmentSplit split, String reason) {}

  /** What one step decided: events for the buffer and the assembler, segments to set aside, merges given up. */
  public record Step(List<MergeEvent> events, List<Rejection> rejections, List<MergeWindow> resolved,
      List<MergeWindow> abandoned) {
    static Step empty() {
      return new Step(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    void add(Step other) {
      events.addAll(other.events);
      rejections.addAll(other.rejections);
      resolved.addAll(other.resolved);
      abandoned.addAll(other.abandoned);
    }
  }

  private final String indexName;
  private final String commitUser;
  final LinkedHashMap<UUID, Entry> segments = new LinkedHashMap<>();
  final LinkedHashMap<String, MergeWindow> merges = new LinkedHashMap<>();
  final LinkedHashMap<UUID, Integer> expected = new LinkedHashMap<>();
  final LinkedHashSet<UUID> rejected = new LinkedHashSet<>();

  public IndexPlan(String indexName, String commitUser) {
    this.indexName = Objects.requireNonNull(indexName, "indexName");
    this.commitUser = Objects.requireNonNull(commitUser, "commitUser");
  }

  public String indexName() {
    return indexName;
  }

  /** The stable commit user of this index's merges (created once, then kept in state). */
  public String commitUser() {
    return commitUser;
  }

  public Collection<Entry> segments() {
    return segments.values();
  }

  public Collection<MergeWindow> merges() {
    return merges.values();
  }

  /** Live segments (available or merging). */
  public int liveSegments() {
    return segments.size();
  }

  /** A live segment to check newcomers against (null when none is live). */
  public SegmentSeen reference() {
    return segments.isEmpty() ? null : segments.values().iterator().next().seen;
  }

  /** True if {@code uuid} is known (live, set aside, or the output of a merge in flight or found committed). */
  public boolean knows(UUID uuid) {
    return segments.containsKey(uuid) || rejected.contains(uuid) || expected.containsKey(uuid);
  }

  /** True if {@code uuid} is the output of a merge this plan decided (in flight or found committed). */
  public boolean isOutput(UUID uuid) {
    return expected.containsKey(uuid) || windowWithOutput(uuid) != null;
  }

  /** The source reported a segment (already validated by the caller unless it is an output of ours). */
  public Step onSeen(SegmentSeen seen, long now) {
    Step step = Step.empty();
    UUID uuid = seen.split().segmentUuid();
    MergeWindow done = windowWithOutput(uuid);
    if (done != null) {
      complete(done, step);
    }
    Entry known = segments.get(uuid);
    if (known != null) {
      if (known.seen.split().origin() == SegmentSplit.Origin.STAGED
          && seen.split().origin() == SegmentSplit.Origin.COMMITTED) {
        known.seen = seen;   // a staged segment now committed as it is: later merges replace it
      }
      return step;
    }
    if (rejected.contains(uuid)) {
      return step;
    }
    Integer generation = expected.remove(uuid);
    if (generation != null || done != null) {
      int g = generation != null ? generation : done.generation();
      segments.put(uuid, new Entry(seen, g, now, null));
      return step;
    }
    List<Entry> overlapping = new ArrayList<>();
    for (Entry e : segments.values()) {
      if (overlaps(e.seen.split().fragments(), seen.split().fragments())) {
        overlapping.add(e);
      }
    }
    if (!overlapping.isEmpty() && seen.split().origin() == SegmentSplit.Origin.STAGED) {
      Entry e = overlapping.get(0);
      step.rejections.add(new Rejection(seen.split(), "covers fragments " + common(e.seen.split().fragments(),
          seen.split().fragments()) + " that segment " + e.uuid() + " of index " + indexName + " already covers"));
      return step;
    }
    // The manifest never lists two segments of one index on a fragment: a known segment overlapping a committed
    // newcomer is stale (a staged one committed by others inside another segment, or a committed one replaced).
    for (Entry e : overlapping) {
      if (e.mergeId != null && merges.containsKey(e.mergeId)) {
        release(merges.get(e.mergeId), step);
      }
      segments.remove(e.uuid());
      step.events.add(MergeEvent.retire(e.uuid()));
    }
    segments.put(uuid, new Entry(seen, 0, seen.split().discoveredAt(), null));
    return step;
  }

  /** Descriptor files of the staged segments the plan holds (live or in a merge in flight). */
  public Set<String> descriptorPaths() {
    Set<String> paths = new java.util.HashSet<>();
    for (Entry e : segments.values()) {
      if (e.seen.split().descriptorPath() != null) {
        paths.add(e.seen.split().descriptorPath());
      }
    }
    for (MergeWindow w : merges.values()) {
      for (SegmentSeen s : w.inputs()) {
        if (s.split().descriptorPath() != null) {
          paths.add(s.split().descriptorPath());
        }
      }
    }
    return paths;
  }

  /** Remembers a committed segment set aside (so it is never planned while it stays live). */
  public void reject(SegmentSplit split) {
    if (split.origin() == SegmentSplit.Origin.COMMITTED) {
      rejected.add(split.segmentUuid());
    }
  }

  /** Runs the policy over the available segments and opens the windows it asks for. */
  public Step plan(TieredMergePolicy policy, long now) {
    Step step = Step.empty();
    Map<String, Entry> available = new LinkedHashMap<>();
    for (Entry e : segments.values()) {
      if (e.mergeId == null) {
        available.put(e.uuid().toString(), e);
      }
    }
    List<SegmentInfo> infos = available.values().stream().map(Entry::info).toList();
    for (MergeSpec spec : policy.findMerges(infos, now)) {
      List<Entry> inputs = spec.inputs().stream().map(i -> available.get(i.id())).toList();
      Entry first = inputs.get(0);
      if (spec.isPassThrough() && first.seen.split().origin() == SegmentSplit.Origin.COMMITTED) {
        // Committed already and nothing to merge it with yet: it stays pending, so the next small segment that
        // arrives is merged with it at once (see nextDeadline: no timer for what is overdue already).
        continue;
      }
      MergeWindow w = MergeWindow.of(commitUser, now, spec.output("output", now).generation(),
          inputs.stream().map(Entry::seen).toList());
      merges.put(w.mergeId(), w);
      for (Entry e : inputs) {
        e.mergeId = w.mergeId();
      }
      step.events.add(MergeEvent.open(w));
    }
    return step;
  }

  /**
   * When {@link #plan} must run again at the latest, as the policy says: the earliest deadline after {@code now}
   * of an available pending segment ({@link Long#MAX_VALUE} if none). Segments overdue already were handled by the
   * last plan (a committed one waits for company, which plans again when it arrives).
   */
  public long nextDeadline(TieredMergePolicy policy, long now) {
    List<SegmentInfo> infos = new ArrayList<>();
    for (Entry e : segments.values()) {
      if (e.mergeId == null && e.arrivedAt + policy.config().maxDelay().toMillis() > now) {
        infos.add(e.info());
      }
    }
    return policy.nextDeadlineMillis(infos);
  }

  /**
   * Brings the plan in line with the manifest ({@code live}: the index's committed segments now) and the staging
   * area ({@code descriptorPresent}: whether a staged descriptor still waits), resolving merges and forgetting
   * segments that left.
   */
  public Step reconcile(Set<UUID> live, Predicate<String> descriptorPresent, long now, long mergeTimeoutMs) {
    Step step = Step.empty();
    for (MergeWindow w : List.copyOf(merges.values())) {
      if (live.contains(w.outputUuid())) {
        complete(w, step);
        if (!segments.containsKey(w.outputUuid())) {
          expected.put(w.outputUuid(), w.generation());
        }
      } else if (anyChanged(w, live, descriptorPresent)) {
        release(w, step);
      } else if (now - w.decidedAt() > mergeTimeoutMs) {
        release(w, step);
      }
    }
    for (Iterator<Entry> it = segments.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      SegmentSplit split = e.seen.split();
      if (split.origin() == SegmentSplit.Origin.STAGED && live.contains(split.segmentUuid())) {
        e.seen = new SegmentSeen(split.asCommitted(), e.seen.rows(), e.seen.partitions(), e.seen.slices(),
            e.seen.bytes());
        continue;
      }
      if (e.mergeId == null && gone(split, live, descriptorPresent)) {
        it.remove();
        step.events.add(MergeEvent.retire(e.uuid()));
      }
    }
    expected.keySet().retainAll(live);
    rejected.retainAll(live);
    return step;
  }

  // ------------------------------------------------------------------------------------------------------------

  private MergeWindow windowWithOutput(UUID uuid) {
    for (MergeWindow w : merges.values()) {
      if (w.outputUuid().equals(uuid)) {
        return w;
      }
    }
    return null;
  }

  /** The merge is committed: its inputs leave (a pass-through's input stays: it is the output). */
  private void complete(MergeWindow w, Step step) {
    merges.remove(w.mergeId());
    for (UUID in : w.inputUuids()) {
      if (in.equals(w.outputUuid())) {
        Entry e = segments.get(in);
        if (e != null) {
          e.mergeId = null;
          e.generation = Math.max(e.generation, w.generation());
        }
        continue;
      }
      segments.remove(in);
      step.events.add(MergeEvent.retire(in));
    }
    step.events.add(MergeEvent.close(w.mergeId()));
    step.resolved.add(w);
  }

  /** The merge will not be committed: its inputs become available again. */
  private void release(MergeWindow w, Step step) {
    merges.remove(w.mergeId());
    for (UUID in : w.inputUuids()) {
      Entry e = segments.get(in);
      if (e != null && w.mergeId().equals(e.mergeId)) {
        e.mergeId = null;
      }
    }
    step.events.add(MergeEvent.close(w.mergeId()));
    step.abandoned.add(w);
  }

  /** An input left, or a staged input got committed by someone else: the window's commit cannot succeed. */
  private static boolean anyChanged(MergeWindow w, Set<UUID> live, Predicate<String> descriptorPresent) {
    for (SegmentSeen s : w.inputs()) {
      SegmentSplit split = s.split();
      boolean staged = split.origin() == SegmentSplit.Origin.STAGED;
      if (gone(split, live, descriptorPresent) || staged && live.contains(split.segmentUuid())) {
        return true;
      }
    }
    return false;
  }

  private static boolean gone(SegmentSplit s, Set<UUID> live, Predicate<String> descriptorPresent) {
    return s.origin() == SegmentSplit.Origin.COMMITTED
        ? !live.contains(s.segmentUuid())
        : !descriptorPresent.test(s.descriptorPath()) && !live.contains(s.segmentUuid());
  }

  private static boolean overlaps(Set<Integer> a, Set<Integer> b) {
    for (Integer x : b) {
      if (a.contains(x)) {
        return true;
      }
    }
    return false;
  }

  private static List<Integer> common(Set<Integer> a, Set<Integer> b) {
    return b.stream().filter(a::contains).limit(8).toList();
  }
}
