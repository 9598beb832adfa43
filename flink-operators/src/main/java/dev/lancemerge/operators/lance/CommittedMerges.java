package dev.lancemerge.operators.lance;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which merges one commit user has already committed, read from the transaction properties of recent dataset
 * versions (newest first). The walk is bounded: it stops at the version recorded in the job's state
 * ({@code sinceVersion}, exclusive), after {@code maxVersions} versions, or at the first version that can no
 * longer be read (removed by cleanup). Later calls to {@link #refresh} read only the versions committed since.
 *
 * <p>Entries older than {@code maxVersions} versions behind the newest version read are forgotten (a fresh scan
 * would not see them either), so memory stays bounded however long the job runs; the maximum checkpoint id is
 * kept.
 */
public final class CommittedMerges {
  /** One merge found in a version's transaction properties. */
  public record Entry(String mergeId, long version, OptionalLong checkpointId) {}

  private final String commitUser;
  private final int maxVersions;
  private final Map<String, Entry> byMergeId = new LinkedHashMap<>();
  private long scannedUpTo;
  private long oldestRead = Long.MAX_VALUE;
  private boolean complete = true;
  private OptionalLong maxCheckpointId = OptionalLong.empty();
  private int versionsRead;

  private CommittedMerges(String commitUser, long sinceVersion, int maxVersions) {
    if (maxVersions < 1) {
      throw new IllegalArgumentException("maxVersions must be at least 1");
    }
    this.commitUser = Objects.requireNonNull(commitUser, "commitUser");
    this.maxVersions = maxVersions;
    this.scannedUpTo = Math.max(0, sinceVersion);
  }

  /**
   * Reads the versions after {@code sinceVersion} (0 = from the start) up to the latest, newest first, at most
   * {@code maxVersions} of them.
   */
  public static CommittedMerges scan(LanceDatasetCatalog catalog, String commitUser, long sinceVersion, int maxVersions) {
    CommittedMerges m = new CommittedMerges(commitUser, sinceVersion, maxVersions);
    m.refresh(catalog);
    return m;
  }

  /** Nothing known yet; the first {@link #refresh} reads the versions after {@code sinceVersion}. */
  public static CommittedMerges startingAfter(String commitUser, long sinceVersion, int maxVersions) {
    return new CommittedMerges(commitUser, sinceVersion, maxVersions);
  }

  /** Reads the versions committed since the last walk (newest first, at most {@code maxVersions}). */
  public synchronized void refresh(LanceDatasetCatalog catalog) {
    long latest = catalog.latestVersion();
    if (latest <= scannedUpTo) {
      return;
    }
    long lowest = Math.max(scannedUpTo + 1, latest - maxVersions + 1);
    boolean gap = lowest > scannedUpTo + 1;
    long v = latest;
    for (; v >= lowest; v--) {
      Map<String, String> props;
      try {
        props = catalog.transactionProperties(v);
      } catch (IllegalStateException unreadable) {
        gap = true;
        break;
      }
      versionsRead++;
      oldestRead = Math.min(oldestRead, v);
      if (commitUser.equals(props.get(CommitProperties.COMMIT_USER))) {
        OptionalLong cp = CommitProperties.checkpointId(props);
        String mergeId = props.get(CommitProperties.MERGE_ID);
        if (mergeId != null) {
          byMergeId.putIfAbsent(mergeId, new Entry(mergeId, v, cp));
        }
        noteCheckpoint(cp);
      }
    }
    if (gap) {
      complete = false;
    }
    scannedUpTo = latest;
    forgetOlderThan(latest - maxVersions + 1);
  }

  /** Records a merge this job just committed (so it is known before the next walk). */
  public synchronized void record(String mergeId, OptionalLong checkpointId, long version) {
    byMergeId.putIfAbsent(mergeId, new Entry(mergeId, version, checkpointId));
    noteCheckpoint(checkpointId);
  }

  /** The commit user whose merges are tracked. */
  public String commitUser() {
    return commitUser;
  }

  /** True if the merge id was found (or recorded). */
  public synchronized boolean contains(String mergeId) {
    return byMergeId.containsKey(mergeId);
  }

  /** Where a merge id was committed. */
  public synchronized Optional<Entry> find(String mergeId) {
    return Optional.ofNullable(byMergeId.get(mergeId));
  }

  /** Every merge id known (bounded by the walk). */
  public synchronized Set<String> mergeIds() {
    return Set.copyOf(byMergeId.keySet());
  }

  /** The highest checkpoint id this commit user committed among the versions read. */
  public synchronized OptionalLong maxCheckpointId() {
    return maxCheckpointId;
  }

  /** The newest version read so far (the next refresh starts after it). */
  public synchronized long scannedUpTo() {
    return scannedUpTo;
  }

  /** The oldest version actually read (Long.MAX_VALUE if none). */
  public synchronized long oldestRead() {
    return oldestRead;
  }

  /** How many versions' transactions were read in total. */
  public synchronized int versionsRead() {
    return versionsRead;
  }

  /**
   * False if some version after {@code sinceVersion} was not read (beyond {@code maxVersions} or no longer
   * readable): a merge committed there would not be known.
   */
  public synchronized boolean complete() {
    return complete;
  }

  private void noteCheckpoint(OptionalLong cp) {
    if (cp.isPresent() && (maxCheckpointId.isEmpty() || cp.getAsLong() > maxCheckpointId.getAsLong())) {
      maxCheckpointId = cp;
    }
  }

  private void forgetOlderThan(long version) {
    for (Iterator<Entry> it = byMergeId.values().iterator(); it.hasNext(); ) {
      if (it.next().version() < version) {
        it.remove();
      }
    }
  }
}
