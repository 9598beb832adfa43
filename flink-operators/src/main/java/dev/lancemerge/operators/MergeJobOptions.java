package dev.lancemerge.operators;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.lancemerge.operators.cleanup.CleanupOptions;
import dev.lancemerge.operators.plan.PlannerOptions;
import dev.lancemerge.operators.policy.TieredMergePolicy;
import dev.lancemerge.operators.sink.CommitterOptions;
import dev.lancemerge.operators.sink.WriterOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

/**
 * Every setting of the merge job, as Flink {@link ConfigOption}s: settable in a Flink configuration file, with
 * {@code -D key=value}, or by the {@code run} command's flags. {@link #all()} lists them (for {@code --help}).
 */
public final class MergeJobOptions {
  private MergeJobOptions() {}

  public static final ConfigOption<String> DATASET = key("lance-merge.dataset").stringType().noDefaultValue()
      .withDescription("The local Lance dataset whose indexes are merged (a path or file: URI).");

  public static final ConfigOption<List<String>> INDEX_NAMES = key("lance-merge.index-names").stringType().asList()
      .noDefaultValue().withDescription("Names of the vector and ZoneMap indexes to keep merged.");

  public static final ConfigOption<String> STAGING_DIR = key("lance-merge.staging-dir").stringType().noDefaultValue()
      .withDescription("Directory where distributed builds announce staged (uncommitted) segments with JSON "
          + "descriptors; unset: committed segments only.");

  public static final ConfigOption<Duration> DISCOVERY_INTERVAL = key("lance-merge.source.discovery-interval")
      .durationType().defaultValue(Duration.ofSeconds(10))
      .withDescription("How often the source reads the manifest and scans the staging directory.");

  public static final ConfigOption<Integer> SEGMENTS_PER_TIER = key("lance-merge.policy.segments-per-tier").intType()
      .defaultValue(TieredMergePolicy.Config.DEFAULT_SEGMENTS_PER_TIER)
      .withDescription("Segments allowed per size tier before a merge is due.");

  public static final ConfigOption<Integer> MAX_MERGE_AT_ONCE = key("lance-merge.policy.max-merge-at-once").intType()
      .defaultValue(TieredMergePolicy.Config.DEFAULT_MAX_MERGE_AT_ONCE)
      .withDescription("Most segments merged in one merge.");

  public static final ConfigOption<MemorySize> FLOOR_SEGMENT_SIZE = key("lance-merge.policy.floor-segment-size")
      .memoryType().defaultValue(new MemorySize(TieredMergePolicy.Config.DEFAULT_FLOOR_SEGMENT_BYTES))
      .withDescription("Smaller segments count as this size when forming tiers.");

  public static final ConfigOption<MemorySize> MAX_MERGED_SEGMENT_SIZE = key("lance-merge.policy.max-merged-segment-size")
      .memoryType().defaultValue(new MemorySize(TieredMergePolicy.Config.DEFAULT_MAX_MERGED_SEGMENT_BYTES))
      .withDescription("No merge produces a larger segment; segments over half of it are left alone.");

  public static final ConfigOption<Duration> MAX_DELAY = key("lance-merge.policy.max-delay").durationType()
      .defaultValue(TieredMergePolicy.Config.DEFAULT_MAX_DELAY)
      .withDescription("A new segment is merged (or committed as it is) within this time, even alone.");

  public static final ConfigOption<Double> MIN_GROWTH = key("lance-merge.policy.min-growth").doubleType()
      .defaultValue(TieredMergePolicy.Config.DEFAULT_MIN_GROWTH)
      .withDescription("A merge must produce at least this times its largest input (unless forced by max-delay).");

  public static final ConfigOption<Duration> RECONCILE_INTERVAL = key("lance-merge.planner.reconcile-interval")
      .durationType().defaultValue(Duration.ofSeconds(10))
      .withDescription("How often the planner reads the manifest to resolve merges and forget replaced segments.");

