package dev.lancemerge.operators.source;

import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.lance.SegmentKind;
import dev.lancemerge.operators.staging.StagedIndexType;
import dev.lancemerge.operators.staging.StagedSegment;
import dev.lancemerge.operators.staging.StagedSegmentDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Fake manifest and staging area for enumerator tests. */
final class Fakes {
  static final Path DATASET = Path.of("/data/ds.lance");
  static final Path STAGING = Path.of("/data/staging");

  private Fakes() {}

  /** A live segment of {@code index} over {@code fragments}, built on version 1. */
  static LiveSegment live(String index, UUID uuid, SegmentKind kind, Integer... fragments) {
    String url = switch (kind) {
      case VECTOR -> "/lance.index.pb.VectorIndexDetails";
      case ZONEMAP -> "/lance.table.ZoneMapIndexDetails";
      case OTHER -> "/lance.table.BTreeIndexDetails";
    };
    return new LiveSegment(index, uuid, kind, List.of(1), new TreeSet<>(List.of(fragments)), 1, 1, null, url,
        DATASET.resolve("_indices").resolve(uuid.toString()), 1000);
  }

  /** A validated staged segment (as the staging area would return it). */
  static StagedSegment staged(String index, UUID uuid, StagedIndexType type, Integer... fragments) {
    StagedSegmentDescriptor d = new StagedSegmentDescriptor(StagedSegmentDescriptor.FORMAT_VERSION, uuid, index,
        "vec", type, List.of(fragments),
        new StagedSegmentDescriptor.Details(type.isVector() ? "l2" : null, type.isVector() ? 1 : 0, 3L, null),
        List.of(), 1_780_000_000_000L);
    return new StagedSegment(STAGING.resolve("1780000000000-" + uuid + ".json"), d,
        DATASET.resolve("_indices").resolve(uuid.toString()));
  }

  /** A manifest whose segments tests change between discoveries; can be told to fail. */
  static final class Manifest implements CommittedSegments {
    long version = 1;
    final Map<UUID, LiveSegment> segments = new LinkedHashMap<>();
    int failures;
    int calls;
    boolean closed;

    Manifest add(LiveSegment... s) {
      for (LiveSegment x : s) {
        segments.put(x.uuid(), x);
      }
      version++;
      return this;
    }

    Manifest remove(UUID... uuids) {
      for (UUID u : uuids) {
        segments.remove(u);
      }
      version++;
      return this;
    }

    @Override
    public Listing list(Set<String> indexNames) {
      calls++;
      if (failures > 0) {
        failures--;
        throw new IllegalStateException("manifest unreadable (injected)");
      }
      List<LiveSegment> out = new ArrayList<>();
      for (LiveSegment s : segments.values()) {
        if (indexNames.contains(s.indexName())) {
          out.add(s);
        }
      }
      return new Listing(version, out);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A staging directory: descriptors by file name. */
  static final class Staging implements StagedSegments {
    final Map<String, StagedSegment> waiting = new LinkedHashMap<>();
    final List<Collection<String>> skips = new ArrayList<>();

    Staging announce(StagedSegment s) {
      waiting.put(s.fileName(), s);
      return this;
    }

    Staging done(StagedSegment s) {
      waiting.remove(s.fileName());
      return this;
    }

    @Override
    public List<StagedSegment> scan(Collection<String> inFlight) {
      skips.add(Set.copyOf(inFlight));
      List<StagedSegment> out = new ArrayList<>();
      for (StagedSegment s : waiting.values()) {
        if (!inFlight.contains(s.fileName())) {
          out.add(s);
        }
      }
      return out;
    }

    @Override
    public Set<String> present(Collection<String> names) {
      Set<String> out = new HashSet<>(names);
      out.retainAll(waiting.keySet());
      return out;
    }

    @Override
    public long bytes(StagedSegment segment) {
      return 1300;
    }
  }
}
