package dev.lancemerge.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lancemerge.kernel.vector.MergeOptions;
import dev.lancemerge.kernel.vector.MergeResult;
import dev.lancemerge.kernel.vector.VectorSegmentMerger;
import dev.lancemerge.operators.MergeJobOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.flink.configuration.Configuration;
import org.lance.Dataset;
import org.lance.index.Index;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;

/**
 * {@code bench job}: the streaming job's freshness lag and throughput on a stream of per-fragment segments, next to
 * the merge kernel alone on the same merges.
 *
 * <p>Build (real Lance): a dataset of S fragments of N rows, IVF centroids (and a PQ codebook) trained once, one
 * uncommitted segment per fragment. Stream: the first batch of segments is committed, the job starts on an embedded
 * mini cluster, and the rest are committed a batch at a time at a fixed interval. The job's commits are read from the
 * manifest: lag per merge = commit time - discovered-at (transaction properties); lag per segment = when a merge
 * covering it was first committed - when the segment itself was committed; merge work per merge = written-at (a
 * property) - when the merge's hidden output directory appeared (inotify). Then the kernel alone
 * ({@link VectorSegmentMerger}, same memory budget and fsync) replays every merge the job committed, on the original
 * per-fragment segments of the same fragments (the same rows), and the throughputs are compared.
 */
final class JobBench {
  static final Set<String> OPTIONS = Set.of("--segments", "--rows", "--dim", "--type", "--partitions", "--dir",
      "--reuse", "--batch", "--interval", "--parallelism", "--max-delay", "--checkpoint-interval");
  static final String SETUP_FILE = "bench-job.json";
  static final String DATASET = "dataset";
  static final String INDEX = "vec_idx";
  static final long SEED = 42;

  private final PrintStream out;

  JobBench(PrintStream out) {
    this.out = out;
  }

  static String help() {
    return "Usage: " + Main.JAR + " bench job [--segments 200] [--rows 50000] [--dim 128] [--type flat|pq]\n"
        + "           [--partitions 256] [--batch 8] [--interval 3s] [--parallelism 2] [--max-delay 10s]\n"
        + "           [--checkpoint-interval 1s] [--dir DIR | --reuse DIR]\n\n"
        + "The streaming job on a stream of per-fragment segments, measured from the dataset itself. Builds\n"
        + "with real Lance a dataset of S fragments of N rows (id int64, vec float32[D]), IVF centroids (P\n"
        + "partitions, l2; for pq also a codebook of D/8 sub-vectors x 8 bits) trained once, and one\n"
        + "uncommitted IVF_FLAT or IVF_PQ segment per fragment. Commits the first batch, starts the job on an\n"
        + "embedded mini-cluster (parallelism 2, checkpoints every second, discovery every second, fsync on),\n"
        + "then commits the next batch of segments every interval, and waits until the job has been quiet\n"
        + "(no commit) for max-delay + 10 s after the last batch. Reports:\n"
        + "  lag per merge      commit time - discovered-at of its earliest input (p50, p95, max)\n"
        + "  lag per segment    first commit of a merge covering it - its own commit (p50, p95, max)\n"
        + "  job throughput     rows and MB written / seconds of merge work (each merge: written-at -\n"
        + "                     creation of its output directory), and rows per wall-clock second\n"
        + "  kernel throughput  the same merges (same fragments, original segments) replayed with\n"
        + "                     VectorSegmentMerger alone, same memory budget and fsync\n"
        + "  ratio              job MB/s over kernel MB/s (the goal: at least 0.67)\n"
        + "and finally one JSON line. The job's cleanup is off, so that the inputs stay for the replay.\n\n"
        + "Options:\n"
        + "  --segments S  segments in the stream, one per fragment (default: 200)\n"
        + "  --rows N      rows per segment (default: 50000)\n"
        + "  --dim D       vector dimension (default: 128)\n"
        + "  --type T      flat or pq (default: flat)\n"
        + "  --partitions P  IVF partitions (default: 256)\n"
        + "  --batch B     segments committed together (default: 8)\n"
        + "  --interval D  time between batches (default: 3s)\n"
        + "  --dir DIR     build in DIR and keep it (default: a temporary directory, deleted afterwards)\n"
        + "  --reuse DIR   run the stream again on what a previous --dir DIR built (the dataset is rolled\n"
        + "                back to before the first commit, merged outputs and the job's state removed)\n\n"
        + "Exit codes: 0 ok, 1 the job failed or a merge lost rows, 2 usage error.\n\n"
        + "Example:\n"
        + "  " + Main.JAR + " bench job --segments 24 --rows 20000 --dir /tmp/bench-job\n"
        + "  " + Main.JAR + " bench job --reuse /tmp/bench-job --interval 1s\n";
  }

