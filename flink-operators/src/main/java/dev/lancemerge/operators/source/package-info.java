/**
 * The merge job's FLIP-27 source, in the shape of Kafka's connector: {@link
 * dev.lancemerge.operators.source.SegmentSource} (builder, unbounded), {@link
 * dev.lancemerge.operators.source.SegmentEnumerator} (periodic discovery of committed and staged segments; state
 * {@link dev.lancemerge.operators.source.EnumeratorState}: last manifest version + in-flight splits, bounded by the
 * live unmerged segments), {@link dev.lancemerge.operators.source.SegmentSplit} (one segment), and the reader
 * ({@link dev.lancemerge.operators.source.SegmentSourceReader} with {@link
 * dev.lancemerge.operators.source.SegmentSplitReader}, which opens segments with the merge kernel through {@link
 * dev.lancemerge.operators.source.SegmentScanner}). Records: {@link dev.lancemerge.operators.source.SegmentRecord}
 * holding a {@link dev.lancemerge.operators.source.SegmentSeen}, {@link
 * dev.lancemerge.operators.source.PartitionSlice}, {@link dev.lancemerge.operators.source.ZoneSlice} or {@link
 * dev.lancemerge.operators.source.SegmentRejected}, serialized by {@link
 * dev.lancemerge.operators.source.SegmentRecordFormat} (no Kryo).
 */
package dev.lancemerge.operators.source;
