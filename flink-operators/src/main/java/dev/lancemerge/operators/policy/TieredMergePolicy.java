package dev.lancemerge.operators.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which index segments are merged together, and when, after Lucene's TieredMergePolicy. Pure and
 * deterministic: the same segments and time give the same merges.
 *
 * <ol>
 *   <li>Segments larger than half of {@code maxMergedSegmentBytes} are left alone.</li>
 *   <li>Budget ({@link TierBudget}): while more segments are live than tiers growing geometrically from the floor
 *       allow, the least-cost merge ({@link LeastCostMerge}) is picked, its inputs taken out.</li>
 *   <li>Deadline ({@link OverdueMerges}): a pending segment that has waited {@code maxDelay} is merged with the
 *       other pending small segments, or passed through alone.</li>
 * </ol>
 *
 * <p>{@code live} must hold only segments available for merging: not those of a merge still running.
 */
public final class TieredMergePolicy {

    /**
     * @param segmentsPerTier       segments allowed per tier (and the minimum budget)
     * @param maxMergeAtOnce        most inputs of one merge
     * @param floorSegmentBytes     smaller segments count as this size when forming tiers and scoring
     * @param maxMergedSegmentBytes no merge produces more; segments larger than half of it are left alone
     * @param maxDelay              a pending segment is merged (or passed through) after waiting this long
     * @param minGrowth             a merge must produce at least this times its largest input, unless it merges
     *                              at least min(segmentsPerTier, maxMergeAtOnce) floor-sized segments, or the
     *                              deadline forces it
     */
    public record Config(int segmentsPerTier, int maxMergeAtOnce, long floorSegmentBytes,
                         long maxMergedSegmentBytes, Duration maxDelay, double minGrowth)
            implements java.io.Serializable {

        public static final int DEFAULT_SEGMENTS_PER_TIER = 8;
        public static final int DEFAULT_MAX_MERGE_AT_ONCE = 16;
        public static final long DEFAULT_FLOOR_SEGMENT_BYTES = 16L << 20;
        public static final long DEFAULT_MAX_MERGED_SEGMENT_BYTES = 5L << 30;
        public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);
        public static final double DEFAULT_MIN_GROWTH = 1.5;

        public Config {
            Objects.requireNonNull(maxDelay, "maxDelay");
            if (segmentsPerTier < 2) {
                throw new IllegalArgumentException("segmentsPerTier must be >= 2, got " + segmentsPerTier);
            }
            if (maxMergeAtOnce < 2) {
                throw new IllegalArgumentException("maxMergeAtOnce must be >= 2, got " + maxMergeAtOnce);
            }
            if (floorSegmentBytes <= 0) {
                throw new IllegalArgumentException("floorSegmentBytes must be > 0, got " + floorSegmentBytes);
            }
            if (maxMergedSegmentBytes <= floorSegmentBytes) {
                throw new IllegalArgumentException("maxMergedSegmentBytes (" + maxMergedSegmentBytes
                        + ") must be greater than floorSegmentBytes (" + floorSegmentBytes + ")");
            }
            if (maxDelay.isNegative() || maxDelay.isZero()) {
                throw new IllegalArgumentException("maxDelay must be positive, got " + maxDelay);
            }
            if (!(minGrowth >= 1.0) || Double.isInfinite(minGrowth)) {
                throw new IllegalArgumentException("minGrowth must be a finite number >= 1.0, got " + minGrowth);
            }
        }

        public static Config defaults() {
            return new Config(DEFAULT_SEGMENTS_PER_TIER, DEFAULT_MAX_MERGE_AT_ONCE, DEFAULT_FLOOR_SEGMENT_BYTES,
                    DEFAULT_MAX_MERGED_SEGMENT_BYTES, DEFAULT_MAX_DELAY, DEFAULT_MIN_GROWTH);
        }

        public Config withSegmentsPerTier(int v) {
            return new Config(v, maxMergeAtOnce, floorSegmentBytes, maxMergedSegmentBytes, maxDelay, minGrowth);
        }

