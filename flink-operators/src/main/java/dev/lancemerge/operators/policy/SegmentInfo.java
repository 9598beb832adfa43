package dev.lancemerge.operators.policy;

import java.util.Comparator;
import java.util.Objects;

/**
 * What the merge policy knows about one live index segment.
 *
 * @param id              the segment uuid
 * @param bytes           size on disk of the segment's files
 * @param rows            indexed rows (reported, not used for decisions)
 * @param arrivedAtMillis when the job first saw the segment (for a merge output: when the merge produced it)
 * @param generation      0 for a segment the policy has not handled yet (a per-fragment or staged segment as
 *                        discovered); n for the output of a merge (or pass-through, see {@link MergeSpec#output})
 *                        of depth n. Only generation-0 segments are subject to {@code maxDelay}.
 */
public record SegmentInfo(String id, long bytes, long rows, long arrivedAtMillis, int generation) {

    /** Larger first; ties by earlier arrival, then id, so every ordering the policy uses is total. */
    static final Comparator<SegmentInfo> BY_SIZE_DESCENDING = Comparator.comparingLong(SegmentInfo::bytes)
            .reversed()
            .thenComparingLong(SegmentInfo::arrivedAtMillis)
            .thenComparing(SegmentInfo::id);

    /** Earlier arrival first; ties by id. The order in which the kernel concatenates a merge's inputs. */
    static final Comparator<SegmentInfo> BY_ARRIVAL = Comparator.comparingLong(SegmentInfo::arrivedAtMillis)
            .thenComparing(SegmentInfo::id);

    public SegmentInfo {
        Objects.requireNonNull(id, "segment id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("segment id must not be blank");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("segment " + id + ": bytes must be >= 0, got " + bytes);
        }
        if (rows < 0) {
            throw new IllegalArgumentException("segment " + id + ": rows must be >= 0, got " + rows);
        }
        if (generation < 0) {
            throw new IllegalArgumentException("segment " + id + ": generation must be >= 0, got " + generation);
        }
    }

    /** A per-fragment (or staged) segment just discovered: generation 0. */
    public static SegmentInfo fresh(String id, long bytes, long rows, long arrivedAtMillis) {
        return new SegmentInfo(id, bytes, rows, arrivedAtMillis, 0);
    }

    /** Not yet handled by the policy, so it must be merged or passed through within {@code maxDelay}. */
    public boolean isPending() {
        return generation == 0;
    }
}
