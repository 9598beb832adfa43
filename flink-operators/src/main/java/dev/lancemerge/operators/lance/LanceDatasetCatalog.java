package dev.lancemerge.operators.lance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.lance.CommitBuilder;
import org.lance.Dataset;
import org.lance.Transaction;
import org.lance.index.Index;
import org.lance.operation.CreateIndex;
import org.lance.schema.LanceField;

/**
 * The job's only door to a real Lance dataset's manifest (lance-core 7.0.0, JNI): reads which index segments
 * are committed, names columns, reads the transaction properties of past versions, and commits one
 * {@code CreateIndex} transaction that swaps segments. It never reads or writes index files.
 *
 * <p>A local dataset only (a path or a {@code file:} URI): merged segments are written by our kernel to
 * {@code <dataset>/_indices/<uuid>/}. One instance owns one {@link Dataset} handle and its own Arrow allocator;
 * its methods are synchronized (the JNI handle is not meant for concurrent use).
 */
public final class LanceDatasetCatalog implements AutoCloseable {
  private final Path root;
  private final BufferAllocator allocator;
  private final Dataset dataset;
  private boolean closed;

  private LanceDatasetCatalog(Path root, BufferAllocator allocator, Dataset dataset) {
    this.root = root;
    this.allocator = allocator;
    this.dataset = dataset;
  }

