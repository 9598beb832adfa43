package dev.lancemerge.job;

import dev.lancemerge.kernel.FileTrees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.kernel.vector.MergeOptions;
import dev.lancemerge.kernel.vector.MergeResult;
import dev.lancemerge.kernel.vector.VectorSegmentMerger;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.lance.Dataset;
import org.lance.index.Index;
import org.lance.index.IndexParams;
import org.lance.index.IndexType;

/**
 * {@code bench merge}: builds a dataset and per-fragment IVF_FLAT / IVF_PQ segments with real Lance, then
 * times, on the same input in one JVM, lance-core's {@code mergeExistingIndexSegments}, our
 * {@link VectorSegmentMerger#merge}, and a plain {@link Files#copy} of the same segment files, alternating,
 * and reports best/median seconds, MB/s over the input bytes and the ratios. The build can be kept
 * ({@code --dir}) and timed again later ({@code --reuse}), e.g. under a small heap.
 */
final class MergeBench {
  static final Set<String> OPTIONS = Set.of("--rows", "--dim", "--segments", "--partitions", "--type", "--repeat", "--warmup",
      "--dir", "--reuse", "--memory", "--pq-sub-vectors", "--durable");
  static final long DEFAULT_ROWS = 1_000_000;
  static final int DEFAULT_DIM = 128;
  static final int DEFAULT_SEGMENTS = 8;
  static final int DEFAULT_PARTITIONS = 256;
  static final int DEFAULT_REPEAT = 3;
  static final int DEFAULT_WARMUP = 5;
  static final long SEED = 42;
  static final String SETUP_FILE = "bench-merge.json";
  static final String DATASET = "dataset";
  static final String SCRATCH = "scratch";

  /** The index types the bench builds, with their index names in the dataset. */
  enum Kind {
    FLAT(IndexType.IVF_FLAT, "vec_ivf_flat"),
    PQ(IndexType.IVF_PQ, "vec_ivf_pq");

    final IndexType type;
    final String indexName;

    Kind(IndexType type, String indexName) {
      this.type = type;
      this.indexName = indexName;
    }
  }

  /** The three contenders, in the order of the arrays below. */
  private static final String[] WHO = {"lance-core", "ours", "copy"};

  private final PrintStream out;
  private boolean durable;

  MergeBench(PrintStream out) {
    this.out = out;
  }

  static String help() {
    return "Usage: " + Main.JAR + " bench merge [--rows N] [--dim D] [--segments S] [--partitions P]\n"
        + "           [--type flat|pq|both] [--repeat R] [--warmup W] [--dir DIR | --reuse DIR] [--memory BYTES]\n"
        + "           [--pq-sub-vectors M]\n\n"
        + "Builds the input with real Lance (lance-core): a dataset of N rows (id int64, vec\n"
        + "FixedSizeList<float32>[D], clustered vectors) in S fragments, IVF centroids (P partitions, l2)\n"
        + "trained once with VectorTrainer.trainIvfCentroids, for PQ a codebook (M sub-vectors, 8 bits)\n"
        + "trained once with trainPqCodebook on a sample (" + BenchIndexes.PQ_SAMPLE_RATE + " x 256 rows, "
        + BenchIndexes.PQ_MAX_ITERS + " iterations),\n"
        + "and one uncommitted segment per fragment and type (createIndex with withFragmentIds).\n"
        + "Then, for each type, on the same S segments, W untimed warm-up runs of each contender (the first\n"
        + "checks that both merges hold N rows; the others let the JIT compile our merge, as it is in a\n"
        + "long-running job) and R timed runs of each, alternating who goes first:\n"
        + "  lance-core  Dataset.mergeExistingIndexSegments(segments)\n"
        + "  ours        VectorSegmentMerger.merge(segment dirs, OUT, --memory)\n"
        + "  copy        Files.copy of every segment file to a scratch directory\n"
        + "Every output is deleted after each run. Prints best and median seconds and MB/s (segment\n"
        + "bytes / 10^6 / seconds) of each, the speed-up of ours over lance-core (lance seconds / ours)\n"
        + "and ours as a fraction of copy speed (copy seconds / ours), and finally one JSON line.\n"
        + "Files are usually in the page cache: this measures the merges' work, not the disk.\n\n"
        + "Options:\n"
        + "  --rows N            rows in the dataset (default: " + DEFAULT_ROWS + ")\n"
        + "  --dim D             vector dimension (default: " + DEFAULT_DIM + ")\n"
        + "  --segments S        fragments, one segment each per type (default: " + DEFAULT_SEGMENTS + ")\n"
        + "  --partitions P      IVF partitions (default: " + DEFAULT_PARTITIONS + ")\n"
        + "  --type T            flat, pq or both (default: both)\n"
        + "  --repeat R          timed runs of each contender per type (default: " + DEFAULT_REPEAT + ")\n"
        + "  --warmup W          untimed runs of each contender first (default: " + DEFAULT_WARMUP + ")\n"
        + "  --dir DIR           build in DIR (empty or new) and keep the dataset and segments there\n"
        + "                      (default: a temporary directory, deleted afterwards)\n"
        + "  --reuse DIR         skip the build: time the segments a previous --dir DIR run built (its\n"
        + "                      sizes come from DIR/" + SETUP_FILE + "; --type picks among the types built)\n"
        + "  --memory BYTES      our merge's memory budget, e.g. 64m (default: "
        + (MergeOptions.DEFAULT_MEMORY_BUDGET >> 20) + "m)\n"
        + "  --pq-sub-vectors M  PQ sub-vectors, dividing D (default: D/8, or 1 if 8 does not divide D)\n"
        + "  --durable yes|no    sync our output to disk before publishing it, as a commit needs (off by\n"
        + "                      default: lance-core's merge and the copy do not sync, so the timing compares\n"
        + "                      the same work)\n\n"
        + "Exit codes: 0 ok, 1 a merge failed or lost rows, or DIR is unusable, 2 usage error.\n\n"
        + "Example: build once and keep the build, then time it again under a 256 MB heap:\n"
        + "  " + Main.JAR + " bench merge --dir /tmp/bench-merge --repeat 1\n"
        + "  java -Xmx256m -jar job/target/lance-index-merge.jar bench merge --reuse /tmp/bench-merge\n";
  }

