package dev.lancemerge.operators.plan;

import dev.lancemerge.operators.io.FormatTypeInfo;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.policy.TieredMergePolicy;
import dev.lancemerge.operators.source.CommittedSegments;
import dev.lancemerge.operators.source.LanceCommittedSegments;
import dev.lancemerge.operators.source.SegmentRecord;
import dev.lancemerge.operators.source.SegmentSeen;
import dev.lancemerge.operators.source.SegmentSplit;
import dev.lancemerge.operators.staging.StagingArea;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides merge windows, keyed by index name. Receives the source's SEEN and REJECTED records; keeps an
 * {@link IndexPlan} per index in state; vets each new segment ({@link SegmentValidator}) and sets aside those that
 * fail (a staged one's descriptor goes to quarantine with the reason, a committed one stays committed unmerged);
 * runs the tiered policy after every change and at the policy's deadlines; and every reconcile interval reads the
 * manifest to resolve merges and forget replaced segments. Emits OPEN / CLOSE / RETIRE {@link MergeEvent}s.
 */
public final class MergePlanner extends KeyedProcessFunction<String, SegmentRecord, MergeEvent> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MergePlanner.class);
  public static final String METRIC_GROUP = "lanceIndexMerge";

  private final PlannerOptions options;
  private transient ValueState<IndexPlan> state;
  private transient TieredMergePolicy policy;
  private transient CommittedSegments manifest;
  private transient StagingArea staging;
  private transient Counter discovered;
  private transient Counter quarantined;
  private transient Counter planned;
  private transient Counter abandoned;
  private transient MetricGroup metrics;
  /** When each index last saw a segment: planning waits until a burst has settled (lost on restore: harmless). */
  private transient java.util.Map<String, Long> lastSeenAt;
  /** Live segments per index this subtask plans, for the per-index gauges. */
  private transient java.util.concurrent.ConcurrentHashMap<String, Integer> live;

  public MergePlanner(PlannerOptions options) {
    this.options = options;
  }

  /** Type information of the planner's output. */
  public static FormatTypeInfo<MergeEvent> eventType() {
    return FormatTypeInfo.of(new MergeEventFormat());
  }

  @Override
  public void open(OpenContext context) {
    state = getRuntimeContext().getState(new ValueStateDescriptor<>("index-plan", FormatTypeInfo.of(new IndexPlanFormat())));
    policy = new TieredMergePolicy(options.policy());
    manifest = new LanceCommittedSegments(options.datasetPath());
    if (options.stagingPath() != null) {
      staging = StagingArea.of(options.stagingPath(), options.datasetPath());
    }
    MetricGroup g = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP);
    metrics = g;
    live = new java.util.concurrent.ConcurrentHashMap<>();
    lastSeenAt = new java.util.HashMap<>();
    discovered = g.counter("segmentsDiscovered");
    quarantined = g.counter("segmentsQuarantined");
    planned = g.counter("mergesPlanned");
    abandoned = g.counter("mergesAbandoned");
  }

  @Override
  public void close() throws Exception {
    if (manifest != null) {
      manifest.close();
    }
  }

  @Override
  public void processElement(SegmentRecord r, Context ctx, Collector<MergeEvent> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    IndexPlan plan = state.value();
    if (plan == null) {
      plan = new IndexPlan(ctx.getCurrentKey(), UUID.randomUUID().toString());
      LOG.info("Index {}: new commit user {}", plan.indexName(), plan.commitUser());
      ctx.timerService().registerProcessingTimeTimer(nextReconcile(now));
    }
    IndexPlan.Step step = IndexPlan.Step.empty();
    switch (r.kind()) {
      case SEEN -> step.add(seen(plan, r.seen(), now));
      case REJECTED -> step.rejections().add(new IndexPlan.Rejection(r.rejected().split(), r.rejected().reason()));
      default -> throw new IllegalArgumentException("the planner takes SEEN and REJECTED records, not " + r.kind());
    }
    // Plan a moment later, not now: a burst of segments (a backlog at start, a build finishing many fragments)
    // is then planned together instead of one by one (each arrival pushes the planning back).
    lastSeenAt.put(plan.indexName(), now);
    ctx.timerService().registerProcessingTimeTimer(now + options.settle().toMillis());
    finish(plan, step, now, ctx.timerService(), out, false);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<MergeEvent> out) throws Exception {
    IndexPlan plan = state.value();
    if (plan == null) {
      return;
    }
    long now = ctx.timerService().currentProcessingTime();
    IndexPlan.Step step = IndexPlan.Step.empty();
    if (timestamp % options.reconcileInterval().toMillis() == 0) {
      try {
        step.add(reconcile(plan, now));
      } catch (Exception e) {
        LOG.warn("Index {}: reading the manifest failed; retrying in {}: {}", plan.indexName(),
            options.reconcileInterval(), e.toString());
      }
      ctx.timerService().registerProcessingTimeTimer(nextReconcile(now));
    }
    boolean settling = now - lastSeenAt.getOrDefault(plan.indexName(), Long.MIN_VALUE / 2) < options.settle().toMillis();
    finish(plan, step, now, ctx.timerService(), out, !settling);
  }

  private IndexPlan.Step seen(IndexPlan plan, SegmentSeen seen, long now) {
    SegmentSplit split = seen.split();
    if (!plan.knows(split.segmentUuid()) && !plan.isOutput(split.segmentUuid())) {
      discovered.inc();
      LOG.info("Index {}: {} segment {} found ({} rows, {} fragments, {} KB)", plan.indexName(),
          split.origin().name().toLowerCase(java.util.Locale.ROOT), split.segmentUuid(), seen.rows(),
          split.fragments().size(), seen.bytes() >> 10);
      SegmentSeen ref = plan.reference();
      Optional<String> problem = SegmentValidator.problem(ref == null ? null : ref.split(), split);
      if (problem.isPresent()) {
        IndexPlan.Step step = IndexPlan.Step.empty();
        step.rejections().add(new IndexPlan.Rejection(split, problem.get()));
        return step;
      }
    }
    return plan.onSeen(seen, now);
  }

  private IndexPlan.Step reconcile(IndexPlan plan, long now) throws Exception {
    // Descriptors first, then the manifest: a staged segment committed (and its descriptor marked done) between the
    // two reads is then found live, never taken for gone.
    Set<String> present = new HashSet<>();
    for (String path : plan.descriptorPaths()) {
      if (descriptorPresent(path)) {
        present.add(path);
      }
    }
    Set<UUID> liveUuids = new HashSet<>();
    for (LiveSegment s : manifest.list(Set.of(plan.indexName())).segments()) {
      liveUuids.add(s.uuid());
    }
    return plan.reconcile(liveUuids, present::contains, now, options.mergeTimeout().toMillis());
  }

  /** Reconcile timers lie on a grid, so timers registered at different moments coalesce into one. */
  private long nextReconcile(long now) {
    long interval = options.reconcileInterval().toMillis();
    return (now / interval + 1) * interval;
  }

  private static boolean descriptorPresent(String path) {
    return path != null && Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
  }

  private void finish(IndexPlan plan, IndexPlan.Step step, long now,
      org.apache.flink.streaming.api.TimerService timers, Collector<MergeEvent> out, boolean planNow)
      throws Exception {
    for (IndexPlan.Rejection x : step.rejections()) {
      setAside(plan, x);
    }
    for (MergeWindow w : step.abandoned()) {
      abandoned.inc();
      LOG.warn("Index {}: merge {} of {} was not committed (an input changed, or no commit within {}); its inputs "
          + "are available again", plan.indexName(), w.mergeId(), w.inputUuids(), options.mergeTimeout());
    }
    if (planNow) {
      step.add(plan.plan(policy, now));
    }
    for (MergeEvent e : step.events()) {
      if (e.kind() == MergeEvent.Kind.OPEN) {
        planned.inc();
        MergeWindow w = e.window();
        LOG.info("Index {}: merging {} segments ({} rows, {} bytes) into {}", plan.indexName(), w.inputs().size(),
            w.rows(), w.bytes(), w.outputUuid());
      }
      out.collect(e);
    }
    long deadline = plan.nextDeadline(policy, now);
    if (deadline != Long.MAX_VALUE) {
      timers.registerProcessingTimeTimer(deadline);
    }
    if (live.put(plan.indexName(), plan.liveSegments()) == null) {
      String index = plan.indexName();
      metrics.addGroup("index", index).gauge("liveSegments", () -> live.getOrDefault(index, 0));
    }
    state.update(plan);
  }

  private void setAside(IndexPlan plan, IndexPlan.Rejection x) {
    quarantined.inc();
    plan.reject(x.split());
    SegmentSplit s = x.split();
    if (s.origin() == SegmentSplit.Origin.STAGED && staging != null) {
      try {
        staging.setAside(Path.of(s.descriptorPath()), x.reason());
        LOG.warn("Index {}: staged segment {} quarantined ({}): {}", plan.indexName(), s.segmentUuid(),
            s.descriptorName(), x.reason());
      } catch (Exception e) {
        LOG.warn("Index {}: staged segment {} is set aside ({}) but its descriptor could not be quarantined: {}",
            plan.indexName(), s.segmentUuid(), x.reason(), e.toString());
      }
    } else {
      LOG.warn("Index {}: segment {} stays committed unmerged: {}", plan.indexName(), s.segmentUuid(), x.reason());
    }
  }
}
