package dev.lancemerge.operators.io;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** A {@link SimpleVersionedSerializer} (committables, split and enumerator state) written by a {@link Format}. */
public final class FormatVersionedSerializer<T> implements SimpleVersionedSerializer<T>, java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final Format<T> format;
  private final int version;

  public FormatVersionedSerializer(Format<T> format, int version) {
    this.format = Objects.requireNonNull(format, "format");
    this.version = version;
  }

  @Override
  public int getVersion() {
    return version;
  }

  @Override
  public byte[] serialize(T value) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    format.write(value, out);
    return out.getCopyOfBuffer();
  }

  @Override
  public T deserialize(int v, byte[] serialized) throws IOException {
    if (v != version) {
      throw new IOException("unknown " + format.type().getSimpleName() + " format version " + v + " (this code reads "
          + version + ")");
    }
    DataInputDeserializer in = new DataInputDeserializer(serialized);
    T value = format.read(in);
    if (in.available() != 0) {
      throw new IOException(in.available() + " trailing bytes after a " + format.type().getSimpleName());
    }
    return value;
  }
}
