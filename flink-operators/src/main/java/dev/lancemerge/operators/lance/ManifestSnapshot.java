package dev.lancemerge.operators.lance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.lance.index.Index;

/**
 * The committed segments of some indexes at one dataset version, read in one go: what the source's discovery
 * and the committer's pre-commit check look at.
 */
public final class ManifestSnapshot {
  private final long version;
  private final List<LiveSegment> segments;
  private final Map<UUID, LiveSegment> byUuid;
  private final Map<UUID, Index> lanceIndexes;

  ManifestSnapshot(long version, List<LiveSegment> segments, Map<UUID, Index> lanceIndexes) {
    this.version = version;
    this.segments = List.copyOf(segments);
    Map<UUID, LiveSegment> m = new LinkedHashMap<>();
    for (LiveSegment s : segments) {
      m.put(s.uuid(), s);
    }
    this.byUuid = Collections.unmodifiableMap(m);
    this.lanceIndexes = Map.copyOf(lanceIndexes);
  }

  /** The dataset version these segments were read at. */
  public long version() {
    return version;
  }

  /** Every segment of the requested indexes, in manifest order. */
  public List<LiveSegment> segments() {
    return segments;
  }

  /** The segment with this uuid, if it is live at {@link #version()}. */
  public Optional<LiveSegment> segment(UUID uuid) {
    return Optional.ofNullable(byUuid.get(uuid));
  }

  /** The live segments of one index. */
  public List<LiveSegment> segmentsOf(String indexName) {
    List<LiveSegment> out = new ArrayList<>();
    for (LiveSegment s : segments) {
      if (s.indexName().equals(indexName)) {
        out.add(s);
      }
    }
    return out;
  }

  /** lance-core's own object for a live segment (used to name the segments a commit removes). */
  Index lanceIndex(UUID uuid) {
    Index i = lanceIndexes.get(uuid);
    if (i == null) {
      throw new IllegalArgumentException("segment " + uuid + " is not live at version " + version);
    }
    return i;
  }
}