  private record Setup(int segments, long rows, int dim, String type, int partitions, long baseVersion,
      List<Index> built) {}

  int run(Args a) throws Exception {
    a.expectPositional();
    String reuse = a.string("--reuse", null);
    String dirOption = a.string("--dir", null);
    if (reuse != null && dirOption != null) {
      throw a.usage("give --dir or --reuse, not both");
    }
    int batch = (int) a.number("--batch", 8, 1, 100_000);
    Duration interval = duration(a, "--interval", Duration.ofSeconds(3));
    Duration maxDelay = duration(a, "--max-delay", Duration.ofSeconds(10));
    Duration checkpoint = duration(a, "--checkpoint-interval", Duration.ofSeconds(1));
    int parallelism = (int) a.number("--parallelism", 2, 1, 256);
    Path work;
    boolean temporary = false;
    Setup setup;
    if (reuse != null) {
      for (String o : List.of("--rows", "--dim", "--segments", "--partitions", "--type")) {
        if (a.string(o, null) != null) {
          throw a.usage("--reuse DIR runs what DIR holds; " + o + " cannot be given with it");
        }
      }
      work = Path.of(reuse).toAbsolutePath();
      setup = load(work);
      reset(work, setup);
    } else {
      int segments = (int) a.number("--segments", 200, 2, 100_000);
      long rows = a.number("--rows", 50_000, 256, 100_000_000);
      int dim = (int) a.number("--dim", 128, 8, 4096);
      int partitions = (int) a.number("--partitions", 256, 1, 65_536);
      String type = a.string("--type", "flat");
      if (!type.equals("flat") && !type.equals("pq")) {
        throw a.usage("option --type must be flat or pq, not '" + type + "'");
      }
      if (type.equals("pq") && dim % 8 != 0) {
        throw a.usage("--type pq needs --dim divisible by 8");
      }
      if (dirOption != null) {
        work = Path.of(dirOption).toAbsolutePath();
        if (Files.exists(work.resolve(DATASET))) {
          throw new BadInputException(work + ": already holds a dataset; use --reuse " + work + " or another directory");
        }
        Files.createDirectories(work);
      } else {
        work = Files.createTempDirectory("lance-bench-job");
        temporary = true;
      }
      setup = build(work, segments, rows, dim, type, partitions);
    }
    try {
      return stream(work, setup, batch, interval, maxDelay, checkpoint, parallelism);
    } finally {
      if (temporary) {
        DemoCommand.deleteTree(work);
      }
    }
  }

  private static Duration duration(Args a, String option, Duration fallback) throws UsageException {
    String v = a.string(option, null);
    if (v == null) {
      return fallback;
    }
    try {
      return org.apache.flink.util.TimeUtils.parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw a.usage("option " + option + " needs a duration such as 3s or 500ms, not '" + v + "'");
    }
  }

  // ------------------------------------------------------------------------------------------------ build

