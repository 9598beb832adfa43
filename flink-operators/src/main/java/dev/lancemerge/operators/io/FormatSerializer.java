package dev.lancemerge.operators.io;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * A Flink serializer for an immutable value type, driven by its {@link Format}. Values are immutable, so a copy is
 * the value itself. Used for the job's records and state so that nothing falls back to Kryo.
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
    return true;
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
    return from;
  }

  @Override
  public T copy(T from, T reuse) {
    return from;
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
