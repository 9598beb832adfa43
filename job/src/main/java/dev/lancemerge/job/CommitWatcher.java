package dev.lancemerge.job;

import dev.lancemerge.operators.lance.CommitProperties;
import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LiveSegment;
import dev.lancemerge.operators.lance.ManifestSnapshot;
import dev.lancemerge.operators.lance.SegmentKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Watches a dataset's manifest (through {@link LanceDatasetCatalog}) for the merge job's commits and reports one
 * {@link Commit} per committed merge, read from the versions themselves: the index whose segments changed, segments
 * before and after, rows the index covers, the transaction properties ({@link CommitProperties}) and the manifest's
 * commit time. It also reports merges in progress: the kernel writes each merged segment into a hidden directory
 * {@code _indices/.<uuid>.tmp-*} and renames it when done, so a hidden directory that stays is a long merge: one that
 * has been there 0.3 s, or holds 64 MB already, is reported, then once a second.
 *
 * <p>One thread calls {@link #poll}; another may call {@link #progress} (more often, to catch shorter merges).
 */
final class CommitWatcher implements AutoCloseable {

  /** One merge the job committed, as the manifest shows it. */
  record Commit(long version, String index, int segmentsBefore, int segmentsAfter, long rows, long mergedRows,
      long mergedBytes, List<UUID> added, SortedSet<Integer> mergedFragments, long commitTimeMillis,
      long discoveredAtMillis, long writtenAtMillis, String mergeId, Map<String, String> properties) {

    /** Commit time minus when the merge's earliest input was discovered, in seconds (NaN if not recorded). */
    double lagSeconds() {
      return discoveredAtMillis > 0 ? (commitTimeMillis - discoveredAtMillis) / 1000.0 : Double.NaN;
    }

    /** The progress line: {@code <index>: <n> -> <m> segments, <rows> rows, freshness lag <s> s}. */
    String line() {
      return String.format(Locale.ROOT, "%s: %d -> %d segments, %d rows, freshness lag %.1f s", index, segmentsBefore,
          segmentsAfter, rows, lagSeconds());
    }
  }

  /** What the watcher reports. */
  interface Listener {
    void commit(Commit c);

    /** A merge has been writing for {@code seconds}; {@code bytes} written so far. */
    default void progress(String index, long bytes, double seconds) {}
  }

  static String progressLine(String index, long bytes, double seconds) {
    return String.format(Locale.ROOT, "%s: merging, %.1f MB written in %.1f s", index, bytes / 1e6, seconds);
  }

  private static final long PROGRESS_FIRST_MILLIS = 300;
  private static final long PROGRESS_FIRST_BYTES = 64L << 20;
  private static final long PROGRESS_EVERY_MILLIS = 1000;

  private final LanceDatasetCatalog catalog;
  private final Set<String> indexes;
  private final Listener listener;
  private final Path indicesDir;
  private long lastVersion;
  private final Map<String, long[]> tmpSeen = new HashMap<>(); // name -> {firstSeen, lastPrinted}
  private final Map<Integer, Long> fragmentRowsCache = new HashMap<>();
  private Map<SegmentKind, String> indexByKind = Map.of();

  CommitWatcher(Path dataset, List<String> indexes, Listener listener) {
    this.catalog = LanceDatasetCatalog.open(dataset);
    this.indexes = new LinkedHashSet<>(indexes);
    this.listener = listener;
    this.indicesDir = catalog.root().resolve("_indices");
    this.lastVersion = catalog.latestVersion();
    refreshKinds(catalog.snapshot(this.indexes));
  }

  /** Reports commits from versions after the last one seen (the latest at construction, at first). */
  long lastVersion() {
    return lastVersion;
  }

  /** The latest dataset version now. */
  long latestVersion() {
    return catalog.latestVersion();
  }

  /** Reads new versions and reports the job's commits among them; then reports long merges in progress. */
  void poll() {
    long latest = catalog.latestVersion();
    for (long v = lastVersion + 1; v <= latest; v++) {
      Map<String, String> props;
      try {
        props = catalog.transactionProperties(v);
      } catch (IllegalStateException e) {
        continue; // cleaned up already
      }
      String mergeId = props.get(CommitProperties.MERGE_ID);
      if (mergeId == null) {
        continue; // not the merge job's commit
      }
      try {
        report(v, mergeId, props);
      } catch (IllegalStateException e) {
        // the version (or the one before) was removed meanwhile: nothing to report
      }
    }
    lastVersion = Math.max(lastVersion, latest);
  }

  private void report(long v, String mergeId, Map<String, String> props) {
    ManifestSnapshot before = catalog.snapshotAt(v - 1, indexes);
    ManifestSnapshot after = catalog.snapshotAt(v, indexes);
    refreshKinds(after);
    for (String index : indexes) {
      Set<UUID> b = uuids(before.segmentsOf(index));
      Set<UUID> a = uuids(after.segmentsOf(index));
      if (a.equals(b)) {
        continue;
      }
      SortedSet<Integer> covered = new TreeSet<>();
      SortedSet<Integer> merged = new TreeSet<>();
      long mergedBytes = 0;
      List<UUID> added = new ArrayList<>();
      for (LiveSegment s : after.segmentsOf(index)) {
        covered.addAll(s.fragments());
        if (!b.contains(s.uuid())) {
          merged.addAll(s.fragments());
          mergedBytes += s.bytes();
          added.add(s.uuid());
        }
      }
      long rows = rows(v, covered);
      long mergedRows = rows(v, merged);
      listener.commit(new Commit(v, index, b.size(), a.size(), rows, mergedRows, mergedBytes, added, merged,
          catalog.commitTimeMillis(v), number(props.get(CommitProperties.DISCOVERED_AT)),
          number(props.get(CommitProperties.WRITTEN_AT)), mergeId, props));
    }
  }

  private long rows(long version, Set<Integer> fragments) {
    if (!fragmentRowsCache.keySet().containsAll(fragments)) {
      fragmentRowsCache.putAll(catalog.fragmentRows(version));
    }
    long n = 0;
    for (int f : fragments) {
      n += fragmentRowsCache.getOrDefault(f, 0L);
    }
    return n;
  }

  private void refreshKinds(ManifestSnapshot s) {
    Map<SegmentKind, Set<String>> byKind = new HashMap<>();
    for (LiveSegment seg : s.segments()) {
      byKind.computeIfAbsent(seg.kind(), k -> new LinkedHashSet<>()).add(seg.indexName());
    }
    Map<SegmentKind, String> m = new LinkedHashMap<>();
    byKind.forEach((k, names) -> m.put(k, String.join("/", names)));
    indexByKind = m;
  }

  /** Hidden output directories of merges being written: report the ones that have been there a while. */
  synchronized void progress() {
    long now = System.currentTimeMillis();
    Set<String> present = new HashSet<>();
    if (Files.isDirectory(indicesDir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(indicesDir, ".*.tmp-*")) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          present.add(name);
          long[] seen = tmpSeen.computeIfAbsent(name, k -> new long[] {now, 0});
          long age = now - seen[0];
          if (now - seen[1] < PROGRESS_EVERY_MILLIS) {
            continue;
          }
          long bytes = age >= PROGRESS_FIRST_MILLIS ? -1 : sizeOf(p);
          if (age >= PROGRESS_FIRST_MILLIS || bytes >= PROGRESS_FIRST_BYTES) {
            seen[1] = now;
            listener.progress(indexOf(p), bytes >= 0 ? bytes : sizeOf(p), Math.max(age, 1) / 1000.0);
          }
        }
      } catch (IOException e) {
        // the directory changed under us: next poll
      }
    }
    tmpSeen.keySet().retainAll(present);
  }

  /** True if a merge is being written now (a hidden output directory exists). */
  boolean merging() {
    if (!Files.isDirectory(indicesDir)) {
      return false;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(indicesDir, ".*.tmp-*")) {
      return ds.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  private String indexOf(Path tmp) {
    SegmentKind kind = null;
    try (Stream<Path> files = Files.list(tmp)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String n = f.getFileName().toString();
        if (n.endsWith(".idx")) {
          kind = SegmentKind.VECTOR;
        } else if (n.contains("zonemap")) {
          kind = SegmentKind.ZONEMAP;
        }
      }
    } catch (IOException e) {
      // finished meanwhile
    }
    String name = kind == null ? null : indexByKind.get(kind);
    return name != null ? name : String.join("/", indexes);
  }

  private static long sizeOf(Path dir) {
    long n = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        try {
          n += Files.size(f);
        } catch (IOException e) {
          // renamed meanwhile
        }
      }
    } catch (IOException e) {
      // renamed meanwhile
    }
    return n;
  }

  private static Set<UUID> uuids(List<LiveSegment> segments) {
    Set<UUID> s = new HashSet<>();
    for (LiveSegment l : segments) {
      s.add(l.uuid());
    }
    return s;
  }

  private static long number(String s) {
    if (s == null) {
      return 0;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Every merge id the job committed in versions {@code from..latest} (for checks: each at most once). */
  static List<String> mergeIds(LanceDatasetCatalog catalog, long from) {
    List<String> ids = new ArrayList<>();
    long latest = catalog.latestVersion();
    for (long v = Math.max(1, from); v <= latest; v++) {
      try {
        String id = catalog.transactionProperties(v).get(CommitProperties.MERGE_ID);
        if (id != null) {
          ids.add(id);
        }
      } catch (IllegalStateException e) {
        // cleaned up
      }
    }
    return ids;
  }

  @Override
  public void close() {
    catalog.close();
  }
}