  private Setup build(Path work, int segments, long rows, int dim, String type, int partitions) throws IOException {
    Path dir = work.resolve(DATASET);
    long[] frags = new long[segments];
    Arrays.fill(frags, rows);
    try (BufferAllocator allocator = new RootAllocator()) {
      long t = System.nanoTime();
      long baseVersion;
      List<Index> built;
      try (Dataset ds = BenchIndexes.createDataset(dir, allocator, dim, SEED, frags)) {
        baseVersion = ds.version();
        out.printf(Locale.ROOT, "built dataset %s with lance-core: %d fragments x %d rows x %d dims in %.1f s%n", dir,
            segments, rows, dim, secs(t));
        t = System.nanoTime();
        float[] centroids = BenchIndexes.trainIvf(ds, partitions);
        float[] codebook = null;
        int sub = dim / 8;
        if (type.equals("pq")) {
          codebook = BenchIndexes.trainPq(ds, sub);
        }
        out.printf(Locale.ROOT, "trained IVF centroids (%d partitions)%s once in %.1f s%n", partitions,
            type.equals("pq") ? " and a PQ codebook" : "", secs(t));
        t = System.nanoTime();
        IndexType it = type.equals("pq") ? IndexType.IVF_PQ : IndexType.IVF_FLAT;
        IndexParams params = BenchIndexes.params(it, partitions, centroids, sub, codebook);
        built = BenchIndexes.buildSegments(ds, INDEX, it, params, BenchIndexes.fragmentIds(ds));
      }
      long bytes = 0;
      for (Index i : built) {
        bytes += sizeOf(BenchIndexes.segmentDir(dir, i.uuid()));
      }
      out.printf(Locale.ROOT, "built %d %s segments (one per fragment) with lance-core in %.1f s: %.1f MB%n", segments,
          type.equals("pq") ? "IVF_PQ" : "IVF_FLAT", secs(t), bytes / 1e6);
      Setup s = new Setup(segments, rows, dim, type, partitions, baseVersion, built);
      save(work, s);
      return s;
    }
  }

  private static void save(Path work, Setup s) throws IOException {
    ObjectNode o = Json.object();
    o.put("segments", s.segments()).put("rows", s.rows()).put("dim", s.dim()).put("type", s.type())
        .put("partitions", s.partitions()).put("baseVersion", s.baseVersion());
    ArrayNode a = o.putArray("built");
    s.built().forEach(i -> a.add(BenchIndexes.describe(i)));
    Files.writeString(work.resolve(SETUP_FILE), Json.line(o) + "\n");
  }

