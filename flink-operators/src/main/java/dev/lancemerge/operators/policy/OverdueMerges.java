package dev.lancemerge.operators.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The maxDelay rule: a pending (generation 0) segment that has waited {@code maxDelay} is merged now, with the
 * other pending floor-sized segments (oldest first, at most {@code maxMergeAtOnce} per merge, never more than
 * {@code maxMergedSegmentBytes}), or passed through alone. A pending segment above the floor is always passed
 * through alone: rewriting it buys no freshness. Already merged segments are never pulled in: a forced merge
 * must not rewrite a big segment to make a tiny one fresh.
 */
final class OverdueMerges {

    private OverdueMerges() {
    }

    /** Forced merges among {@code available} (segments no other spec took) at {@code nowMillis}. */
    static List<MergeSpec> find(List<SegmentInfo> available, long nowMillis, TieredMergePolicy.Config config) {
        List<SegmentInfo> pendingSmall = new ArrayList<>();
        List<MergeSpec> specs = new ArrayList<>();
        long lastOverdueArrival = Long.MIN_VALUE;
        boolean anyOverdueSmall = false;
        for (SegmentInfo s : available.stream().sorted(SegmentInfo.BY_ARRIVAL).toList()) {
            if (!s.isPending()) {
                continue;
            }
            boolean overdue = config.deadline(s) <= nowMillis;
            if (s.bytes() > config.floorSegmentBytes()) {
                if (overdue) {
                    specs.add(new MergeSpec(List.of(s)));
                }
                continue;
            }
            pendingSmall.add(s);
            if (overdue) {
                anyOverdueSmall = true;
                lastOverdueArrival = s.arrivedAtMillis();
            }
        }
        if (!anyOverdueSmall) {
            return specs;
        }
        List<SegmentInfo> group = new ArrayList<>();
        long groupBytes = 0;
        for (SegmentInfo s : pendingSmall) {
            boolean full = group.size() == config.maxMergeAtOnce()
                    || groupBytes + s.bytes() > config.maxMergedSegmentBytes();
            if (full) {
                specs.add(new MergeSpec(group));
                group = new ArrayList<>();
                groupBytes = 0;
                if (s.arrivedAtMillis() > lastOverdueArrival) {
                    break; // nothing overdue is left: younger segments keep waiting
                }
            }
            group.add(s);
            groupBytes += s.bytes();
        }
        if (!group.isEmpty()) {
            specs.add(new MergeSpec(group));
        }
        return specs;
    }
}