  int run(Args a) throws Exception {
    a.expectPositional();
    String reuse = a.string("--reuse", null);
    String dirOption = a.string("--dir", null);
    if (reuse != null) {
      for (String o : List.of("--dir", "--rows", "--dim", "--segments", "--partitions", "--pq-sub-vectors")) {
        if (a.string(o, null) != null) {
          throw a.usage("--reuse DIR times what DIR holds; " + o + " cannot be given with it");
        }
      }
    }
    List<Kind> kinds = switch (a.string("--type", "both")) {
      case "flat" -> List.of(Kind.FLAT);
      case "pq" -> List.of(Kind.PQ);
      case "both" -> List.of(Kind.FLAT, Kind.PQ);
      default -> throw a.usage("option --type must be flat, pq or both, not '" + a.string("--type", "") + "'");
    };
    int repeat = (int) a.number("--repeat", DEFAULT_REPEAT, 1, 1_000);
    int warmup = (int) a.number("--warmup", DEFAULT_WARMUP, 1, 100);
    long memory = a.bytes("--memory", MergeOptions.DEFAULT_MEMORY_BUDGET, 1L << 20, Long.MAX_VALUE);
    String sync = a.string("--durable", "no");
    if (!sync.equals("yes") && !sync.equals("no")) {
      throw a.usage("option --durable must be yes or no, not '" + sync + "'");
    }
    durable = sync.equals("yes");
    Path work;
    boolean temporary = false;
    Setup setup = null;
    if (reuse != null) {
      work = Path.of(reuse);
      setup = Setup.load(work);
    } else {
      long rows = a.number("--rows", DEFAULT_ROWS, 1, Integer.MAX_VALUE);
      int dim = (int) a.number("--dim", DEFAULT_DIM, 1, 65_536);
      int segments = (int) a.number("--segments", DEFAULT_SEGMENTS, 1, 10_000);
      int partitions = (int) a.number("--partitions", DEFAULT_PARTITIONS, 1, 65_536);
      int subVectors = (int) a.number("--pq-sub-vectors", dim % 8 == 0 ? dim / 8 : 1, 1, dim);
      if (rows < segments) {
        throw a.usage("--rows " + rows + " is fewer than --segments " + segments + " (each fragment needs a row)");
      }
      if (rows < partitions) {
        throw a.usage("--rows " + rows + " is fewer than --partitions " + partitions + " (IVF training needs a row each)");
      }
      if (kinds.contains(Kind.PQ) && rows < 256) {
        throw a.usage("--rows " + rows + ": training an 8-bit PQ codebook needs at least 256 rows");
      }
      if (dim % subVectors != 0) {
        throw a.usage("--pq-sub-vectors " + subVectors + " does not divide --dim " + dim);
      }
      if (dirOption != null) {
        work = Path.of(dirOption);
        if (Files.exists(work.resolve(SETUP_FILE))) {
          throw new BadInputException(work + ": already holds a bench build; time it again with --reuse " + work
              + ", or give an empty or new directory");
        }
        if (Files.exists(work.resolve(DATASET))) {
          throw new BadInputException(work + ": holds a " + DATASET + "/ directory from an unfinished build; remove it"
              + " or give an empty or new directory");
        }
        try {
          Files.createDirectories(work);
        } catch (IOException e) {
          throw new BadInputException(work + ": cannot create the directory: " + e.getMessage(), e);
        }
      } else {
        work = Files.createTempDirectory("lance-bench-merge");
        temporary = true;
      }
      setup = new Setup(rows, dim, segments, partitions, subVectors, Json.object());
    }
    Path scratch = work.resolve(SCRATCH);
    try (BufferAllocator allocator = new RootAllocator()) {
      out.printf("heap: max %d MB; our merge's memory budget %d MB%n",
          Runtime.getRuntime().maxMemory() >> 20, memory >> 20);
      if (reuse == null) {
        build(work, setup, kinds, allocator);
      } else {
        out.printf("reusing %s: %d rows x %d dims in %d fragments, %d partitions, built types %s%n", work,
            setup.rows, setup.dim, setup.segments, setup.partitions, setup.built());
      }
      ObjectNode json = Json.object();
      json.put("bench", "merge").put("dir", work.toString()).put("rows", setup.rows).put("dim", setup.dim)
          .put("segments", setup.segments).put("partitions", setup.partitions)
          .put("pqSubVectors", setup.subVectors).put("repeat", repeat).put("warmup", warmup).put("memoryBytes", memory).put("durable", durable)
          .put("maxHeapBytes", Runtime.getRuntime().maxMemory());
      ArrayNode results = json.putArray("results");
      for (Kind kind : kinds) {
        JsonNode segs = setup.types.get(kind.type.name());
        if (segs == null) {
          throw new BadInputException(work.resolve(SETUP_FILE) + ": holds no " + kind.type + " segments (built: "
              + setup.built() + "); pick --type accordingly");
        }
        results.add(benchType(work, scratch, setup, kind, segs, repeat, warmup, memory, allocator));
      }
      out.println(Json.line(json));
      return ExitCode.OK;
    } finally {
      FileTrees.delete(temporary ? work : scratch);
    }
  }

