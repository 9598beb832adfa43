package dev.lancemerge.operators.source;

import dev.lancemerge.operators.staging.DescriptorValidator;
import dev.lancemerge.operators.staging.StagingArea;
import dev.lancemerge.operators.staging.StagingLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The FLIP-27 source of the merge job: continuously discovers index segments of a local Lance dataset, committed
 * (unmerged, e.g. one per fragment, or earlier merges' outputs) and, optionally, staged ones announced in a staging
 * directory, and emits each segment's content as {@link SegmentRecord}s: a {@link SegmentSeen}, then one slice per
 * non-empty IVF partition or per zone (or a {@link SegmentRejected}). Unbounded.
 *
 * <pre>{@code
 * SegmentSource source = SegmentSource.builder()
 *     .dataset(Path.of("/data/ds.lance"))
 *     .indexNames("vec_idx", "ts_zonemap")
 *     .discoveryInterval(Duration.ofSeconds(10))
 *     .stagingDirectory(Path.of("/data/staging"))   // optional
 *     .build();
 * DataStream<SegmentRecord> segments = env.fromSource(source, WatermarkStrategy.noWatermarks(), "segments");
 * }</pre>
 *
 * The enumerator ({@link SegmentEnumerator}) runs on the JobManager and opens the dataset there (lance-core, JNI);
 * readers only read index files with the merge kernel.
 */
public final class SegmentSource
    implements Source<SegmentRecord, SegmentSplit, EnumeratorState>, ResultTypeQueryable<SegmentRecord> {
  private static final long serialVersionUID = 1L;

  private final String dataset;
  private final ArrayList<String> indexNames;
  private final long discoveryIntervalMs;
  private final String stagingDirectory;
  private final int maxDescriptorsPerScan;

  private SegmentSource(Builder b) {
    this.dataset = b.dataset.toAbsolutePath().normalize().toString();
    this.indexNames = new ArrayList<>(b.indexNames);
    this.discoveryIntervalMs = b.discoveryInterval.toMillis();
    this.stagingDirectory = b.stagingDirectory == null ? null : b.stagingDirectory.toAbsolutePath().normalize().toString();
    this.maxDescriptorsPerScan = b.maxDescriptorsPerScan;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Path dataset() {
    return Path.of(dataset);
  }

  public List<String> indexNames() {
    return List.copyOf(indexNames);
  }

  public Duration discoveryInterval() {
    return Duration.ofMillis(discoveryIntervalMs);
  }

  /** The staging directory, or null when the source reads committed segments only. */
  public Path stagingDirectory() {
    return stagingDirectory == null ? null : Path.of(stagingDirectory);
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SourceReader<SegmentRecord, SegmentSplit> createReader(SourceReaderContext context) {
    return new SegmentSourceReader(context);
  }

  @Override
  public SplitEnumerator<SegmentSplit, EnumeratorState> createEnumerator(SplitEnumeratorContext<SegmentSplit> context) {
    return restoreEnumerator(context, EnumeratorState.empty());
  }

  @Override
  public SplitEnumerator<SegmentSplit, EnumeratorState> restoreEnumerator(
      SplitEnumeratorContext<SegmentSplit> context, EnumeratorState state) {
    StagedSegments staged = null;
    if (stagingDirectory != null) {
      DescriptorValidator validator = new DescriptorValidator(dataset(), StagingLimits.defaults());
      staged = new StagingAreaSegments(new StagingArea(stagingDirectory(), validator, maxDescriptorsPerScan));
    }
    return new SegmentEnumerator(context, new LinkedHashSet<>(indexNames), discoveryIntervalMs,
        new LanceCommittedSegments(dataset()), staged, Clock.systemUTC(), state);
  }

  @Override
  public SimpleVersionedSerializer<SegmentSplit> getSplitSerializer() {
    return SegmentSplitSerializer.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<EnumeratorState> getEnumeratorCheckpointSerializer() {
    return EnumeratorStateSerializer.INSTANCE;
  }

  @Override
  public TypeInformation<SegmentRecord> getProducedType() {
    return SegmentRecordTypeInfo.INSTANCE;
  }

  /** Builds a {@link SegmentSource}; the dataset and at least one index name are required. */
  public static final class Builder {
    private Path dataset;
    private final Set<String> indexNames = new LinkedHashSet<>();
    private Duration discoveryInterval = Duration.ofSeconds(10);
    private Path stagingDirectory;
    private int maxDescriptorsPerScan = StagingArea.DEFAULT_MAX_PER_SCAN;

    private Builder() {}

    /** The local Lance dataset directory. */
    public Builder dataset(Path dir) {
      this.dataset = Objects.requireNonNull(dir, "dataset");
      return this;
    }

    /** Index names whose segments to read (added to those given before). */
    public Builder indexNames(String... names) {
      return indexNames(List.of(names));
    }

    public Builder indexNames(Collection<String> names) {
      for (String n : names) {
        if (n == null || n.isBlank()) {
          throw new IllegalArgumentException("blank index name");
        }
        indexNames.add(n);
      }
      return this;
    }

    /** How often to look for new segments (default 10 s). */
    public Builder discoveryInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.toMillis() < 1) {
        throw new IllegalArgumentException("discovery interval must be at least 1 ms, got " + interval);
      }
      this.discoveryInterval = interval;
      return this;
    }

    /** Where staged segments are announced; none by default (committed segments only). */
    public Builder stagingDirectory(Path dir) {
      this.stagingDirectory = dir;
      return this;
    }

    /** At most this many new descriptors are validated per discovery (default 1,000). */
    public Builder maxDescriptorsPerScan(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxDescriptorsPerScan must be at least 1");
      }
      this.maxDescriptorsPerScan = n;
      return this;
    }

    public SegmentSource build() {
      if (dataset == null) {
        throw new IllegalStateException("no dataset");
      }
      if (indexNames.isEmpty()) {
        throw new IllegalStateException("no index names");
      }
      return new SegmentSource(this);
    }
  }
}
