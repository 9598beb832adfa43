package dev.lancemerge.operators.source;

import dev.lancemerge.operators.lance.LiveSegment;
import java.util.List;
import java.util.Set;

/**
 * Where the enumerator reads which segments are committed: the dataset's manifest at its latest version
 * ({@link LanceCommittedSegments} in production, a fake in tests). Called from the enumerator's worker thread, one
 * call at a time.
 */
public interface CommittedSegments extends AutoCloseable {

  /** The latest manifest version and the segments of {@code indexNames} it lists (every kind, OTHER included). */
  Listing list(Set<String> indexNames) throws Exception;

  /**
   * One read of the manifest.
   *
   * @param version the dataset version read
   * @param segments the live segments of the requested indexes at {@code version}
   */
  record Listing(long version, List<LiveSegment> segments) {
    public Listing {
      segments = List.copyOf(segments);
    }
  }

  @Override
  default void close() throws Exception {}
}
