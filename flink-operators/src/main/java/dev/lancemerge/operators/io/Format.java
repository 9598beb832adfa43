package dev.lancemerge.operators.io;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How one value type (immutable unless {@link #immutable()} says otherwise) is written to and read from Flink's binary views. Implementations are stateless and
 * have a public no-argument constructor: {@link FormatSerializer}'s snapshot names the class and restores it by that
 * name. A change of the written layout needs a new format class (or a version byte inside the layout).
 */
public interface Format<T> extends java.io.Serializable {
  /** The class of the values. */
  Class<T> type();

  void write(T value, DataOutputView out) throws IOException;

  T read(DataInputView in) throws IOException;

  /**
   * True (the default) if values never change once built, so a copy is the value itself. A format of a mutable
   * type (the planner's {@code IndexPlan}, updated in place) returns false: its serializer then copies by a write and
   * read round trip, which the heap state backend's copy-on-write relies on while an asynchronous snapshot still
   * serializes the previous value.
   */
  default boolean immutable() {
    return true;
  }
}
