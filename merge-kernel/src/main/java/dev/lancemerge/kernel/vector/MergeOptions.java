package dev.lancemerge.kernel.vector;

/**
 * Tuning of a vector merge.
 *
 * @param memoryBudgetBytes bytes of vector data held in memory at once (partition windows, PQ
 *     transposition); bounds the heap whatever the index size
 * @param pageBytes target size of the pages written
 * @param durable force the written files to disk before publishing them (what a commit needs); off only
 *     for measurements that compare with writers that do not sync
 */
public record MergeOptions(long memoryBudgetBytes, long pageBytes, boolean durable) {
  public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;
  public static final long DEFAULT_PAGE_BYTES = 8L << 20;

  public MergeOptions {
    if (memoryBudgetBytes < (64 << 10) || pageBytes < 4096) {
      throw new IllegalArgumentException("memory budget must be at least 64 KiB and pages at least 4 KiB");
    }
  }

  /** Durable options with the given budget and page size. */
  public MergeOptions(long memoryBudgetBytes, long pageBytes) {
    this(memoryBudgetBytes, pageBytes, true);
  }

  public static MergeOptions defaults() {
    return new MergeOptions(DEFAULT_MEMORY_BUDGET, DEFAULT_PAGE_BYTES);
  }

  /** The same options, with or without syncing the output to disk. */
  public MergeOptions withDurable(boolean durable) {
    return new MergeOptions(memoryBudgetBytes, pageBytes, durable);
  }
}
