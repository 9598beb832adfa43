package dev.lancemerge.operators.sink;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How merged segments are written.
 *
 * @param dataset the local Lance dataset (merged segments go to its {@code _indices/})
 * @param memoryBudgetBytes heap one vector merge may use for partition windows (the kernel's budget)
 * @param pageBytes target page size of the merged files
 * @param durable fsync merged files before they are handed to the committer
 */
public record WriterOptions(String dataset, long memoryBudgetBytes, long pageBytes, boolean durable)
    implements Serializable {
  public WriterOptions {
    Objects.requireNonNull(dataset, "dataset");
    if (memoryBudgetBytes < 1 << 20 || pageBytes < 4096) {
      throw new IllegalArgumentException("memory budget must be at least 1 MiB and page size at least 4 KiB");
    }
  }

  public Path datasetPath() {
    return Path.of(dataset);
  }
}
