package dev.lancemerge.operators.lance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.lance.index.Index;

/**
 * Commits a merged segment into the dataset in place of its inputs, exactly once.
 *
 * <p>Each attempt reads the latest manifest and then, in this order: if the merge id is already among this commit
 * user's commits (see {@link CommittedMerges}) or the merged segment is already live, returns ALREADY_COMMITTED; if
 * an input is no longer live (another writer replaced it), returns INPUTS_GONE; otherwise commits one raw
 * {@code CreateIndex} transaction read at that version which adds the merged segment and removes exactly the
 * inputs, with the properties as transaction properties. If Lance refuses it because the version moved (a
 * concurrent {@code CreateIndex} of the same index: "Retryable commit conflict"), the next attempt starts over on
 * the new version. A failed call whose outcome is unknown is resolved by the merge id before anything is retried,
 * so a commit is never made twice.
 *
 * <p>Why the checks matter: Lance 7.0.0 checks no index file at commit, and a commit that leaves two segments of
 * a vector index covering the same fragment makes the next commit panic in native code and abort the JVM
 * ({@code IVFIndex::calculate_included_frags}: "not implemented"). Only a manifest where the inputs are exactly
 * the live segments covering the merged fragments is committed.
 */
public final class SegmentCommitter {

  /**
   * @param maxAttempts how many times a commit is tried against a moving version before giving up
   * @param retryBackoff pause before attempt n is n-1 times this
   */
  public record Options(int maxAttempts, Duration retryBackoff) {
    public Options {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      Objects.requireNonNull(retryBackoff, "retryBackoff");
    }

    public static Options defaults() {
      return new Options(5, Duration.ofMillis(50));
    }
  }

  /** Test seams around the native commit call. */
  interface Hooks {
    /** Called after the checks, just before the commit read at {@code readVersion}. */
    default void beforeCommit(long readVersion) {}

    /** Called after a commit produced {@code version}, before it is recorded. */
    default void afterCommit(long version) {}
  }

  private static final Hooks NO_HOOKS = new Hooks() {};

  private final LanceDatasetCatalog catalog;
  private final CommittedMerges committed;
  private final Options options;
  private Hooks hooks = NO_HOOKS;

  public SegmentCommitter(LanceDatasetCatalog catalog, CommittedMerges committed) {
    this(catalog, committed, Options.defaults());
  }

