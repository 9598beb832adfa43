package dev.lancemerge.kernel.vector;

import java.nio.file.Path;
import java.util.SortedSet;

/** What a merge wrote. */
public record MergeResult(
    Path outputDir,
    IndexType indexType,
    DistanceType distanceType,
    int partitions,
    long rows,
    long bytesWritten,
    double seconds,
    SortedSet<Integer> fragments) {}
