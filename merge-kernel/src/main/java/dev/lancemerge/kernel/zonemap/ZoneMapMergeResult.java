package dev.lancemerge.kernel.zonemap;

import java.nio.file.Path;
import java.util.SortedSet;

/** What a ZoneMap merge wrote. */
public record ZoneMapMergeResult(
    Path outputDir, int inputs, long zones, SortedSet<Integer> fragments, String rowsPerZone, String valueType,
    long bytesWritten, double seconds) {}
