package dev.lancemerge.operators.source;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Lets Flink's type extraction find {@link SegmentRecordTypeInfo} from the {@code @TypeInfo} on the class. */
public final class SegmentRecordTypeInfoFactory extends TypeInfoFactory<SegmentRecord> {
  @Override
  public TypeInformation<SegmentRecord> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
    return SegmentRecordTypeInfo.INSTANCE;
  }
}
