package dev.lancemerge.operators.policy;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One merge to run now. Inputs are ordered by arrival (then id): the order in which the kernel concatenates them.
 * A spec with a single input is a pass-through: the segment waited {@code maxDelay} and nothing suitable was
 * there to merge it with, so the caller commits (or keeps) it as it is.
 */
public record MergeSpec(List<SegmentInfo> inputs) {

    public MergeSpec {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a merge needs at least one input");
        }
        Set<String> ids = new HashSet<>();
        for (SegmentInfo s : inputs) {
            if (!ids.add(Objects.requireNonNull(s, "input").id())) {
                throw new IllegalArgumentException("segment " + s.id() + " appears twice in one merge");
            }
        }
        inputs = inputs.stream().sorted(SegmentInfo.BY_ARRIVAL).toList();
    }

    /** True for a single input: commit or keep it as is, nothing is written. */
    public boolean isPassThrough() {
        return inputs.size() == 1;
    }

    public long totalBytes() {
        return inputs.stream().mapToLong(SegmentInfo::bytes).sum();
    }

    public long totalRows() {
        return inputs.stream().mapToLong(SegmentInfo::rows).sum();
    }

    /**
     * The segment to register with the policy once this merge is committed: sizes summed, generation one more than
     * the deepest input, arrival {@code nowMillis}. For a pass-through, pass the input's own id.
     */
    public SegmentInfo output(String outputId, long nowMillis) {
        int generation = inputs.stream().mapToInt(SegmentInfo::generation).max().orElse(0) + 1;
        return new SegmentInfo(outputId, totalBytes(), totalRows(), nowMillis, generation);
    }
}
