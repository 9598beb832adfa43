package dev.lancemerge.job;

import dev.lancemerge.operators.MergeJobOptions;
import dev.lancemerge.operators.MergePipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;

/**
 * Starts the merge job ({@link MergePipeline}) from a complete Flink {@link Configuration}: on an embedded mini
 * cluster with its checkpoints and savepoints in a local state directory ({@link #startLocal}), or, when the
 * program runs inside {@code flink run} or a REST {@code /jars/:id/run} ({@link #inClusterContext}), submitted to
 * that cluster without waiting ({@link #submitToCluster}).
 */
final class JobRunner {
  static final String CHECKPOINTING_INTERVAL = "execution.checkpointing.interval";
  static final String CHECKPOINTS_DIR = "execution.checkpointing.dir";
  static final String SAVEPOINTS_DIR = "execution.checkpointing.savepoint-dir";
  static final String RETENTION = "execution.checkpointing.externalized-checkpoint-retention";
  static final String RESTORE_PATH = "execution.state-recovery.path";
  static final String PARALLELISM = "parallelism.default";
  static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  private JobRunner() {}

  /**
   * True when {@code main} runs inside a Flink client or job manager ({@code flink run}, REST {@code /jars/:id/run}):
   * then {@link StreamExecutionEnvironment#getExecutionEnvironment()} is that cluster's context environment, not a
   * local one.
   */
  static boolean inClusterContext() {
    return !(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment);
  }

  static String jobName(Configuration conf) {
    return "lance-index-merge " + MergeJobOptions.dataset(conf) + " "
        + String.join(",", conf.get(MergeJobOptions.INDEX_NAMES));
  }

  /** Submits the job to the cluster of the context environment and returns its id without waiting for it. */
  static String submitToCluster(Configuration conf) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    if (!conf.containsKey(CHECKPOINTING_INTERVAL) && !env.getCheckpointConfig().isCheckpointingEnabled()) {
      env.enableCheckpointing(DEFAULT_CHECKPOINT_INTERVAL.toMillis());
    }
    MergePipeline.build(env, conf);
    JobClient client = env.executeAsync(jobName(conf));
    return client.getJobID().toString();
  }

  /** Configuration of a local run: checkpoints and savepoints under {@code stateDir}, retained on cancellation. */
  static Configuration localConfiguration(Configuration conf, Path stateDir, String restoreFrom) {
    Configuration c = new Configuration(conf);
    c.setString(CHECKPOINTS_DIR, stateDir.resolve("checkpoints").toUri().toString());
    c.setString(SAVEPOINTS_DIR, stateDir.resolve("savepoints").toUri().toString());
    c.setString(RETENTION, "RETAIN_ON_CANCELLATION");
    if (!c.containsKey(CHECKPOINTING_INTERVAL)) {
      c.setString(CHECKPOINTING_INTERVAL, TimeUtils.formatWithHighestUnit(DEFAULT_CHECKPOINT_INTERVAL));
    }
    if (restoreFrom != null) {
      c.setString(RESTORE_PATH, restoreFrom);
    }
    return c;
  }

  /** Starts the job on an embedded mini cluster (this JVM); see {@link #localConfiguration}. */
  static LocalJob startLocal(Configuration conf, Path stateDir, String restoreFrom) throws Exception {
    Files.createDirectories(stateDir.resolve("checkpoints"));
    Files.createDirectories(stateDir.resolve("savepoints"));
    Configuration c = localConfiguration(conf, stateDir, restoreFrom);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
    MergePipeline.build(env, c);
    JobClient client = env.executeAsync(jobName(c));
    return new LocalJob(client, stateDir, restoreFrom, c);
  }

  /**
   * The newest complete checkpoint or savepoint under {@code stateDir} (a directory holding {@code _metadata}, which
   * Flink writes last), or empty.
   */
  static Optional<Path> latestRestorePoint(Path stateDir) throws IOException {
    List<Path> candidates = new ArrayList<>();
    Path checkpoints = stateDir.resolve("checkpoints");
    if (Files.isDirectory(checkpoints)) {
      try (Stream<Path> s = Files.walk(checkpoints, 3)) {
        s.filter(p -> p.getFileName().toString().equals("_metadata") && p.getParent().getFileName().toString()
            .startsWith("chk-")).forEach(candidates::add);
      }
    }
    Path savepoints = stateDir.resolve("savepoints");
    if (Files.isDirectory(savepoints)) {
      try (Stream<Path> s = Files.walk(savepoints, 2)) {
        s.filter(p -> p.getFileName().toString().equals("_metadata")).forEach(candidates::add);
      }
    }
    Path best = null;
    FileTime bestTime = null;
    for (Path p : candidates) {
      FileTime t;
      try {
        t = Files.getLastModifiedTime(p);
      } catch (IOException e) {
        continue; // removed meanwhile (a subsumed checkpoint)
      }
      if (bestTime == null || t.compareTo(bestTime) > 0) {
        best = p.getParent();
        bestTime = t;
      }
    }
    return Optional.ofNullable(best);
  }

  /** A job running on an embedded mini cluster. */
  static final class LocalJob implements AutoCloseable {
    private final JobClient client;
    private final Path stateDir;
    private final String restoredFrom;
    private final Configuration conf;

    LocalJob(JobClient client, Path stateDir, String restoredFrom, Configuration conf) {
      this.client = client;
      this.stateDir = stateDir;
      this.restoredFrom = restoredFrom;
      this.conf = conf;
    }

    String jobId() {
      return client.getJobID().toString();
    }

    Configuration configuration() {
      return conf;
    }

    String restoredFrom() {
      return restoredFrom;
    }

    JobStatus status() throws Exception {
      return client.getJobStatus().get(30, TimeUnit.SECONDS);
    }

    /** The failure of a job that ended, or null while it runs or if it ended cleanly. */
    Throwable failure() {
      try {
        client.getJobExecutionResult().get(1, TimeUnit.MILLISECONDS);
        return null;
      } catch (TimeoutException e) {
        return null;
      } catch (ExecutionException e) {
        return e.getCause() != null ? e.getCause() : e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    }

    /** Stops the job with a savepoint into {@code <state dir>/savepoints}; returns its path. */
    String stopWithSavepoint(Duration timeout) throws Exception {
      String dir = stateDir.resolve("savepoints").toUri().toString();
      return client.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void cancel(Duration timeout) throws Exception {
      client.cancel().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      try {
        JobStatus s = status();
        if (!s.isGloballyTerminalState()) {
          cancel(Duration.ofSeconds(60));
        }
      } catch (Exception e) {
        // the mini cluster is gone already
      }
    }
  }
}
