package dev.lancemerge.kernel.vector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The order in which segments are concatenated within each partition. */
public enum SegmentOrder {
  /** As the caller lists them (Lance's {@code mergeExistingIndexSegments} does the same). */
  GIVEN,
  /** By directory name, i.e. by segment uuid as Lance's segment builder sorts them. */
  UUID;

  public List<Path> apply(List<Path> segments) {
    List<Path> out = new ArrayList<>(segments);
    if (this == UUID) {
      out.sort(Comparator.comparing(p -> String.valueOf(p.getFileName())));
    }
    return out;
  }

  public static SegmentOrder parse(String s) {
    switch (s) {
      case "given":
        return GIVEN;
      case "uuid":
        return UUID;
      default:
        throw new IllegalArgumentException("unknown order '" + s + "' (use given or uuid)");
    }
  }
}