  public static final ConfigOption<Duration> MERGE_TIMEOUT = key("lance-merge.planner.merge-timeout").durationType()
      .defaultValue(Duration.ofMinutes(30))
      .withDescription("A merge neither committed nor dropped after this long gives its inputs back.");

  public static final ConfigOption<MemorySize> MEMORY_BUDGET = key("lance-merge.writer.memory-budget").memoryType()
      .defaultValue(MemorySize.parse("64mb"))
      .withDescription("Heap one vector merge may use for partition windows.");

  public static final ConfigOption<MemorySize> PAGE_SIZE = key("lance-merge.writer.page-size").memoryType()
      .defaultValue(MemorySize.parse("8mb")).withDescription("Target page size of merged files.");

  public static final ConfigOption<Boolean> DURABLE = key("lance-merge.writer.durable").booleanType()
      .defaultValue(true).withDescription("fsync merged files before they are committed.");

  public static final ConfigOption<Integer> MAX_VERSIONS_SCANNED = key("lance-merge.committer.max-versions-scanned")
      .intType().defaultValue(200)
      .withDescription("Recent dataset versions read to recognise the job's own commits after a restore.");

  public static final ConfigOption<Integer> MAX_COMMIT_RETRIES = key("lance-merge.committer.max-retries").intType()
      .defaultValue(3).withDescription("Retries of a commit refused for a transient reason before it is dropped.");

  public static final ConfigOption<Boolean> CLEANUP_ENABLED = key("lance-merge.cleanup.enabled").booleanType()
      .defaultValue(true).withDescription("Delete files of replaced segments after the retention.");

  public static final ConfigOption<Duration> CLEANUP_RETENTION = key("lance-merge.cleanup.retention").durationType()
      .defaultValue(Duration.ofHours(1))
      .withDescription("How long replaced segments' files stay for readers of older versions.");

  /** Every option, in declaration order. */
  public static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> out = new ArrayList<>();
    for (Field f : MergeJobOptions.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
        try {
          out.add((ConfigOption<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  /** The dataset as an absolute path (a {@code file:} URI is accepted). */
  public static String dataset(Configuration c) {
    String d = c.getOptional(DATASET).orElseThrow(() -> new IllegalArgumentException(DATASET.key() + " is not set"));
    Path p = d.startsWith("file:") ? Path.of(java.net.URI.create(d)) : Path.of(d);
    return p.toAbsolutePath().normalize().toString();
  }

  static String stagingDir(Configuration c) {
    return c.getOptional(STAGING_DIR).map(s -> Path.of(s).toAbsolutePath().normalize().toString()).orElse(null);
  }

  static TieredMergePolicy.Config policy(Configuration c) {
    return new TieredMergePolicy.Config(c.get(SEGMENTS_PER_TIER), c.get(MAX_MERGE_AT_ONCE),
        c.get(FLOOR_SEGMENT_SIZE).getBytes(), c.get(MAX_MERGED_SEGMENT_SIZE).getBytes(), c.get(MAX_DELAY),
        c.get(MIN_GROWTH));
  }

  static PlannerOptions planner(Configuration c) {
    return new PlannerOptions(dataset(c), stagingDir(c), policy(c), c.get(RECONCILE_INTERVAL), c.get(MERGE_TIMEOUT));
  }

  static WriterOptions writer(Configuration c) {
    return new WriterOptions(dataset(c), c.get(MEMORY_BUDGET).getBytes(), c.get(PAGE_SIZE).getBytes(), c.get(DURABLE));
  }

  static CommitterOptions committer(Configuration c) {
    return new CommitterOptions(dataset(c), stagingDir(c), c.get(MAX_VERSIONS_SCANNED), c.get(MAX_COMMIT_RETRIES));
  }

  static CleanupOptions cleanup(Configuration c) {
    return new CleanupOptions(dataset(c), stagingDir(c), c.get(CLEANUP_RETENTION), c.get(CLEANUP_ENABLED));
  }
}
