package dev.lancemerge.operators.source;

import dev.lancemerge.operators.staging.StagedSegment;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Where the enumerator finds staged segments: the staging directory's valid descriptors
 * ({@link StagingAreaSegments} over {@code StagingArea} in production, a fake in tests). Called from the
 * enumerator's worker thread, one call at a time.
 */
public interface StagedSegments extends AutoCloseable {

  /**
   * Valid descriptors now waiting in the staging directory, leaving out those named in {@code inFlight} (descriptor
   * file names the enumerator already has). Invalid descriptors are quarantined by the implementation, never
   * returned. At most a bounded number per call; the rest come in later calls.
   */
  List<StagedSegment> scan(Collection<String> inFlight) throws Exception;

  /** Which of {@code names} (descriptor file names) are still waiting, i.e. neither marked done nor quarantined. */
  Set<String> present(Collection<String> names) throws Exception;

  /** Size in bytes of the files of a staged segment (its checked directory). */
  long bytes(StagedSegment segment) throws Exception;

  @Override
  default void close() throws Exception {}
}
