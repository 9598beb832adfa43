package dev.lancemerge.operators.source;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * One zone of one ZoneMap segment, by value (zones are tiny): its key {@code (fragmentId, zoneStart)}, its length and
 * statistics.
 *
 * @param indexName the index
 * @param segmentUuid the segment
 * @param fragmentId the fragment the zone lies in
 * @param zoneStart first row offset of the zone within the fragment
 * @param zoneLength rows in the zone
 * @param min the zone's minimum as stored in the zonemap file (fixed-width values little-endian as Arrow stores
 *     them, booleans one byte 0/1, strings and binaries their bytes), null when the stored value is null
 * @param max the maximum, the same way
 * @param nullCount nulls in the zone
 * @param nanCount NaNs in the zone
 */
public record ZoneSlice(
    String indexName, UUID segmentUuid, long fragmentId, long zoneStart, long zoneLength, byte[] min, byte[] max,
    long nullCount, long nanCount) {
  public ZoneSlice {
    Objects.requireNonNull(indexName, "indexName");
    Objects.requireNonNull(segmentUuid, "segmentUuid");
    min = min == null ? null : min.clone();
    max = max == null ? null : max.clone();
  }

  @Override
  public byte[] min() {
    return min == null ? null : min.clone();
  }

  @Override
  public byte[] max() {
    return max == null ? null : max.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ZoneSlice z
        && indexName.equals(z.indexName) && segmentUuid.equals(z.segmentUuid) && fragmentId == z.fragmentId
        && zoneStart == z.zoneStart && zoneLength == z.zoneLength && Arrays.equals(min, z.min)
        && Arrays.equals(max, z.max) && nullCount == z.nullCount && nanCount == z.nanCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(indexName, segmentUuid, fragmentId, zoneStart, zoneLength, Arrays.hashCode(min),
        Arrays.hashCode(max), nullCount, nanCount);
  }

  @Override
  public String toString() {
    return "ZoneSlice{" + indexName + " " + segmentUuid + " fragment=" + fragmentId + " start=" + zoneStart
        + " length=" + zoneLength + " min=" + hex(min) + " max=" + hex(max) + " nulls=" + nullCount
        + " nans=" + nanCount + "}";
  }

  private static String hex(byte[] b) {
    return b == null ? "null" : HexFormat.of().formatHex(b, 0, Math.min(b.length, 32)) + (b.length > 32 ? "..." : "");
  }
}