  // ---------------------------------------------------------------- build

  private void build(Path work, Setup setup, List<Kind> kinds, BufferAllocator allocator) throws Exception {
    Path datasetDir = work.resolve(DATASET);
    long t0 = System.nanoTime();
    try (Dataset ds = lance("create the dataset", () ->
        BenchIndexes.createDataset(datasetDir, allocator, setup.dim, SEED, BenchIndexes.split(setup.rows, setup.segments)))) {
      List<Integer> fids = BenchIndexes.fragmentIds(ds);
      out.printf("built dataset %s with lance-core: %d rows x %d dims in %d fragments, %.1f MB, in %.1f s%n",
          datasetDir, setup.rows, setup.dim, fids.size(), treeBytes(datasetDir) / 1e6, since(t0));
      if (fids.size() != setup.segments) {
        throw new BadInputException(datasetDir + ": lance-core wrote " + fids.size() + " fragments, expected "
            + setup.segments);
      }
      long t1 = System.nanoTime();
      float[] centroids = lance("train IVF centroids", () -> BenchIndexes.trainIvf(ds, setup.partitions));
      out.printf("trained IVF centroids (%d partitions, l2) with VectorTrainer.trainIvfCentroids in %.1f s%n",
          setup.partitions, since(t1));
      float[] codebook = null;
      if (kinds.contains(Kind.PQ)) {
        long t2 = System.nanoTime();
        codebook = lance("train a PQ codebook", () -> BenchIndexes.trainPq(ds, setup.subVectors));
        out.printf("trained PQ codebook (%d sub-vectors, 8 bits) with VectorTrainer.trainPqCodebook in %.1f s%n",
            setup.subVectors, since(t2));
      }
      for (Kind kind : kinds) {
        long t3 = System.nanoTime();
        IndexParams params = BenchIndexes.params(kind.type, setup.partitions, centroids, setup.subVectors, codebook);
        List<Index> segs = lance("build " + kind.type + " segments",
            () -> BenchIndexes.buildSegments(ds, kind.indexName, kind.type, params, fids));
        ArrayNode list = setup.types.putArray(kind.type.name());
        long bytes = 0;
        for (Index idx : segs) {
          list.add(BenchIndexes.describe(idx));
          bytes += treeBytes(BenchIndexes.segmentDir(datasetDir, idx.uuid()));
        }
        out.printf("built %d %s segments (one per fragment) with lance-core in %.1f s: %.1f MB%n",
            segs.size(), kind.type, since(t3), bytes / 1e6);
      }
    }
    Files.writeString(work.resolve(SETUP_FILE), Json.line(setup.json()) + "\n");
  }

