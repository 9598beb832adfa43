package dev.lancemerge.operators.lance;

/**
 * Outcome of one {@link SegmentCommitter#commit} call.
 *
 * @param outcome what happened
 * @param version COMMITTED / ALREADY_COMMITTED: the version that committed the merge (or, if only its segment
 *     uuid was seen live and the merge id was not found, the version at which it was seen); INPUTS_GONE: the
 *     version at which an input was missing
 * @param attempts how many times the manifest was read and checked (1 without a commit race)
 * @param detail a human-readable reason (which inputs are gone, which version held the merge id)
 */
public record CommitResult(CommitOutcome outcome, long version, int attempts, String detail) {}
