package dev.lancemerge.operators.sink;

import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.plan.MergeWindow;
import dev.lancemerge.operators.source.SegmentSeen;
import dev.lancemerge.operators.source.SegmentSplit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a writer hands to the committer at a checkpoint: a merged segment written into the dataset's
 * {@code _indices/} (or a staged segment to commit as it is), with everything the commit needs, or a merge that
 * failed (then {@link #failure()} says why, and {@link #failedSegment()} names the input at fault when known).
 *
 * @param mergeId the merge (transaction property; stable across retries and restores)
 * @param commitUser the job's commit user for this index
 * @param checkpointId the checkpoint the committable belongs to (-1 until stamped)
 * @param indexName the index
 * @param kind vector or ZoneMap
 * @param outputUuid the merged segment
 * @param outputDirectory {@code <dataset>/_indices/<outputUuid>}
 * @param committedInputs inputs committed in the manifest: the commit removes them
 * @param stagedInputs staged inputs: their fragments are new to the manifest; their descriptors are marked done
 * @param fragments every fragment the output covers
 * @param rows rows merged
 * @param bytesWritten bytes of the merged segment's files (0 for a pass-through)
 * @param earliestDiscoveredAt when the earliest input was discovered (freshness lag start)
 * @param writtenAt when the writer finished
 * @param failure why the merge failed, or null
 * @param failedSegment the input at fault, or null
 */
public record MergeCommittable(
    String mergeId, String commitUser, long checkpointId, String indexName, SegmentKind kind, UUID outputUuid,
    String outputDirectory, List<UUID> committedInputs, List<StagedInput> stagedInputs, SortedSet<Integer> fragments,
    long rows, long bytesWritten, long earliestDiscoveredAt, long writtenAt, String failure, UUID failedSegment) {

  /** A staged input: its segment, descriptor and fragments. */
  public record StagedInput(UUID uuid, String descriptorPath, SortedSet<Integer> fragments) {
    public StagedInput {
      Objects.requireNonNull(uuid, "uuid");
      Objects.requireNonNull(descriptorPath, "descriptorPath");
      fragments = Collections.unmodifiableSortedSet(new TreeSet<>(fragments));
    }
  }

  public MergeCommittable {
    Objects.requireNonNull(mergeId, "mergeId");
    Objects.requireNonNull(commitUser, "commitUser");
    Objects.requireNonNull(indexName, "indexName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outputUuid, "outputUuid");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    committedInputs = List.copyOf(committedInputs);
    stagedInputs = List.copyOf(stagedInputs);
    fragments = Collections.unmodifiableSortedSet(new TreeSet<>(fragments));
  }

  /** The committable of {@code window}, written to {@code outputDirectory} (failure null when it succeeded). */
  public static MergeCommittable of(MergeWindow window, String outputDirectory, long rows, long bytesWritten,
      long writtenAt, String failure, UUID failedSegment) {
    List<StagedInput> staged = new ArrayList<>();
    for (SegmentSeen s : window.inputs()) {
      SegmentSplit split = s.split();
      if (split.origin() == SegmentSplit.Origin.STAGED) {
        staged.add(new StagedInput(split.segmentUuid(), split.descriptorPath(), split.fragments()));
      }
    }
    return new MergeCommittable(window.mergeId(), window.commitUser(), -1, window.indexName(), window.kind(),
        window.outputUuid(), outputDirectory, window.committedInputs(), staged, window.fragments(), rows,
        bytesWritten, window.earliestDiscoveredAt(), writtenAt, failure, failedSegment);
  }

  public boolean failed() {
    return failure != null;
  }

  /** The output is one staged input committed as it is. */
  public boolean isPassThrough() {
    return committedInputs.isEmpty() && stagedInputs.size() == 1 && stagedInputs.get(0).uuid().equals(outputUuid);
  }

  /** Fragments of the staged inputs (new to the manifest). */
  public SortedSet<Integer> stagedFragments() {
    SortedSet<Integer> f = new TreeSet<>();
    stagedInputs.forEach(s -> f.addAll(s.fragments()));
    return f;
  }

  /** Every input's uuid. */
  public List<UUID> inputs() {
    List<UUID> all = new ArrayList<>(committedInputs);
    stagedInputs.forEach(s -> all.add(s.uuid()));
    return all;
  }

  public MergeCommittable withCheckpointId(long id) {
    return new MergeCommittable(mergeId, commitUser, id, indexName, kind, outputUuid, outputDirectory,
        committedInputs, stagedInputs, fragments, rows, bytesWritten, earliestDiscoveredAt, writtenAt, failure,
        failedSegment);
  }
}