  public SegmentCommitter(LanceDatasetCatalog catalog, CommittedMerges committed, Options options) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.committed = Objects.requireNonNull(committed, "committed");
    this.options = Objects.requireNonNull(options, "options");
  }

  SegmentCommitter withHooks(Hooks hooks) {
    this.hooks = hooks == null ? NO_HOOKS : hooks;
    return this;
  }

  /** The merges known to be committed by this committer's commit user. */
  public CommittedMerges committedMerges() {
    return committed;
  }

  /** {@link #commit} without the details. */
  public CommitOutcome commitMerged(MergedSegment m, Map<String, String> properties) {
    return commit(m, properties).outcome();
  }

  /**
   * Commits {@code m} in place of its inputs, recording {@code properties} (which must hold
   * {@link CommitProperties#MERGE_ID}; {@link CommitProperties#COMMIT_USER}, if present, must be this committer's
   * commit user, and is added if absent).
   *
   * @throws IllegalArgumentException if the merged segment is inconsistent (directory not at
   *     {@code <dataset>/_indices/<uuid>}, empty, column not the template's field, fragments not the union of the
   *     live inputs' fragments)
   * @throws LanceCommitException if Lance refused the commit for another reason than a race, or every attempt
   *     raced; nothing was committed
   */
  public synchronized CommitResult commit(MergedSegment m, Map<String, String> properties) {
    Map<String, String> props = checkProperties(properties);
    String mergeId = props.get(CommitProperties.MERGE_ID);
    OptionalLong checkpointId = CommitProperties.checkpointId(props);
    checkDirectory(m);
    String column = catalog.columnName(m.template().fields().get(0));
    if (!column.equals(m.column())) {
      throw new IllegalArgumentException("merged segment " + m.uuid() + " is for column " + m.column()
          + " but index " + m.indexName() + " indexes " + column);
    }

    RuntimeException lastError = null;
    boolean uncertain = false;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      if (attempt > 1) {
        pause(attempt);
      }
      ManifestSnapshot snap = catalog.snapshot(Set.of(m.indexName()));
      committed.refresh(catalog);
      Optional<CommittedMerges.Entry> found = committed.find(mergeId);
      if (found.isPresent()) {
        // After a failed call whose commit landed anyway, the landing was ours: report it as committed.
        CommitOutcome o = uncertain ? CommitOutcome.COMMITTED : CommitOutcome.ALREADY_COMMITTED;
        return new CommitResult(o, found.get().version(), attempt,
            "merge " + mergeId + " committed at version " + found.get().version());
      }
      if (snap.segment(m.uuid()).isPresent()) {
        return new CommitResult(CommitOutcome.ALREADY_COMMITTED, snap.version(), attempt,
            "segment " + m.uuid() + " is live at version " + snap.version());
      }
      List<UUID> missing = new ArrayList<>();
      SortedSet<Integer> inputFragments = new TreeSet<>();
      long builtOn = 0;
      for (UUID in : m.replaced()) {
        Optional<LiveSegment> live = snap.segment(in);
        if (live.isEmpty()) {
          missing.add(in);
        } else {
          inputFragments.addAll(live.get().fragments());
          builtOn = Math.max(builtOn, live.get().datasetVersion());
        }
      }
      if (!missing.isEmpty()) {
        return new CommitResult(CommitOutcome.INPUTS_GONE, snap.version(), attempt,
            "inputs no longer live at version " + snap.version() + ": " + missing);
      }
      SortedSet<Integer> expected = new TreeSet<>(inputFragments);
      expected.addAll(m.newFragments());
      if (!expected.equals(m.fragments()) || expected.size() != inputFragments.size() + m.newFragments().size()) {
        throw new IllegalArgumentException("merged segment " + m.uuid() + " covers fragments " + m.fragments()
            + " but its inputs cover " + inputFragments + " and it adds " + m.newFragments());
      }
      for (LiveSegment other : snap.segmentsOf(m.indexName())) {
        if (!m.replaced().contains(other.uuid()) && overlaps(other.fragments(), m.fragments())) {
          return new CommitResult(CommitOutcome.INPUTS_GONE, snap.version(), attempt,
              "segment " + other.uuid() + " (not an input) covers fragments " + other.fragments()
                  + " at version " + snap.version());
        }
      }
      Index added = newIndex(m, snap, Math.max(builtOn, 1));
      hooks.beforeCommit(snap.version());
      try {
        long version = catalog.commitSwap(snap, added, m.replaced(), props);
        hooks.afterCommit(version);
        committed.record(mergeId, checkpointId, version);
        return new CommitResult(CommitOutcome.COMMITTED, version, attempt,
            "replaced " + m.replaced() + " by " + m.uuid() + " at version " + version);
      } catch (RuntimeException e) {
        lastError = e;
        uncertain = true;
        if (!isConflict(e) && catalog.latestVersion() == snap.version()) {
          // Nothing landed (the version did not move) and it was no race: retrying will not help.
          throw new LanceCommitException("commit of merged segment " + m.uuid() + " (merge " + mergeId
              + ") refused at version " + snap.version() + ": " + e.getMessage(), e);
        }
      }
    }
    committed.refresh(catalog);
    Optional<CommittedMerges.Entry> found = committed.find(mergeId);
    if (found.isPresent()) {
      return new CommitResult(CommitOutcome.COMMITTED, found.get().version(), options.maxAttempts(),
          "merge " + mergeId + " committed at version " + found.get().version());
    }
    throw new LanceCommitException("commit of merged segment " + m.uuid() + " (merge " + mergeId
        + ") raced " + options.maxAttempts() + " times", lastError);
  }

  // ------------------------------------------------------------------------------------------------------------

  private Map<String, String> checkProperties(Map<String, String> properties) {
    Map<String, String> props = new LinkedHashMap<>(properties);
    String mergeId = props.get(CommitProperties.MERGE_ID);
    if (mergeId == null || mergeId.isBlank()) {
      throw new IllegalArgumentException("properties must hold " + CommitProperties.MERGE_ID);
    }
    String user = props.putIfAbsent(CommitProperties.COMMIT_USER, committed.commitUser());
    if (user != null && !user.equals(committed.commitUser())) {
      throw new IllegalArgumentException("commit user " + user + " is not this committer's "
          + committed.commitUser());
    }
    return props;
  }

  private void checkDirectory(MergedSegment m) {
    Path expected = catalog.segmentDirectory(m.uuid());
    Path dir = m.directory().toAbsolutePath().normalize();
    if (!dir.equals(expected)) {
      throw new IllegalArgumentException("merged segment directory " + dir + " is not " + expected);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("merged segment directory " + dir + " does not exist");
    }
    try (Stream<Path> files = Files.list(dir)) {
      if (files.noneMatch(Files::isRegularFile)) {
        throw new IllegalArgumentException("merged segment directory " + dir + " holds no file");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Index newIndex(MergedSegment m, ManifestSnapshot snap, long builtOn) {
    LiveSegment t = m.template();
    Index.Builder b = Index.builder()
        .uuid(m.uuid())
        .name(m.indexName())
        .fields(t.fields())
        .datasetVersion(builtOn)
        .fragments(new ArrayList<>(m.fragments()))
        .indexVersion(t.indexVersion())
        .createdAt(Instant.now());
    if (t.details() != null) {
      b.indexDetails(t.details());
    }
    if (snap.segment(t.uuid()).isPresent()) {
      b.indexType(snap.lanceIndex(t.uuid()).indexType());
    }
    return b.build();
  }

  private static boolean overlaps(SortedSet<Integer> a, SortedSet<Integer> b) {
    for (Integer x : a) {
      if (b.contains(x)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConflict(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String msg = t.getMessage();
      if (msg != null) {
        String s = msg.toLowerCase(Locale.ROOT);
        if (s.contains("conflict") || s.contains("preempted") || s.contains("retry")) {
          return true;
        }
      }
    }
    return false;
  }

  private void pause(int attempt) {
    long ms = options.retryBackoff().toMillis() * (attempt - 1);
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LanceCommitException("interrupted while retrying a commit", e);
    }
  }
}
