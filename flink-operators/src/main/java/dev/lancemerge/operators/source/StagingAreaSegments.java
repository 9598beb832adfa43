package dev.lancemerge.operators.source;

import dev.lancemerge.operators.staging.StagedSegment;
import dev.lancemerge.operators.staging.StagedSegmentDescriptor;
import dev.lancemerge.operators.staging.StagingArea;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link StagedSegments} over a {@link StagingArea}: validated descriptors; invalid ones quarantined by the scan. */
public final class StagingAreaSegments implements StagedSegments {
  private static final Logger LOG = LoggerFactory.getLogger(StagingAreaSegments.class);

  private final StagingArea area;

  public StagingAreaSegments(StagingArea area) {
    this.area = Objects.requireNonNull(area, "area");
  }

  @Override
  public List<StagedSegment> scan(Collection<String> inFlight) throws IOException {
    StagingArea.ScanResult r = area.scan(inFlight);
    for (StagingArea.Quarantined q : r.quarantined()) {
      LOG.warn("Quarantined staged descriptor {} (moved to {}): {}", q.fileName(), q.movedTo(), q.reason());
    }
    if (r.more()) {
      LOG.info("Staging directory {} holds more descriptors than one scan reads; the rest come next interval",
          area.stagingDir());
    }
    return r.segments();
  }

  @Override
  public Set<String> present(Collection<String> names) {
    Set<String> out = new HashSet<>();
    for (String n : names) {
      if (StagingArea.isDescriptorName(n) && Files.isRegularFile(area.stagingDir().resolve(n), LinkOption.NOFOLLOW_LINKS)) {
        out.add(n);
      }
    }
    return out;
  }

  /** The listed sizes when the descriptor lists its files, else the sizes on disk of the directory's own files. */
  @Override
  public long bytes(StagedSegment segment) throws IOException {
    List<StagedSegmentDescriptor.SegmentFile> files = segment.descriptor().files();
    if (!files.isEmpty()) {
      long total = 0;
      for (StagedSegmentDescriptor.SegmentFile f : files) {
        total += f.sizeBytes();
      }
      return total;
    }
    long total = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(segment.segmentDir())) {
      for (Path p : entries) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          total += Files.size(p);
        }
      }
    }
    return total;
  }
}
