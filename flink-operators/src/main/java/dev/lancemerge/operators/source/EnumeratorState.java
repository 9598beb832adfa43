package dev.lancemerge.operators.source;

import java.util.List;
import java.util.Objects;

/**
 * The enumerator's checkpoint: the dataset version last read and the segments in flight, i.e. discovered and not
 * yet gone (a committed segment leaves when the manifest no longer lists it, a staged one when its descriptor is no
 * longer in the staging directory). Its size is bounded by the number of live, unmerged segments of the
 * configured indexes plus the staged descriptors waiting; it never grows with the number of segments that went
 * through the job.
 *
 * @param lastVersion the manifest version of the last successful discovery, or {@link #NO_VERSION}
 * @param pending in-flight splits not assigned to any reader (in discovery order)
 * @param assigned in-flight splits handed to a reader (the reader holds them in its own state until it has read
 *     them, after that only the enumerator remembers them, so they are not discovered again)
 */
public record EnumeratorState(long lastVersion, List<SegmentSplit> pending, List<SegmentSplit> assigned) {
  public static final long NO_VERSION = -1;

  public EnumeratorState {
    pending = List.copyOf(Objects.requireNonNull(pending, "pending"));
    assigned = List.copyOf(Objects.requireNonNull(assigned, "assigned"));
  }

  /** The state of a source that never discovered anything. */
  public static EnumeratorState empty() {
    return new EnumeratorState(NO_VERSION, List.of(), List.of());
  }

  /** Number of splits in flight. */
  public int inFlight() {
    return pending.size() + assigned.size();
  }
}
