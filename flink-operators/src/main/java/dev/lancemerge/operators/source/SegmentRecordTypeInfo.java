package dev.lancemerge.operators.source;

import dev.lancemerge.operators.io.FormatTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink type information of {@link SegmentRecord}: one opaque type written by {@link SegmentRecordFormat}. */
public final class SegmentRecordTypeInfo {
  public static final TypeInformation<SegmentRecord> INSTANCE = FormatTypeInfo.of(SegmentRecordFormat.INSTANCE);

  private SegmentRecordTypeInfo() {}
}