  /** Opens the latest version of the dataset at {@code datasetDir}. */
  public static LanceDatasetCatalog open(Path datasetDir) {
    Path root = datasetDir.toAbsolutePath().normalize();
    BufferAllocator allocator = new RootAllocator();
    try {
      Dataset ds = Dataset.open().allocator(allocator).uri(root.toString()).build();
      return new LanceDatasetCatalog(root, allocator, ds);
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  /** Opens a dataset by a plain path or a {@code file:} URI. */
  public static LanceDatasetCatalog open(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (uri.startsWith("file:")) {
      return open(Paths.get(URI.create(uri)));
    }
    if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
      throw new IllegalArgumentException("only local datasets are supported, got " + uri);
    }
    return open(Paths.get(uri));
  }

  /** The dataset directory. */
  public Path root() {
    return root;
  }

  /** Where a segment's files live: {@code <dataset>/_indices/<uuid>}. */
  public Path segmentDirectory(UUID uuid) {
    return root.resolve("_indices").resolve(uuid.toString());
  }

  /** The newest committed version (as stored now, including other writers' commits). */
  public synchronized long latestVersion() {
    ensureOpen();
    return dataset.latestVersion();
  }

  /** Every committed segment of {@code indexNames} at the latest version, in manifest order. */
  public List<LiveSegment> liveSegments(Set<String> indexNames) {
    return snapshot(indexNames).segments();
  }

  /** The latest version and every committed segment of {@code indexNames} at it (read together). */
  public ManifestSnapshot snapshot(Set<String> indexNames) {
    return snapshot(indexNames::contains);
  }

  /** Every committed segment of every index at the latest version (what cleanup must never delete). */
  public List<LiveSegment> allSegments() {
    return snapshot(name -> true).segments();
  }

  private synchronized ManifestSnapshot snapshot(java.util.function.Predicate<String> indexNames) {
    ensureOpen();
    dataset.checkoutLatest();
    long version = dataset.version();
    List<LiveSegment> segments = new ArrayList<>();
    Map<UUID, Index> lance = new HashMap<>();
    for (Index i : dataset.getIndexes()) {
      if (!indexNames.test(i.name())) {
        continue;
      }
      segments.add(toLive(i));
      lance.put(i.uuid(), i);
    }
    return new ManifestSnapshot(version, segments, lance);
  }

  /**
   * The segments of {@code indexNames} committed at {@code version} (an older version, read without moving this
   * catalog off the latest one).
   *
   * @throws IllegalStateException if that version cannot be read (e.g. removed by cleanup)
   */
  public synchronized ManifestSnapshot snapshotAt(long version, Set<String> indexNames) {
    ensureOpen();
    Dataset v = checkout(version);
    try {
      List<LiveSegment> segments = new ArrayList<>();
      Map<UUID, Index> lance = new HashMap<>();
      for (Index i : v.getIndexes()) {
        if (indexNames.contains(i.name())) {
          segments.add(toLive(i));
          lance.put(i.uuid(), i);
        }
      }
      return new ManifestSnapshot(version, segments, lance);
    } finally {
      if (v != dataset) {
        v.close();
      }
    }
  }

  /** When {@code version} was committed (ms since the epoch, the manifest's timestamp). */
  public synchronized long commitTimeMillis(long version) {
    ensureOpen();
    Dataset v = checkout(version);
    try {
      return v.getVersion().getDataTime().toInstant().toEpochMilli();
    } finally {
      if (v != dataset) {
        v.close();
      }
    }
  }

  /** Rows of every fragment at {@code version} (fragment id to rows, deletions subtracted). */
  public synchronized Map<Integer, Long> fragmentRows(long version) {
    ensureOpen();
    Dataset v = checkout(version);
    try {
      Map<Integer, Long> rows = new HashMap<>();
      for (org.lance.Fragment f : v.getFragments()) {
        rows.put(f.getId(), f.metadata().getNumRows());
      }
      return rows;
    } finally {
      if (v != dataset) {
        v.close();
      }
    }
  }

  private Dataset checkout(long version) {
    try {
      return dataset.checkoutVersion(version);
    } catch (RuntimeException e) {
      throw new IllegalStateException("version " + version + " of " + root + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** The name of the top-level or nested field with this id in the latest schema. */
  public synchronized String columnName(int fieldId) {
    ensureOpen();
    dataset.checkoutLatest();
    String name = find(dataset.getLanceSchema().fields(), fieldId, "");
    if (name == null) {
      throw new IllegalArgumentException("no field with id " + fieldId + " in " + root);
    }
    return name;
  }

  /**
   * The transaction properties of the commit that produced {@code version} (empty if it recorded none).
   *
   * @throws IllegalStateException if that version cannot be read (e.g. removed by cleanup)
   */
  public synchronized Map<String, String> transactionProperties(long version) {
    ensureOpen();
    Dataset v;
    try {
      v = dataset.checkoutVersion(version);
    } catch (RuntimeException e) {
      throw new IllegalStateException("version " + version + " of " + root + " cannot be read: " + e.getMessage(), e);
    }
    try {
      Optional<Transaction> t = v.readTransaction();
      if (t.isEmpty()) {
        return Map.of();
      }
      try (Transaction txn = t.get()) {
        return txn.transactionProperties().map(Map::copyOf).orElse(Map.of());
      }
    } finally {
      if (v != dataset) {
        v.close();
      }
    }
  }

  /**
   * Commits one {@code CreateIndex} transaction read at {@code readVersion} that adds {@code added} and removes
   * exactly {@code removed} (segments live in {@code snapshot}), with {@code properties} as transaction
   * properties. Lance rebases it onto newer versions that do not touch the same index, and refuses it with
   * "Retryable commit conflict" if a concurrent {@code CreateIndex} of the same index came first.
   *
   * @return the version the commit produced
   */
  synchronized long commitSwap(ManifestSnapshot snapshot, Index added, List<UUID> removed, Map<String, String> properties) {
    ensureOpen();
    List<Index> remove = new ArrayList<>();
    for (UUID u : removed) {
      remove.add(snapshot.lanceIndex(u));
    }
    try (Transaction txn = new Transaction.Builder()
        .readVersion(snapshot.version())
        .operation(CreateIndex.builder().withNewIndices(List.of(added)).withRemovedIndices(remove).build())
        .transactionProperties(Map.copyOf(properties))
        .build();
        Dataset after = new CommitBuilder(dataset).execute(txn)) {
      return after.version();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      dataset.close();
    } finally {
      allocator.close();
    }
  }

  // ------------------------------------------------------------------------------------------------------------

  private LiveSegment toLive(Index i) {
    byte[] details = i.indexDetails().orElse(null);
    Optional<String> url = IndexDetails.typeUrl(details);
    Path dir = segmentDirectory(i.uuid());
    List<Integer> frags = i.fragments().orElse(List.of());
    return new LiveSegment(i.name(), i.uuid(), SegmentKind.of(url, i.indexType()), i.fields(), new TreeSet<>(frags),
        i.datasetVersion(), i.indexVersion(), details, url.orElse(""), dir, sizeOf(dir));
  }

  static long sizeOf(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      long total = 0;
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot size " + dir, e);
    }
  }

  private static String find(List<LanceField> fields, int id, String prefix) {
    for (LanceField f : fields) {
      String name = prefix.isEmpty() ? f.getName() : prefix + "." + f.getName();
      if (f.getId() == id) {
        return name;
      }
      String nested = find(f.getChildren(), id, name);
      if (nested != null) {
        return nested;
      }
    }
    return null;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("catalog of " + root + " is closed");
    }
  }
}
