package dev.lancemerge.operators.io;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How one immutable value type is written to and read from Flink's binary views. Implementations are stateless and
 * have a public no-argument constructor: {@link FormatSerializer}'s snapshot names the class and restores it by that
 * name. A change of the written layout needs a new format class (or a version byte inside the layout).
 */
public interface Format<T> extends java.io.Serializable {
  /** The class of the values. */
  Class<T> type();

  void write(T value, DataOutputView out) throws IOException;

  T read(DataInputView in) throws IOException;
}
