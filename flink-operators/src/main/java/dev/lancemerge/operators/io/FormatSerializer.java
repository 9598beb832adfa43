package dev.lancemerge.operators.io;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * A Flink serializer for a value type, driven by its {@link Format}. For immutable values a copy is the value itself;
 * a mutable type's values ({@link Format#immutable()} false) are copied by a serialization round trip. Used for the
 * job's records and state so that nothing falls back to Kryo.
 */
public final class FormatSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  private final Format<T> format;

  public FormatSerializer(Format<T> format) {
    this.format = Objects.requireNonNull(format, "format");
  }

  public Format<T> format() {
    return format;
  }

  @Override
  public boolean isImmutableType() {
    return format.immutable();
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return this;
  }

  @Override
  public T createInstance() {
    return null;
  }

  @Override
  public T copy(T from) {
    if (format.immutable() || from == null) {
      return from;
    }
    // A real copy for mutable values: the heap backend's copy-on-write hands the task a copy while an asynchronous
    // snapshot serializes the original; returning the same object let the planner mutate its IndexPlan during
    // that serialization (ConcurrentModificationException, failed checkpoints, or a torn snapshot).
    try {
      DataOutputSerializer out = new DataOutputSerializer(256);
      format.write(from, out);
      return format.read(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot copy a " + format.type().getSimpleName(), e);
    }
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    format.write(record, target);
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    return format.read(source);
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return format.read(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    format.write(format.read(source), target);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FormatSerializer<?> s && s.format.getClass() == format.getClass();
  }

  @Override
  public int hashCode() {
    return format.getClass().hashCode();
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new Snapshot<>(format);
  }

  /** Remembers the format's class name; a restored job reads its state with the same format class. */
  public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
    private Format<T> format;

    /** For Flink's restore (reads the class name with {@link #readSnapshot}). */
    public Snapshot() {}

    Snapshot(Format<T> format) {
      this.format = format;
    }

    @Override
    public int getCurrentVersion() {
      return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeUTF(format.getClass().getName());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
      String name = in.readUTF();
      try {
        Class<?> c = Class.forName(name, true, userCodeClassLoader);
        format = (Format<T>) InstantiationUtil.instantiate(c);
      } catch (ClassNotFoundException | RuntimeException e) {
        throw new IOException("cannot restore format " + name + ": " + e, e);
      }
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
      return new FormatSerializer<>(format);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
      if (oldSnapshot instanceof Snapshot<T> old && old.format.getClass() == format.getClass()) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
      }
      return TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
