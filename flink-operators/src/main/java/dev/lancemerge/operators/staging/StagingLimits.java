package dev.lancemerge.operators.staging;

/**
 * Bounds applied to untrusted descriptors, each checked before anything of that size is read or allocated.
 *
 * @param maxDescriptorBytes largest descriptor file read (checked on the file's size, then again while reading)
 * @param maxFragmentIds most fragment ids in one descriptor
 * @param maxFiles most entries in {@code files}
 * @param maxSegmentFileBytes largest segment file (listed size and size on disk)
 */
public record StagingLimits(int maxDescriptorBytes, int maxFragmentIds, int maxFiles, long maxSegmentFileBytes) {

  /** Hard ceiling on {@link #maxDescriptorBytes}, whatever the configuration says. */
  public static final int DESCRIPTOR_BYTES_CEILING = 16 << 20;

  public StagingLimits {
    if (maxDescriptorBytes < 1 || maxDescriptorBytes > DESCRIPTOR_BYTES_CEILING) {
      throw new IllegalArgumentException("maxDescriptorBytes must be in 1.." + DESCRIPTOR_BYTES_CEILING);
    }
    if (maxFragmentIds < 1 || maxFiles < 1 || maxSegmentFileBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** 64 KiB descriptors, 1,000,000 fragment ids, 64 files, 1 TiB per segment file. */
  public static StagingLimits defaults() {
    return new StagingLimits(64 << 10, 1_000_000, 64, 1L << 40);
  }

  public StagingLimits withMaxDescriptorBytes(int v) {
    return new StagingLimits(v, maxFragmentIds, maxFiles, maxSegmentFileBytes);
  }

  public StagingLimits withMaxFragmentIds(int v) {
    return new StagingLimits(maxDescriptorBytes, v, maxFiles, maxSegmentFileBytes);
  }

  public StagingLimits withMaxFiles(int v) {
    return new StagingLimits(maxDescriptorBytes, maxFragmentIds, v, maxSegmentFileBytes);
  }

  public StagingLimits withMaxSegmentFileBytes(long v) {
    return new StagingLimits(maxDescriptorBytes, maxFragmentIds, maxFiles, v);
  }
}
