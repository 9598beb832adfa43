/**
 * The job's only door to a real Lance dataset's manifest (lance-core 7.0.0): discover committed index segments
 * ({@link dev.lancemerge.operators.lance.LanceDatasetCatalog}), commit a merged segment in place of its inputs
 * exactly once ({@link dev.lancemerge.operators.lance.SegmentCommitter}), and find what a commit user already
 * committed ({@link dev.lancemerge.operators.lance.CommittedMerges}). lance-core is used only to read the manifest
 * and to commit, never to read or write index files (our merge kernel does that).
 *
 * <p>lance-core 7.0.0 facts this package relies on (all seen by running it, see the tests):
 * <ul>
 *   <li>{@code Dataset.getIndexes()} lists one {@code Index} per committed segment: {@code name()},
 *       {@code uuid()}, {@code fragments()} ({@code Optional[[fid, ...]]}), {@code fields()}, {@code datasetVersion()},
 *       {@code indexVersion()} (1 vector, 0 ZoneMap), {@code indexType()} ({@code VECTOR} for every vector kind,
 *       {@code ZONEMAP}) and {@code indexDetails()}: a serialized protobuf {@code Any} whose type URL is
 *       {@code /lance.index.pb.VectorIndexDetails} or {@code /lance.table.ZoneMapIndexDetails}.</li>
 *   <li>{@code Dataset.checkoutLatest()} refreshes a handle in place (other writers' commits included);
 *       {@code latestVersion()} reads the newest version; {@code checkoutVersion(v)} returns a NEW handle
 *       (close it); {@code readTransaction()} on it returns the transaction that produced {@code v}, with its
 *       {@code transactionProperties()} ({@code Optional.empty()} for appends and for
 *       {@code commitExistingIndexSegments}); checking out a version that does not exist throws.</li>
 *   <li>{@code new CommitBuilder(ds).execute(new Transaction.Builder().readVersion(v).operation(CreateIndex.builder()
 *       .withNewIndices(List.of(merged)).withRemovedIndices(inputs).build()).transactionProperties(props).build())}
 *       removes exactly the listed segments (others of the same index stay), returns a new handle at the new
 *       version and leaves {@code ds} where it was.</li>
 *   <li>{@code commitExistingIndexSegments(name, column, List.of(merged))} removes every live segment of the
 *       index whose fragments overlap the merged one (the same result here), but records no transaction
 *       properties: not used.</li>
 *   <li>A {@code CreateIndex} read at an older version is rebased when the versions in between only touched other
 *       indexes or the config; if one of them was a {@code CreateIndex} of the same index, it fails with
 *       {@code RuntimeException("Retryable commit conflict for version N: This CreateIndex transaction was
 *       preempted by concurrent transaction CreateIndex at version N. Please retry.")}.</li>
 *   <li>A commit that leaves two segments of an IVF index covering the same fragment (e.g. removing a segment that
 *       is no longer live while adding one over its fragments) panics in native code
 *       ({@code IVFIndex::calculate_included_frags}: "not implemented: this method is only needed for migrating
 *       older manifests") and aborts the JVM (exit 134). Hence the live-inputs and overlap checks before every
 *       commit.</li>
 * </ul>
 */
package dev.lancemerge.operators.lance;
