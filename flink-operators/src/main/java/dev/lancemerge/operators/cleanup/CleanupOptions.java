package dev.lancemerge.operators.cleanup;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * When replaced segments' files are deleted.
 *
 * @param dataset the local Lance dataset
 * @param stagingDirectory staged descriptors (null: none): a segment a waiting descriptor announces is never deleted
 * @param retention how long after the replacing commit files stay (readers of older versions keep working); also
 *     the minimum age of a directory before it is deleted
 * @param enabled false keeps every file (an operator cleans up with Lance's own tools)
 */
public record CleanupOptions(String dataset, String stagingDirectory, Duration retention, boolean enabled)
    implements Serializable {
  public CleanupOptions {
    Objects.requireNonNull(dataset, "dataset");
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative");
    }
  }

  public Path datasetPath() {
    return Path.of(dataset);
  }

  public Path stagingPath() {
    return stagingDirectory == null ? null : Path.of(stagingDirectory);
  }
}
