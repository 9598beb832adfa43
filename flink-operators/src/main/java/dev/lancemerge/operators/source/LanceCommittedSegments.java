package dev.lancemerge.operators.source;

import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.ManifestSnapshot;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * {@link CommittedSegments} read with lance-core through {@link LanceDatasetCatalog}. The catalog (a JNI dataset
 * handle) is opened at the first listing, not at construction, so a dataset that cannot be opened yet only fails
 * that discovery (retried at the next interval); after a failed listing the handle is reopened.
 */
public final class LanceCommittedSegments implements CommittedSegments {
  private final Path datasetDir;
  private LanceDatasetCatalog catalog;

  public LanceCommittedSegments(Path datasetDir) {
    this.datasetDir = Objects.requireNonNull(datasetDir, "datasetDir");
  }

  @Override
  public synchronized Listing list(Set<String> indexNames) {
    if (catalog == null) {
      catalog = LanceDatasetCatalog.open(datasetDir);
    }
    try {
      ManifestSnapshot s = catalog.snapshot(indexNames);
      return new Listing(s.version(), s.segments());
    } catch (RuntimeException e) {
      closeCatalog();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    closeCatalog();
  }

  private void closeCatalog() {
    if (catalog != null) {
      LanceDatasetCatalog c = catalog;
      catalog = null;
      c.close();
    }
  }
}