        public Config withMaxMergeAtOnce(int v) {
            return new Config(segmentsPerTier, v, floorSegmentBytes, maxMergedSegmentBytes, maxDelay, minGrowth);
        }

        public Config withFloorSegmentBytes(long v) {
            return new Config(segmentsPerTier, maxMergeAtOnce, v, maxMergedSegmentBytes, maxDelay, minGrowth);
        }

        public Config withMaxMergedSegmentBytes(long v) {
            return new Config(segmentsPerTier, maxMergeAtOnce, floorSegmentBytes, v, maxDelay, minGrowth);
        }

        public Config withMaxDelay(Duration v) {
            return new Config(segmentsPerTier, maxMergeAtOnce, floorSegmentBytes, maxMergedSegmentBytes, v, minGrowth);
        }

        public Config withMinGrowth(double v) {
            return new Config(segmentsPerTier, maxMergeAtOnce, floorSegmentBytes, maxMergedSegmentBytes, maxDelay, v);
        }

        /** How much larger each tier's segments are than the previous tier's. */
        int mergeFactor() {
            return Math.min(segmentsPerTier, maxMergeAtOnce);
        }

        long floored(long bytes) {
            return Math.max(bytes, floorSegmentBytes);
        }

        boolean tooLargeToMerge(SegmentInfo s) {
            return s.bytes() > maxMergedSegmentBytes / 2;
        }

        /** When a pending segment must be handled at the latest (saturating). */
        long deadline(SegmentInfo s) {
            long delay = maxDelay.toMillis();
            long arrived = s.arrivedAtMillis();
            return arrived > Long.MAX_VALUE - delay ? Long.MAX_VALUE : arrived + delay;
        }
    }

    private final Config config;

    public TieredMergePolicy(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public Config config() {
        return config;
    }

    /**
     * The merges to run now: budget merges first (least cost first), then forced ones. No segment is in two
     * specs. A single-input spec is a pass-through (commit or keep as is).
     */
    public List<MergeSpec> findMerges(Collection<SegmentInfo> live, long nowMillis) {
        checkDistinct(live);
        List<SegmentInfo> eligible = new ArrayList<>();
        for (SegmentInfo s : live) {
            if (!config.tooLargeToMerge(s)) {
                eligible.add(s);
            }
        }
        eligible.sort(SegmentInfo.BY_SIZE_DESCENDING);

        List<MergeSpec> specs = new ArrayList<>();
        long allowed = TierBudget.allowedSegments(eligible, config);
        long count = eligible.size();
        while (count > allowed) {
            List<SegmentInfo> best = LeastCostMerge.find(eligible, config);
            if (best == null) {
                break;
            }
            specs.add(new MergeSpec(best));
            eligible.removeAll(best);
            count -= best.size() - 1;
        }

        List<SegmentInfo> available = new ArrayList<>(live);
        for (MergeSpec spec : specs) {
            available.removeAll(spec.inputs());
        }
        specs.addAll(OverdueMerges.find(available, nowMillis, config));
        return List.copyOf(specs);
    }

    /**
     * When {@link #findMerges} must be called again at the latest if nothing else changes: the earliest deadline
     * ({@code arrival + maxDelay}) of a pending segment, possibly already past; {@link Long#MAX_VALUE} if none.
     */
    public long nextDeadlineMillis(Collection<SegmentInfo> live) {
        long next = Long.MAX_VALUE;
        for (SegmentInfo s : live) {
            if (s.isPending()) {
                next = Math.min(next, config.deadline(s));
            }
        }
        return next;
    }

    private static void checkDistinct(Collection<SegmentInfo> live) {
        Objects.requireNonNull(live, "live");
        Set<String> ids = new HashSet<>();
        for (SegmentInfo s : live) {
            if (!ids.add(Objects.requireNonNull(s, "live segment").id())) {
                throw new IllegalArgumentException("segment " + s.id() + " is listed twice among the live segments");
            }
        }
    }
}
