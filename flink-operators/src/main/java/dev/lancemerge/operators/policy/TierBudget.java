package dev.lancemerge.operators.policy;

import java.util.Collection;

/**
 * How many segments an index of a given total size may hold, as in Lucene's TieredMergePolicy: tier 0 holds
 * {@code segmentsPerTier} segments of the (floored) smallest size, each next tier {@code segmentsPerTier} segments
 * {@code mergeFactor} times larger, up to {@code maxMergedSegmentBytes}; the remainder counts as a partial tier.
 * Never less than {@code segmentsPerTier}.
 */
final class TierBudget {

    private TierBudget() {
    }

    /** The allowed segment count for {@code eligible} (segments too large to merge are not passed in). */
    static long allowedSegments(Collection<SegmentInfo> eligible, TieredMergePolicy.Config config) {
        if (eligible.isEmpty()) {
            return config.segmentsPerTier();
        }
        long total = 0;
        long smallest = Long.MAX_VALUE;
        for (SegmentInfo s : eligible) {
            total += s.bytes();
            smallest = Math.min(smallest, s.bytes());
        }
        int perTier = config.segmentsPerTier();
        long mergeFactor = config.mergeFactor();
        long tierSize = Math.max(smallest, config.floorSegmentBytes());
        double bytesLeft = total;
        long allowed = 0;
        while (true) {
            double inThisTier = bytesLeft / tierSize;
            if (inThisTier < perTier || tierSize >= config.maxMergedSegmentBytes()) {
                allowed += (long) Math.ceil(inThisTier);
                break;
            }
            allowed += perTier;
            bytesLeft -= (double) perTier * tierSize;
            tierSize = tierSize > config.maxMergedSegmentBytes() / mergeFactor
                    ? config.maxMergedSegmentBytes()
                    : tierSize * mergeFactor;
        }
        return Math.max(allowed, perTier);
    }
}