  // ---------------------------------------------------------------- timing

  private ObjectNode benchType(Path work, Path scratch, Setup setup, Kind kind, JsonNode segs, int repeat, int warmup, long memory,
      BufferAllocator allocator) throws Exception {
    Path datasetDir = work.resolve(DATASET);
    List<Index> indexes = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    for (JsonNode s : segs) {
      Index idx = BenchIndexes.index(s);
      Path dir = BenchIndexes.segmentDir(datasetDir, idx.uuid());
      if (!Files.isDirectory(dir)) {
        throw new BadInputException(dir + ": segment listed in " + work.resolve(SETUP_FILE) + " is missing");
      }
      indexes.add(idx);
      dirs.add(dir);
    }
    long inputBytes = 0;
    for (Path d : dirs) {
      inputBytes += treeBytes(d);
    }
    out.printf("%s: %d segments, %d rows, %d partitions, %.1f MB of segment files%n",
        kind.type, dirs.size(), setup.rows, setup.partitions, inputBytes / 1e6);
    Files.createDirectories(scratch);
    Contenders c = new Contenders(datasetDir, scratch, indexes, dirs,
        new MergeOptions(memory, MergeOptions.DEFAULT_PAGE_BYTES, durable), allocator);

    // Warm-up, untimed: the first run of each must hold every row.
    long[] outBytes = new long[3];
    for (int who = 0; who < 3; who++) {
      Run r = c.run(who, true);
      for (int w = 1; w < warmup; w++) {
        c.run(who, false);
      }
      outBytes[who] = r.outputBytes;
      if (who < 2 && r.rows != setup.rows) {
        throw new BadInputException(kind.type + ": " + WHO[who] + "'s merged segment holds " + r.rows + " rows, expected "
            + setup.rows);
      }
    }
    out.printf("  warm-up: lance-core and ours each merged %d rows (output %.1f MB and %.1f MB); copy %.1f MB%n",
        setup.rows, outBytes[0] / 1e6, outBytes[1] / 1e6, outBytes[2] / 1e6);

    double[][] seconds = new double[3][repeat];
    for (int r = 0; r < repeat; r++) {
      for (int k = 0; k < 3; k++) {
        int who = (r + k) % 3; // alternate who goes first
        seconds[who][r] = c.run(who, false).seconds;
      }
    }
    Stats[] stats = new Stats[3];
    for (int who = 0; who < 3; who++) {
      stats[who] = Stats.of(inputBytes, seconds[who]);
      out.println("  " + stats[who].line(WHO[who], repeat));
    }
    double speedupBest = stats[0].best / stats[1].best;
    double speedupMedian = stats[0].median / stats[1].median;
    double copyBest = stats[2].best / stats[1].best;
    double copyMedian = stats[2].median / stats[1].median;
    out.printf("  ours vs lance-core: %.2fx as fast (best), %.2fx (median)%n", speedupBest, speedupMedian);
    out.printf("  ours vs copy: %.2f of copy speed (best), %.2f (median)%n", copyBest, copyMedian);

    ObjectNode o = Json.object();
    o.put("type", kind.type.name()).put("segments", dirs.size()).put("inputBytes", inputBytes);
    o.putObject("outputBytes").put("lance", outBytes[0]).put("ours", outBytes[1]);
    o.set("lance", stats[0].json());
    o.set("ours", stats[1].json());
    o.set("copy", stats[2].json());
    o.putObject("oursVsLance").put("best", round(speedupBest)).put("median", round(speedupMedian));
    o.putObject("oursVsCopy").put("best", round(copyBest)).put("median", round(copyMedian));
    return o;
  }

  /** One timed run: seconds, rows of the merged segment (-1 for the copy), bytes written. */
  private record Run(double seconds, long rows, long outputBytes) {}

