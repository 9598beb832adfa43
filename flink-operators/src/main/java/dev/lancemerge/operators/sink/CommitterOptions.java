package dev.lancemerge.operators.sink;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How merged segments are committed.
 *
 * @param dataset the local Lance dataset
 * @param stagingDirectory where staged descriptors live (null: none); committed ones are marked done there
 * @param maxVersionsScanned how many recent dataset versions the committer reads to recognise its own commits
 * @param maxRetries how often a commit refused for a transient reason is retried before it is dropped (logged)
 */
public record CommitterOptions(String dataset, String stagingDirectory, int maxVersionsScanned, int maxRetries)
    implements Serializable {
  public CommitterOptions {
    Objects.requireNonNull(dataset, "dataset");
    if (maxVersionsScanned < 1 || maxRetries < 0) {
      throw new IllegalArgumentException("maxVersionsScanned must be >= 1 and maxRetries >= 0");
    }
  }

  public Path datasetPath() {
    return Path.of(dataset);
  }

  public Path stagingPath() {
    return stagingDirectory == null ? null : Path.of(stagingDirectory);
  }
}
