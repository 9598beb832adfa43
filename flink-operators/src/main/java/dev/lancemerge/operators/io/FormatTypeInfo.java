package dev.lancemerge.operators.io;

import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information of a value type written by a {@link Format}: one opaque type, never Kryo. */
public final class FormatTypeInfo<T> extends TypeInformation<T> {
  private static final long serialVersionUID = 1L;

  private final Format<T> format;

  public FormatTypeInfo(Format<T> format) {
    this.format = Objects.requireNonNull(format, "format");
  }

  /** Type information for {@code format}, e.g. {@code FormatTypeInfo.of(new MergeWindowFormat())}. */
  public static <T> FormatTypeInfo<T> of(Format<T> format) {
    return new FormatTypeInfo<>(format);
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return format.type();
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new FormatSerializer<>(format);
  }

  @Override
  public String toString() {
    return format.type().getSimpleName();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FormatTypeInfo<?> t && t.format.getClass() == format.getClass();
  }

  @Override
  public int hashCode() {
    return format.getClass().hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof FormatTypeInfo<?>;
  }
}