  /** The three contenders on one set of segments; every run deletes its output afterwards. */
  private record Contenders(Path datasetDir, Path scratch, List<Index> indexes, List<Path> dirs, MergeOptions options,
      BufferAllocator allocator) {

    Run run(int who, boolean check) throws Exception {
      return switch (who) {
        case 0 -> lance(check);
        case 1 -> ours();
        default -> copy();
      };
    }

    /** lance-core's merge, on a freshly opened dataset (opening is not timed); writes {@code _indices/<new uuid>/}. */
    private Run lance(boolean check) throws Exception {
      try (Dataset ds = BenchIndexes.open(datasetDir, allocator)) {
        long t = System.nanoTime();
        Index merged = MergeBench.lance("merge segments", () -> ds.mergeExistingIndexSegments(indexes));
        double s = since(t);
        Path out = BenchIndexes.segmentDir(datasetDir, merged.uuid());
        try {
          long rows = -1;
          if (check) {
            try (LanceFileReader aux = LanceFileReader.open(out.resolve(MergeKind.AUX))) {
              rows = aux.numRows();
            }
          }
          return new Run(s, rows, treeBytes(out));
        } finally {
          FileTrees.delete(out);
        }
      }
    }

    private Run ours() throws Exception {
      Path out = scratch.resolve("ours");
      try {
        long t = System.nanoTime();
        MergeResult r = VectorSegmentMerger.merge(dirs, out, options);
        double s = since(t);
        return new Run(s, r.rows(), treeBytes(out));
      } finally {
        FileTrees.delete(out);
      }
    }

    private Run copy() throws IOException {
      Path out = scratch.resolve("copy");
      try {
        long t = System.nanoTime();
        for (Path dir : dirs) {
          Path to = out.resolve(dir.getFileName());
          Files.createDirectories(to);
          try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
              if (Files.isRegularFile(f)) {
                Files.copy(f, to.resolve(f.getFileName()));
              }
            }
          }
        }
        double s = since(t);
        return new Run(s, -1, treeBytes(out));
      } finally {
        FileTrees.delete(out);
      }
    }
  }

  /** Best and median of repeated runs. */
  record Stats(double best, double median, double bestMBps, double medianMBps, double[] seconds) {
    static Stats of(long bytes, double[] seconds) {
      double[] sorted = seconds.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      return new Stats(sorted[0], median, bytes / 1e6 / sorted[0], bytes / 1e6 / median, seconds);
    }

    String line(String who, int repeat) {
      return String.format("%-10s best %7.3f s %8.1f MB/s, median %7.3f s %8.1f MB/s (%d runs)",
          who, best, bestMBps, median, medianMBps, repeat);
    }

    ObjectNode json() {
      ObjectNode o = Json.object().put("bestSeconds", round4(best)).put("medianSeconds", round4(median))
          .put("bestMBps", round(bestMBps)).put("medianMBps", round(medianMBps));
      ArrayNode s = o.putArray("seconds");
      for (double x : seconds) {
        s.add(round4(x));
      }
      return o;
    }
  }

  /** Sizes of a build, and the segments built per type (as {@link BenchIndexes#describe} JSON). */
  record Setup(long rows, int dim, int segments, int partitions, int subVectors, ObjectNode types) {
    ObjectNode json() {
      ObjectNode o = Json.object().put("rows", rows).put("dim", dim).put("segments", segments)
          .put("partitions", partitions).put("pqSubVectors", subVectors).put("seed", SEED);
      o.set("types", types);
      return o;
    }

    String built() {
      List<String> names = new ArrayList<>();
      types.fieldNames().forEachRemaining(names::add);
      return String.join(", ", names);
    }

    static Setup load(Path dir) throws BadInputException {
      Path file = dir.resolve(SETUP_FILE);
      if (!Files.isRegularFile(file)) {
        throw new BadInputException(file + ": no such file; build with 'bench merge --dir " + dir + "' first");
      }
      try {
        JsonNode j = Json.MAPPER.readTree(file.toFile());
        if (!j.path("types").isObject() || !j.path("rows").canConvertToLong()) {
          throw new BadInputException(file + ": not a bench merge setup (no rows or types)");
        }
        return new Setup(j.get("rows").asLong(), j.path("dim").asInt(), j.path("segments").asInt(),
            j.path("partitions").asInt(), j.path("pqSubVectors").asInt(), (ObjectNode) j.get("types"));
      } catch (IOException e) {
        throw new BadInputException(file + ": cannot read it: " + e.getMessage(), e);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A call into lance-core; its runtime failures become bad input naming the step. */
  private static <T> T lance(String step, LanceCall<T> call) throws BadInputException {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw new BadInputException("lance-core failed to " + step + ": " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface LanceCall<T> {
    T get();
  }

  static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Bytes of all regular files under {@code dir}. */
  static long treeBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    }
  }

  private static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }

  private static double round4(double x) {
    return Math.round(x * 1e4) / 1e4;
  }
}
