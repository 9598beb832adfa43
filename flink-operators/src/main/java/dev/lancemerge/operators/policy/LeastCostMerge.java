package dev.lancemerge.operators.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the cheapest merge among windows of segments sorted by size, as Lucene's TieredMergePolicy does.
 *
 * <p>A window starts at each segment of the size-sorted list and takes the following segments until it holds
 * {@code maxMergeAtOnce}; a segment that would push the total over {@code maxMergedSegmentBytes} is skipped (the
 * window "hit the maximum" and packs smaller segments instead). Score, lower is better, with sizes rounded up to
 * the floor: {@code largest / total} (1/n for n equal inputs, so balanced windows with more inputs win;
 * {@code 1/mergeFactor} for a window that hit the maximum) times {@code total^0.05} (a gentle preference for
 * smaller merges). A window whose output is less than {@code minGrowth} times its largest input is refused unless
 * it merges at least {@code mergeFactor} (= min(segmentsPerTier, maxMergeAtOnce)) floor-sized segments.
 */
final class LeastCostMerge {

    private static final double SIZE_EXPONENT = 0.05;

    private LeastCostMerge() {
    }

    /**
     * The least-cost window of {@code bySizeDescending} (sorted with {@link SegmentInfo#BY_SIZE_DESCENDING}),
     * or {@code null} if no window of two or more segments is acceptable.
     */
    static List<SegmentInfo> find(List<SegmentInfo> bySizeDescending, TieredMergePolicy.Config config) {
        List<SegmentInfo> best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int start = 0; start < bySizeDescending.size(); start++) {
            List<SegmentInfo> window = new ArrayList<>();
            long total = 0;
            boolean hitMaximum = false;
            for (int i = start; i < bySizeDescending.size() && window.size() < config.maxMergeAtOnce(); i++) {
                SegmentInfo s = bySizeDescending.get(i);
                if (total + s.bytes() > config.maxMergedSegmentBytes()) {
                    hitMaximum = true;
                    continue;
                }
                window.add(s);
                total += s.bytes();
            }
            if (window.size() < 2) {
                continue;
            }
            if (best != null && !hitMaximum && window.size() < config.mergeFactor()) {
                break; // only shorter windows of smaller segments follow
            }
            if (!growsEnough(window, total, config)) {
                continue;
            }
            double score = score(window, total, hitMaximum, config);
            if (score < bestScore) {
                best = window;
                bestScore = score;
            }
        }
        return best;
    }

    /** The minGrowth rule; {@code window} is sorted by size, largest first. */
    static boolean growsEnough(List<SegmentInfo> window, long total, TieredMergePolicy.Config config) {
        long largest = window.get(0).bytes();
        if (total >= config.minGrowth() * largest) {
            return true;
        }
        return window.size() >= config.mergeFactor() && largest <= config.floorSegmentBytes();
    }

    private static double score(List<SegmentInfo> window, long total, boolean hitMaximum,
                                TieredMergePolicy.Config config) {
        double skew;
        if (hitMaximum) {
            skew = 1.0 / config.mergeFactor();
        } else {
            double flooredTotal = 0;
            for (SegmentInfo s : window) {
                flooredTotal += config.floored(s.bytes());
            }
            skew = config.floored(window.get(0).bytes()) / flooredTotal;
        }
        return skew * Math.pow(Math.max(total, 1), SIZE_EXPONENT);
    }
}
