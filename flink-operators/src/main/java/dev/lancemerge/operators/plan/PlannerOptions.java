package dev.lancemerge.operators.plan;

import dev.lancemerge.operators.policy.TieredMergePolicy;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the planner works.
 *
 * @param dataset the local Lance dataset
 * @param stagingDirectory where staged descriptors are announced (null: none)
 * @param policy the tiered merge policy's settings
 * @param reconcileInterval how often the planner reads the manifest to resolve merges and forget replaced segments
 * @param mergeTimeout a merge neither committed nor dropped after this long gives its inputs back
 */
public record PlannerOptions(String dataset, String stagingDirectory, TieredMergePolicy.Config policy,
    Duration reconcileInterval, Duration mergeTimeout) implements Serializable {

  public PlannerOptions {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(policy, "policy");
    if (reconcileInterval.toMillis() < 1 || mergeTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("reconcile interval and merge timeout must be at least 1 ms");
    }
  }

  /** How long the planner waits after a segment arrives before it plans (bursts are planned together). */
  public Duration settle() {
    return Duration.ofMillis(Math.max(1, Math.min(1000, reconcileInterval.toMillis() / 2)));
  }

  public Path datasetPath() {
    return Path.of(dataset);
  }

  public Path stagingPath() {
    return stagingDirectory == null ? null : Path.of(stagingDirectory);
  }
}