  private static Setup load(Path work) throws IOException, BadInputException {
    Path f = work.resolve(SETUP_FILE);
    if (!Files.isRegularFile(f)) {
      throw new BadInputException(work + ": no " + SETUP_FILE + " (not a 'bench job --dir' directory)");
    }
    JsonNode o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile());
    List<Index> built = new ArrayList<>();
    o.get("built").forEach(n -> built.add(BenchIndexes.index(n)));
    return new Setup(o.get("segments").asInt(), o.get("rows").asLong(), o.get("dim").asInt(), o.get("type").asText(),
        o.get("partitions").asInt(), o.get("baseVersion").asLong(), built);
  }

  /** Rolls the dataset back to before the index existed; removes merged outputs and the job's state. */
  private void reset(Path work, Setup s) throws IOException {
    Path dir = work.resolve(DATASET);
    try (BufferAllocator allocator = new RootAllocator(); Dataset ds = BenchIndexes.open(dir, allocator)) {
      if (ds.version() != s.baseVersion()) {
        try (Dataset base = ds.checkoutVersion(s.baseVersion())) {
          base.restore();
        }
      }
    }
    Set<String> keep = new HashSet<>();
    s.built().forEach(i -> keep.add(i.uuid().toString()));
    try (Stream<Path> all = Files.list(dir.resolve("_indices"))) {
      for (Path p : all.toList()) {
        if (!keep.contains(p.getFileName().toString())) {
          DemoCommand.deleteTree(p);
        }
      }
    }
    DemoCommand.deleteTree(work.resolve("state"));
    out.printf(Locale.ROOT, "reusing %s: %d segments of %d rows x %d dims (%s), dataset rolled back to version %d%n",
        work, s.segments(), s.rows(), s.dim(), s.type(), s.baseVersion());
  }

  // ------------------------------------------------------------------------------------------------ stream

  private int stream(Path work, Setup s, int batch, Duration interval, Duration maxDelay, Duration checkpoint,
      int parallelism) throws Exception {
    Path dir = work.resolve(DATASET);
    Map<Integer, Index> byFragment = new TreeMap<>();
    for (Index i : s.built()) {
      byFragment.put(i.fragments().orElseThrow().get(0), i);
    }
    List<Integer> order = new ArrayList<>(byFragment.keySet());
    Map<Integer, Long> committedAt = new HashMap<>();
    Map<String, Long> outputCreated = new ConcurrentHashMap<>();
    List<CommitWatcher.Commit> commits = new ArrayList<>();
    Map<Integer, Long> firstMerged = new HashMap<>();
    Path indices = dir.resolve("_indices");

    int fed = feed(dir, order, 0, batch, byFragment, committedAt);
    Configuration conf = new Configuration();
    conf.set(MergeJobOptions.DATASET, dir.toString());
    conf.set(MergeJobOptions.INDEX_NAMES, List.of(INDEX));
    conf.set(MergeJobOptions.DISCOVERY_INTERVAL, Duration.ofSeconds(1));
    conf.set(MergeJobOptions.RECONCILE_INTERVAL, Duration.ofSeconds(1));
    conf.set(MergeJobOptions.MAX_DELAY, maxDelay);
    conf.set(MergeJobOptions.CLEANUP_ENABLED, false);
    conf.setString(JobRunner.PARALLELISM, Integer.toString(parallelism));
    conf.setString(JobRunner.CHECKPOINTING_INTERVAL, checkpoint.toMillis() + " ms");
    Path stateDir = work.resolve("state");

    long memory = conf.get(MergeJobOptions.MEMORY_BUDGET).getBytes();
    long page = conf.get(MergeJobOptions.PAGE_SIZE).getBytes();
    boolean durable = conf.get(MergeJobOptions.DURABLE);
    long wallStart = System.currentTimeMillis();
    long lastCommitAt;
    try (WatchService ws = FileSystems.getDefault().newWatchService()) {
      indices.register(ws, StandardWatchEventKinds.ENTRY_CREATE);
      Thread watcherThread = new Thread(() -> watchOutputs(ws, outputCreated), "bench-output-watch");
      watcherThread.setDaemon(true);
      watcherThread.start();
      try (JobRunner.LocalJob job = JobRunner.startLocal(conf, stateDir, null);
          CommitWatcher watcher = new CommitWatcher(dir, List.of(INDEX), new CommitWatcher.Listener() {
            @Override
            public void commit(CommitWatcher.Commit c) {
              commits.add(c);
              for (int f : c.mergedFragments()) {
                firstMerged.putIfAbsent(f, c.commitTimeMillis());
              }
              out.println(c.line() + String.format(Locale.ROOT, " (merged %d rows, %.1f MB)", c.mergedRows(),
                  c.mergedBytes() / 1e6));
              out.flush();
            }
          })) {
        out.printf(Locale.ROOT, "job %s started; %d segments committed, %d more in batches of %d every %s%n",
            job.jobId(), fed, order.size() - fed, batch, org.apache.flink.util.TimeUtils.formatWithHighestUnit(interval));
        long nextFeed = System.currentTimeMillis() + interval.toMillis();
        long lastFeed = System.currentTimeMillis();
        lastCommitAt = System.currentTimeMillis();
        long settle = maxDelay.toMillis() + 10_000;
        long hardStop = -1;
        while (true) {
          Thread.sleep(100);
          if (job.status().isGloballyTerminalState()) {
            Throwable f = job.failure();
            throw new BadInputException("the job ended " + job.status() + (f == null ? "" : ": " + RunCommand.rootMessage(f)), f);
          }
          int before = commits.size();
          watcher.poll();
          long now = System.currentTimeMillis();
          if (commits.size() > before) {
            lastCommitAt = now;
          }
          if (fed < order.size() && now >= nextFeed) {
            fed = feed(dir, order, fed, batch, byFragment, committedAt);
            lastFeed = System.currentTimeMillis();
            nextFeed += interval.toMillis();
          }
          if (fed == order.size()) {
            if (hardStop < 0) {
              hardStop = now + Math.max(300_000, settle * 10);
            }
            // Done when quiet: the policy may leave up to segments-per-tier small segments unmerged for good.
            if ((now - lastCommitAt >= settle && now - lastFeed >= settle) || now >= hardStop) {
              break;
            }
          }
        }
        job.cancel(Duration.ofSeconds(60));
      } finally {
        ws.close();
      }
    }
    return report(dir, s, commits, committedAt, firstMerged, outputCreated, wallStart, lastCommitAt, memory, page,
        durable, byFragment);
  }

  /** Commits the next {@code batch} segments (in fragment order) in one transaction; returns how many are fed. */
  private int feed(Path dir, List<Integer> order, int fed, int batch, Map<Integer, Index> byFragment,
      Map<Integer, Long> committedAt) {
    int end = Math.min(order.size(), fed + batch);
    List<Index> segs = new ArrayList<>();
    for (int i = fed; i < end; i++) {
      segs.add(byFragment.get(order.get(i)));
    }
    try (BufferAllocator allocator = new RootAllocator(); Dataset ds = BenchIndexes.open(dir, allocator)) {
      for (int attempt = 0; ; attempt++) {
        try {
          ds.checkoutLatest();
          ds.commitExistingIndexSegments(INDEX, VectorDataReader.VEC, segs);
          ds.checkoutLatest();
          long t = ds.getVersion().getDataTime().toInstant().toEpochMilli();
          for (int i = fed; i < end; i++) {
            committedAt.put(order.get(i), t);
          }
          return end;
        } catch (RuntimeException e) {
          if (attempt >= 20 || !String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("conflict")) {
            throw e;
          }
        }
      }
    }
  }

  private static void watchOutputs(WatchService ws, Map<String, Long> created) {
    try {
      while (true) {
        WatchKey key = ws.take();
        long now = System.currentTimeMillis();
        for (WatchEvent<?> e : key.pollEvents()) {
          if (e.context() instanceof Path p) {
            String n = p.getFileName().toString();
            int tmp = n.indexOf(".tmp-");
            if (n.startsWith(".") && tmp > 1) {
              created.putIfAbsent(n.substring(1, tmp), now);
            }
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // done
    }
  }

  // ------------------------------------------------------------------------------------------------ report

  private int report(Path dir, Setup s, List<CommitWatcher.Commit> commits, Map<Integer, Long> committedAt,
      Map<Integer, Long> firstMerged, Map<String, Long> outputCreated, long wallStart, long lastCommitAt, long memory,
      long page, boolean durable, Map<Integer, Index> byFragment) throws Exception {
    List<Double> mergeLag = new ArrayList<>();
    List<Double> segmentLag = new ArrayList<>();
    long jobRows = 0;
    long jobBytes = 0;
    double jobSeconds = 0;
    int timed = 0;
    for (CommitWatcher.Commit c : commits) {
      mergeLag.add(c.lagSeconds());
      if (c.added().size() != 1) {
        continue;
      }
      Long created = outputCreated.get(c.added().get(0).toString());
      if (created != null && c.writtenAtMillis() >= created) {
        jobRows += c.mergedRows();
        jobBytes += c.mergedBytes();
        jobSeconds += (c.writtenAtMillis() - created) / 1000.0;
        timed++;
      }
    }
    for (Map.Entry<Integer, Long> e : firstMerged.entrySet()) {
      Long at = committedAt.get(e.getKey());
      if (at != null) {
        segmentLag.add((e.getValue() - at) / 1000.0);
      }
    }
    long allRows = commits.stream().mapToLong(CommitWatcher.Commit::mergedRows).sum();
    double wallSeconds = (lastCommitAt - wallStart) / 1000.0;

    // The kernel alone replays every merge on the original per-fragment segments of the same fragments.
    Path scratch = dir.resolveSibling("kernel-replay");
    Files.createDirectories(scratch);
    long kRows = 0;
    long kBytes = 0;
    double kSeconds = 0;
    try {
      for (CommitWatcher.Commit c : commits) {
        if (c.added().size() != 1 || !outputCreated.containsKey(c.added().get(0).toString())) {
          continue;
        }
        List<Path> inputs = new ArrayList<>();
        for (int f : c.mergedFragments()) {
          inputs.add(BenchIndexes.segmentDir(dir, byFragment.get(f).uuid()));
        }
        Path outDir = scratch.resolve(UUID.randomUUID().toString());
        long t = System.nanoTime();
        MergeResult r = VectorSegmentMerger.merge(inputs, outDir, new MergeOptions(memory, page, durable));
        kSeconds += (System.nanoTime() - t) / 1e9;
        kRows += r.rows();
        kBytes += r.bytesWritten();
        if (r.rows() != c.mergedRows()) {
          throw new BadInputException("kernel replay of merge at version " + c.version() + " holds " + r.rows()
              + " rows, the job's " + c.mergedRows());
        }
        DemoCommand.deleteTree(outDir);
      }
    } finally {
      DemoCommand.deleteTree(scratch);
    }

    double jobMBps = jobSeconds > 0 ? jobBytes / 1e6 / jobSeconds : Double.NaN;
    double kMBps = kSeconds > 0 ? kBytes / 1e6 / kSeconds : Double.NaN;
    double ratio = jobMBps / kMBps;
    out.printf(Locale.ROOT, "merges committed: %d (%d timed), %d rows merged in all (write amplification %.2f)%n",
        commits.size(), timed, allRows, allRows / (double) (s.segments() * s.rows()));
    out.printf(Locale.ROOT, "lag per merge (commit - discovered-at): p50 %.1f s, p95 %.1f s, max %.1f s%n",
        pct(mergeLag, 50), pct(mergeLag, 95), pct(mergeLag, 100));
    out.printf(Locale.ROOT, "lag per segment (first merge commit - own commit): p50 %.1f s, p95 %.1f s, max %.1f s "
        + "(%d of %d segments merged; the others stayed within the policy's tier budget)%n", pct(segmentLag, 50), pct(segmentLag, 95), pct(segmentLag, 100),
        segmentLag.size(), s.segments());
    out.printf(Locale.ROOT, "job:    %.0f rows/s, %.1f MB/s over %.1f s of merge work (%d rows, %.1f MB); "
        + "%.0f rows/s over %.1f s wall clock%n", jobRows / jobSeconds, jobMBps, jobSeconds, jobRows, jobBytes / 1e6,
        allRows / wallSeconds, wallSeconds);
    out.printf(Locale.ROOT, "kernel: %.0f rows/s, %.1f MB/s over %.1f s (the same merges replayed)%n",
        kRows / kSeconds, kMBps, kSeconds);
    out.printf(Locale.ROOT, "job / kernel: %.2f of the kernel's speed (goal: at least 0.67)%n", ratio);

    ObjectNode json = Json.object();
    json.put("bench", "job").put("segments", s.segments()).put("rowsPerSegment", s.rows()).put("dim", s.dim())
        .put("type", s.type()).put("partitions", s.partitions()).put("merges", commits.size()).put("timedMerges", timed)
        .put("rowsMerged", allRows);
    json.putObject("lagPerMerge").put("p50", r2(pct(mergeLag, 50))).put("p95", r2(pct(mergeLag, 95)))
        .put("max", r2(pct(mergeLag, 100)));
    json.putObject("lagPerSegment").put("p50", r2(pct(segmentLag, 50))).put("p95", r2(pct(segmentLag, 95)))
        .put("max", r2(pct(segmentLag, 100))).put("segments", segmentLag.size());
    json.putObject("job").put("rows", jobRows).put("bytes", jobBytes).put("mergeSeconds", r2(jobSeconds))
        .put("rowsPerSec", Math.round(jobRows / jobSeconds)).put("MBps", r2(jobMBps))
        .put("wallSeconds", r2(wallSeconds)).put("wallRowsPerSec", Math.round(allRows / wallSeconds));
    json.putObject("kernel").put("rows", kRows).put("bytes", kBytes).put("seconds", r2(kSeconds))
        .put("rowsPerSec", Math.round(kRows / kSeconds)).put("MBps", r2(kMBps));
    json.put("ratio", r2(ratio));
    out.println(Json.line(json));
    return ExitCode.OK;
  }

  static double pct(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> v = new ArrayList<>(values);
    v.sort(Comparator.naturalOrder());
    int i = (int) Math.ceil(p / 100.0 * v.size()) - 1;
    return v.get(Math.max(0, Math.min(v.size() - 1, i)));
  }

  private static double r2(double x) {
    return Math.round(x * 100) / 100.0;
  }

  private static double secs(long t) {
    return (System.nanoTime() - t) / 1e9;
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      long n = 0;
      for (Path p : all.toList()) {
        if (Files.isRegularFile(p)) {
          n += Files.size(p);
        }
      }
      return n;
    }
  }
}
