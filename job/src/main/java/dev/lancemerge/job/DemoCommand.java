package dev.lancemerge.job;

import dev.lancemerge.kernel.FileTrees;
import dev.lancemerge.operators.MergeJobOptions;
import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LiveSegment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.lance.index.Index;

/**
 * {@code demo}: the merge job on a live dataset. Creates a local Lance dataset with real Lance, trains IVF centroids
 * once, commits per-fragment IVF_FLAT and ZoneMap segments, then runs the job ({@code run}'s machinery, embedded
 * mini cluster) while a second thread keeps appending fragments and committing their per-fragment segments. Prints
 * one line per merge commit (and progress while a merge takes long), stops the job with a savepoint after a bounded
 * time, and runs a few k-NN and filter queries on the merged indexes.
 */
final class DemoCommand implements Command {
  static final int DIM = 128;
  static final long DEFAULT_ROWS = 50_000;
  static final int DEFAULT_SECONDS = 75;
  static final int INITIAL_FRAGMENTS = 4;
  static final int PARTITIONS = 32;
  static final long ROWS_PER_ZONE = 1_000;
  static final long SEED = 11;
  static final String VEC_IDX = "vec_idx";
  static final String ZONE_IDX = "z_idx";

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "the merge job on a live local dataset: appends, per-fragment segments, merges, queries (~75 s)";
  }

  @Override
  public String help() {
    return "Usage: " + Main.JAR + " demo [--seconds N] [--dir DIR] [--rows N]\n\n"
        + "Creates a local Lance dataset with real Lance (lance-core): " + INITIAL_FRAGMENTS + " fragments of N rows (id int64,\n"
        + "vec float32[" + DIM + "], ts int64), IVF centroids trained once (" + PARTITIONS + " partitions, l2), and one\n"
        + "segment per fragment of two indexes, committed: " + VEC_IDX + " (IVF_FLAT on vec) and " + ZONE_IDX + " (ZoneMap on ts).\n"
        + "Then runs the merge job on an embedded mini-cluster (the 'run' command's machinery) while it keeps\n"
        + "appending fragments and committing their per-fragment segments. Prints one line per merge commit\n"
        + "(index, segments before -> after, rows, freshness lag) and a progress line while a merge takes long.\n"
        + "After about N seconds in all it stops the job with a savepoint and runs k-NN and filter queries on the\n"
        + "merged indexes, printing results and timings.\n\n"
        + "Options:\n"
        + "  --seconds N  total running time, about (default: " + DEFAULT_SECONDS + "; at least 20)\n"
        + "  --dir DIR    where to create the dataset (DIR/demo.lance, state in DIR/demo.lance.merge-state);\n"
        + "               kept afterwards (default: a temporary directory, deleted at the end)\n"
        + "  --rows N     rows per fragment (default: " + DEFAULT_ROWS + ")\n\n"
        + "Exit codes: 0 ok, 1 a query did not find what it should or the job failed, 2 usage error.\n\n"
        + "Example:\n"
        + "  " + Main.JAR + " demo --seconds 40 --dir /tmp/lance-demo\n";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Args a = Args.parse(name(), args, Set.of("--dir", "--rows", "--seconds"));
    a.expectPositional();
    long rows = a.number("--rows", DEFAULT_ROWS, 100, 10_000_000);
    int seconds = (int) a.number("--seconds", DEFAULT_SECONDS, 20, 86_400);
    String dirOption = a.string("--dir", null);
    Path base = dirOption != null ? Path.of(dirOption).toAbsolutePath() : Files.createTempDirectory("lance-demo");
    Path dataset = base.resolve("demo.lance");
    if (Files.exists(dataset)) {
      throw new BadInputException(dataset + ": already exists; give another --dir or remove it");
    }
    Files.createDirectories(base);
    long t0 = System.nanoTime();
    long deadline = t0 + Duration.ofSeconds(seconds).toNanos();
    try {
      return demo(dataset, rows, deadline, t0, out);
    } finally {
      if (dirOption == null) {
        deleteTree(base);
      }
    }
  }

  private int demo(Path dataset, long rows, long deadline, long t0, PrintStream out) throws Exception {
    out.printf(Locale.ROOT, "demo: a Lance dataset at %s, appended to while the merge job runs (about %d s)%n", dataset,
        (deadline - t0) / 1_000_000_000L);
    long[] initial = new long[INITIAL_FRAGMENTS];
    java.util.Arrays.fill(initial, rows);
    long t = System.nanoTime();
    try (LanceStream lance = LanceStream.create(dataset, DIM, SEED, initial)) {
      out.printf(Locale.ROOT, "created it with lance-core: %d fragments x %d rows (id, vec float32[%d], ts) in %.1f s%n",
          INITIAL_FRAGMENTS, rows, DIM, secondsSince(t));
      t = System.nanoTime();
      lance.trainIvf(PARTITIONS);
      out.printf(Locale.ROOT, "trained IVF centroids once (%d partitions, l2) in %.1f s%n", PARTITIONS, secondsSince(t));
      t = System.nanoTime();
      List<Index> vec = new ArrayList<>();
      List<Index> zones = new ArrayList<>();
      for (int fid : lance.fragmentIds()) {
        vec.add(lance.vectorSegment(VEC_IDX, fid));
        zones.add(lance.zoneMapSegment(ZONE_IDX, fid, ROWS_PER_ZONE));
      }
      lance.commit(VEC_IDX, LanceStream.VEC, vec);
      lance.commit(ZONE_IDX, LanceStream.TS, zones);
      out.printf(Locale.ROOT, "built and committed one segment per fragment of %s (IVF_FLAT on vec) and %s (ZoneMap on"
          + " ts) in %.1f s%n", VEC_IDX, ZONE_IDX, secondsSince(t));
      out.flush();

      // The job stops a few seconds before the end (queries follow); appends stop earlier, so the last ones merge.
      long stopJobAt = deadline - Duration.ofSeconds(6).toNanos();
      long stopAppendsAt = stopJobAt - Duration.ofSeconds(12).toNanos();
      AtomicReference<Throwable> appendFailure = new AtomicReference<>();
      Thread appender = new Thread(() -> {
        try {
          while (System.nanoTime() < stopAppendsAt) {
            long a0 = System.nanoTime();
            int fid = lance.append(rows);
            Index v = lance.vectorSegment(VEC_IDX, fid);
            Index z = lance.zoneMapSegment(ZONE_IDX, fid, ROWS_PER_ZONE);
            lance.commit(VEC_IDX, LanceStream.VEC, List.of(v));
            lance.commit(ZONE_IDX, LanceStream.TS, List.of(z));
            synchronized (out) {
              out.printf(Locale.ROOT, "appended fragment %d (%d rows) and committed its 2 segments in %.1f s%n", fid,
                  rows, secondsSince(a0));
              out.flush();
            }
            Thread.sleep(1000);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Throwable e) {
          appendFailure.set(e);
        }
      }, "demo-appender");

      Configuration conf = new Configuration();
      conf.set(MergeJobOptions.DATASET, dataset.toString());
      conf.set(MergeJobOptions.INDEX_NAMES, List.of(VEC_IDX, ZONE_IDX));
      conf.set(MergeJobOptions.DISCOVERY_INTERVAL, Duration.ofMillis(500));
      conf.set(MergeJobOptions.RECONCILE_INTERVAL, Duration.ofMillis(500));
      conf.set(MergeJobOptions.MAX_DELAY, Duration.ofSeconds(6));
      conf.set(MergeJobOptions.SEGMENTS_PER_TIER, 4);
      conf.set(MergeJobOptions.CLEANUP_RETENTION, Duration.ofSeconds(10));
      conf.setString(JobRunner.PARALLELISM, "2");
      conf.setString(JobRunner.CHECKPOINTING_INTERVAL, "1 s");
      Path stateDir = dataset.resolveSibling(dataset.getFileName() + RunCommand.STATE_DIR_SUFFIX);
      RunCommand.Settings settings = new RunCommand.Settings(conf, dataset, List.of(VEC_IDX, ZONE_IDX), stateDir,
          false, null, null);
      boolean[] started = {false};
      int code;
      try {
        code = RunCommand.runLocal(settings, null, new SynchronizedOut(out), () -> {
          if (!started[0]) {
            started[0] = true;
            appender.start();
          }
          if (appendFailure.get() != null) {
            throw new BadInputException("appending to the dataset failed: " + appendFailure.get(), appendFailure.get());
          }
          return System.nanoTime() < stopJobAt;
        });
      } finally {
        appender.interrupt();
        appender.join(60_000);
      }
      if (code != ExitCode.OK) {
        return code;
      }
      return queries(lance, dataset, out, t0);
    }
  }

  private int queries(LanceStream lance, Path dataset, PrintStream out, long t0) throws IOException, BadInputException {
    long total = lance.rows();
    try (LanceDatasetCatalog catalog = LanceDatasetCatalog.open(dataset)) {
      for (String index : List.of(VEC_IDX, ZONE_IDX)) {
        List<LiveSegment> segs = catalog.liveSegments(Set.of(index));
        TreeSet<Integer> frags = new TreeSet<>();
        segs.forEach(s -> frags.addAll(s.fragments()));
        List<Long> sizes = segs.stream().map(LiveSegment::bytes).sorted(Comparator.reverseOrder()).toList();
        out.printf(Locale.ROOT, "%s now: %d segments covering %d of %d fragments (%s)%n", index, segs.size(),
            frags.size(), lance.fragmentIds().size(), sizes.stream().map(DemoCommand::size).toList());
      }
    }
    boolean ok = true;
    long[] probes = {7, total / 2 + 3, total - 5};
    for (long id : probes) {
      long q0 = System.nanoTime();
      List<LanceStream.Hit> hits = lance.knnOfRow(id, 5, 8);
      double ms = (System.nanoTime() - q0) / 1e6;
      boolean self = !hits.isEmpty() && hits.get(0).id() == id;
      ok &= self;
      out.printf(Locale.ROOT, "k-NN on %s (k=5, nprobes=8) of row %d's vector: ids %s, distances %s in %.1f ms%s%n",
          VEC_IDX, id, hits.stream().map(LanceStream.Hit::id).toList(),
          hits.stream().map(h -> String.format(Locale.ROOT, "%.3f", h.distance())).toList(), ms,
          self ? " (the row itself first)" : " (expected the row itself first)");
    }
    long from = lance.tsOf(total / 3);
    long to = lance.tsOf(total / 3 + 2_000);
    for (String filter : List.of("ts >= " + from + " AND ts < " + to, "ts < " + lance.tsOf(1_000))) {
      long q0 = System.nanoTime();
      long n = lance.countRows(filter);
      out.printf(Locale.ROOT, "filter on %s (ZoneMap %s): %d rows where %s, in %.1f ms%n", LanceStream.TS, ZONE_IDX, n,
          filter, (System.nanoTime() - q0) / 1e6);
      ok &= n > 0;
    }
    out.printf(Locale.ROOT, "demo done in %.0f s: %d rows in %d fragments%n", secondsSince(t0), total,
        lance.fragmentIds().size());
    if (!ok) {
      throw new BadInputException("a query on the merged indexes did not return what it should (see above)");
    }
    return ExitCode.OK;
  }

  static String size(long bytes) {
    return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
        : String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
  }

  private static double secondsSince(long t) {
    return (System.nanoTime() - t) / 1e9;
  }

  static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }

  /** Lines from the job's watcher and from the appender thread do not interleave within a line. */
  private static final class SynchronizedOut extends PrintStream {
    private final PrintStream target;

    SynchronizedOut(PrintStream target) {
      super(target, true);
      this.target = target;
    }

    @Override
    public void println(String x) {
      synchronized (target) {
        target.println(x);
      }
    }

    @Override
    public PrintStream printf(Locale l, String format, Object... args) {
      synchronized (target) {
        target.printf(l, format, args);
      }
      return this;
    }
  }
}
