package dev.lancemerge.operators.source;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information of {@link SegmentRecord}: one opaque type with {@link SegmentRecordSerializer}. */
public final class SegmentRecordTypeInfo extends TypeInformation<SegmentRecord> {
  private static final long serialVersionUID = 1L;
  public static final SegmentRecordTypeInfo INSTANCE = new SegmentRecordTypeInfo();

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
  public Class<SegmentRecord> getTypeClass() {
    return SegmentRecord.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<SegmentRecord> createSerializer(SerializerConfig config) {
    return SegmentRecordSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "SegmentRecord";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentRecordTypeInfo;
  }

  @Override
  public int hashCode() {
    return SegmentRecordTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof SegmentRecordTypeInfo;
  }
}
