package dev.lancemerge.operators.plan;

import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.source.SegmentSeen;
import dev.lancemerge.operators.source.SegmentSplit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One merge the planner decided: which segments of one index are merged, in which order, into which new segment.
 * The window "closes" when all slices of its inputs have reached the assembler; then the writer writes the output.
 *
 * <p>The output uuid is derived from the index and the input uuids, so a merge decided again after a restore writes
 * the same segment (an unfinished earlier attempt is overwritten, a committed one recognised), and the merge id is
 * that uuid. A window of one staged input whose output is that input is a pass-through: the staged segment is
 * committed as it is, nothing is written.
 *
 * @param mergeId unique id of the merge (the output uuid as text)
 * @param indexName the index
 * @param kind vector or ZoneMap
 * @param outputUuid the segment the merge produces
 * @param commitUser the job's stable commit user (from the planner's state)
 * @param decidedAt when the planner decided the merge (ms)
 * @param generation the policy generation of the output
 * @param inputs the inputs in merge order, as the source saw them
 */
public record MergeWindow(
    String mergeId, String indexName, SegmentKind kind, UUID outputUuid, String commitUser, long decidedAt,
    int generation, List<SegmentSeen> inputs) {

  public MergeWindow {
    Objects.requireNonNull(mergeId, "mergeId");
    Objects.requireNonNull(indexName, "indexName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outputUuid, "outputUuid");
    Objects.requireNonNull(commitUser, "commitUser");
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("merge " + mergeId + " has no inputs");
    }
  }

  /** The window merging {@code inputs} (in this order) of one index. */
  public static MergeWindow of(String commitUser, long decidedAt, int generation, List<SegmentSeen> inputs) {
    SegmentSplit first = inputs.get(0).split();
    UUID output;
    if (inputs.size() == 1 && first.origin() == SegmentSplit.Origin.STAGED) {
      output = first.segmentUuid();
    } else {
      output = outputUuid(first.indexName(), inputs.stream().map(s -> s.split().segmentUuid()).toList());
    }
    return new MergeWindow(output.toString(), first.indexName(), first.kind(), output, commitUser, decidedAt,
        generation, inputs);
  }

  /** The derived output uuid of merging {@code inputs} of {@code indexName} (order-independent). */
  static UUID outputUuid(String indexName, List<UUID> inputs) {
    StringBuilder b = new StringBuilder("lance-index-merge:").append(indexName);
    inputs.stream().sorted(Comparator.naturalOrder()).forEach(u -> b.append(':').append(u));
    return UUID.nameUUIDFromBytes(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** True when the single staged input is committed as it is (nothing to write). */
  public boolean isPassThrough() {
    return inputs.size() == 1 && inputs.get(0).split().segmentUuid().equals(outputUuid);
  }

  public List<UUID> inputUuids() {
    return inputs.stream().map(s -> s.split().segmentUuid()).toList();
  }

  public boolean hasInput(UUID segment) {
    for (SegmentSeen s : inputs) {
      if (s.split().segmentUuid().equals(segment)) {
        return true;
      }
    }
    return false;
  }

  /** Inputs committed in the manifest: the commit removes them. */
  public List<UUID> committedInputs() {
    List<UUID> out = new ArrayList<>();
    for (SegmentSeen s : inputs) {
      if (s.split().origin() == SegmentSplit.Origin.COMMITTED) {
        out.add(s.split().segmentUuid());
      }
    }
    return out;
  }

  /** Every fragment the output covers. */
  public SortedSet<Integer> fragments() {
    SortedSet<Integer> f = new TreeSet<>();
    inputs.forEach(s -> f.addAll(s.split().fragments()));
    return f;
  }

  /** Slices the assembler must receive before the window closes. */
  public long expectedSlices() {
    return inputs.stream().mapToLong(SegmentSeen::slices).sum();
  }

  public long rows() {
    return inputs.stream().mapToLong(SegmentSeen::rows).sum();
  }

  public long bytes() {
    return inputs.stream().mapToLong(SegmentSeen::bytes).sum();
  }

  /** When the earliest input was discovered (the start of the freshness lag). */
  public long earliestDiscoveredAt() {
    return inputs.stream().mapToLong(s -> s.split().discoveredAt()).min().orElse(decidedAt);
  }

  @Override
  public String toString() {
    return "MergeWindow{" + mergeId + " " + indexName + " " + kind + " inputs=" + inputUuids() + " rows=" + rows()
        + " generation=" + generation + "}";
  }
}
