package dev.lancemerge.operators.staging;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A descriptor that passed every rule of {@link DescriptorValidator}.
 *
 * @param descriptorFile where the descriptor file lies (in the staging directory)
 * @param descriptor what it says
 * @param segmentDir the real path of {@code <dataset>/_indices/<segmentUuid>/}, checked to lie inside the real
 *     {@code _indices} directory; open segment files through it
 */
public record StagedSegment(Path descriptorFile, StagedSegmentDescriptor descriptor, Path segmentDir) {
  public StagedSegment {
    Objects.requireNonNull(descriptorFile, "descriptorFile");
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(segmentDir, "segmentDir");
  }

  /** The descriptor's file name. */
  public String fileName() {
    return descriptorFile.getFileName().toString();
  }
}
