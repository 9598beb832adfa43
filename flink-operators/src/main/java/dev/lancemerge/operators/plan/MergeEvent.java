package dev.lancemerge.operators.plan;

import dev.lancemerge.operators.source.SegmentRecord;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What flows from the planner to the slice buffer and from both to the window assembler, one of:
 *
 * <ul>
 *   <li>{@code OPEN}: a merge window was decided (planner → buffer, broadcast; planner → assembler);
 *   <li>{@code CLOSE}: the planner is done with a merge (committed, dropped or timed out): the buffer forgets it;
 *   <li>{@code RETIRE}: a segment is no longer live (replaced or set aside): the buffer drops its slices;
 *   <li>{@code PART}: the slices one buffer key holds of one window's inputs (buffer → assembler).
 * </ul>
 */
public final class MergeEvent {
  /** Which payload an event carries. */
  public enum Kind {
    OPEN,
    CLOSE,
    RETIRE,
    PART
  }

  private final Kind kind;
  private final MergeWindow window;
  private final String mergeId;
  private final UUID segment;
  private final String key;
  private final List<SegmentRecord> slices;

  private MergeEvent(Kind kind, MergeWindow window, String mergeId, UUID segment, String key,
      List<SegmentRecord> slices) {
    this.kind = kind;
    this.window = window;
    this.mergeId = mergeId;
    this.segment = segment;
    this.key = key;
    this.slices = slices;
  }

  public static MergeEvent open(MergeWindow window) {
    return new MergeEvent(Kind.OPEN, Objects.requireNonNull(window), window.mergeId(), null, null, List.of());
  }

  public static MergeEvent close(String mergeId) {
    return new MergeEvent(Kind.CLOSE, null, Objects.requireNonNull(mergeId), null, null, List.of());
  }

  public static MergeEvent retire(UUID segment) {
    return new MergeEvent(Kind.RETIRE, null, null, Objects.requireNonNull(segment), null, List.of());
  }

  /** The slices (PARTITION or ZONE records) buffer key {@code key} holds of window {@code mergeId}'s inputs. */
  public static MergeEvent part(String mergeId, String key, List<SegmentRecord> slices) {
    for (SegmentRecord r : slices) {
      if (r.kind() != SegmentRecord.Kind.PARTITION && r.kind() != SegmentRecord.Kind.ZONE) {
        throw new IllegalArgumentException("a part holds slices, not " + r.kind());
      }
    }
    return new MergeEvent(Kind.PART, null, Objects.requireNonNull(mergeId), null, Objects.requireNonNull(key),
        List.copyOf(slices));
  }

  public Kind kind() {
    return kind;
  }

  /** The window of an OPEN event. */
  public MergeWindow window() {
    require(Kind.OPEN);
    return window;
  }

  /** The merge of an OPEN, CLOSE or PART event. */
  public String mergeId() {
    if (kind == Kind.RETIRE) {
      throw new IllegalStateException("a RETIRE event has no merge id");
    }
    return mergeId;
  }

  /** The segment of a RETIRE event. */
  public UUID segment() {
    require(Kind.RETIRE);
    return segment;
  }

  /** The buffer key of a PART event. */
  public String key() {
    require(Kind.PART);
    return key;
  }

  /** The slices of a PART event. */
  public List<SegmentRecord> slices() {
    require(Kind.PART);
    return slices;
  }

  private void require(Kind k) {
    if (kind != k) {
      throw new IllegalStateException("a " + kind + " event is not a " + k + " event");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MergeEvent e && kind == e.kind && Objects.equals(window, e.window)
        && Objects.equals(mergeId, e.mergeId) && Objects.equals(segment, e.segment) && Objects.equals(key, e.key)
        && slices.equals(e.slices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, window, mergeId, segment, key, slices);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case OPEN -> "OPEN " + window;
      case CLOSE -> "CLOSE " + mergeId;
      case RETIRE -> "RETIRE " + segment;
      case PART -> "PART " + mergeId + " " + key + " (" + slices.size() + " slices)";
    };
  }
}
