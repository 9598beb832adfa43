package dev.lancemerge.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * {@code bench read}: writes one Lance 2.1 file with real Lance, then reads it fully with our reader and
 * with lance-core's, alternating, in one JVM, and reports MB/s of each and the ratio.
 * {@code bench merge}: see {@link MergeBench}. {@code bench job}: see {@link JobBench}.
 */
final class BenchCommand implements Command {
  static final long DEFAULT_ROWS = 1_000_000;
  static final int DEFAULT_DIM = 128;
  static final int DEFAULT_REPEAT = 5;

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "bench read: our reader vs lance-core's; bench merge: our merge vs lance-core's and a file copy;"
        + " bench job: the streaming job's lag and throughput vs the kernel's";
  }

  @Override
  public String help() {
    return readHelp() + "\n" + MergeBench.help() + "\n" + JobBench.help();
  }

  @Override
  public String help(List<String> args) {
    if (!args.isEmpty() && args.get(0).equals("read")) {
      return readHelp();
    }
    if (!args.isEmpty() && args.get(0).equals("merge")) {
      return MergeBench.help();
    }
    if (!args.isEmpty() && args.get(0).equals("job")) {
      return JobBench.help();
    }
    return help();
  }

  private static String readHelp() {
    return "Usage: " + Main.JAR + " bench read [--rows N] [--dim D] [--repeat R] [--dir DIR]\n\n"
        + "Writes one Lance 2.1 file with real Lance (lance-core's writer): _rowid uint64 +\n"
        + "vec FixedSizeList<float32>[D]. Reads it once with each reader as a warm-up, checking that\n"
        + "row counts and checksums agree, then R more times each, alternating our reader and\n"
        + "lance-core's, in batches of " + SampleFile.BATCH_ROWS + " rows (each batch closed before the next).\n"
        + "Prints best and median MB/s (file bytes / 10^6 / seconds) of each, the ratio ours/lance-core,\n"
        + "and finally the same as one JSON line. The file is usually in the page cache, so this\n"
        + "measures decoding into Arrow vectors more than the disk.\n\n"
        + "Options:\n"
        + "  --rows N      rows in the file (default: " + DEFAULT_ROWS + ")\n"
        + "  --dim D       vector dimension (default: " + DEFAULT_DIM + ")\n"
        + "  --repeat R    timed reads per reader after the warm-up (default: " + DEFAULT_REPEAT + ")\n"
        + "  --dir DIR     where to write the file, which is kept (default: a temporary directory,\n"
        + "                deleted afterwards)\n\n"
        + "Exit codes: 0 ok, 1 the readers disagree or the file cannot be written, 2 usage error.\n\n"
        + "Example:\n"
        + "  " + Main.JAR + " bench read --rows 200000 --repeat 3\n";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty()) {
      throw new UsageException("bench: missing argument KIND (read, merge or job) (see 'bench --help')");
    }
    String kind = args.get(0);
    List<String> rest = args.subList(1, args.size());
    switch (kind) {
      case "read":
        return runRead(rest, out);
      case "merge":
        return new MergeBench(out).run(Args.parse(name(), rest, MergeBench.OPTIONS));
      case "job":
        return new JobBench(out).run(Args.parse(name(), rest, JobBench.OPTIONS));
      default:
        throw new UsageException("bench: " + (kind.startsWith("-") ? "the benchmark comes first: bench read|merge|job [OPTIONS]"
            : "unknown benchmark '" + kind + "' (known: read, merge, job)") + " (see 'bench --help')");
    }
  }

  private int runRead(List<String> args, PrintStream out) throws Exception {
    Args a = Args.parse(name(), args, Set.of("--rows", "--dim", "--repeat", "--dir"));
    a.expectPositional();
    long rows = a.number("--rows", DEFAULT_ROWS, 1, Integer.MAX_VALUE);
    int dim = (int) a.number("--dim", DEFAULT_DIM, 1, 65_536);
    int repeat = (int) a.number("--repeat", DEFAULT_REPEAT, 1, 1_000);
    String dirOption = a.string("--dir", null);
    Path dir = dirOption != null ? Path.of(dirOption) : Files.createTempDirectory("lance-bench");
    Path file = dir.resolve("bench-" + rows + "x" + dim + ".lance");
    try (BufferAllocator allocator = new RootAllocator()) {
      return bench(file, rows, dim, repeat, allocator, out);
    } finally {
      if (dirOption == null) {
        deleteQuietly(file);
        deleteQuietly(dir);
      }
    }
  }

  private int bench(Path file, long rows, int dim, int repeat, BufferAllocator allocator, PrintStream out)
      throws Exception {
    long t0 = System.nanoTime();
    SampleFile.write(file, rows, dim, 7, Map.of("distance_type", "l2"), allocator);
    long bytes = Files.size(file);
    ObjectNode info = InspectReport.of(file);
    out.printf("wrote %s with lance-core (Lance %s): %d rows x %d dims, %.1f MB, pages %s, in %.1f s%n",
        file, SampleFile.LANCE_VERSION, rows, dim, bytes / 1e6, info.get("pages"), (System.nanoTime() - t0) / 1e9);

    ReadCheck check = ReadCheck.run(file, SampleFile.BATCH_ROWS, allocator);
    out.println("warm-up " + check.line());
    if (!check.matches()) {
      throw new BadInputException(file + ": our reader and lance-core's disagree (" + check.line() + ")");
    }

    FileScan[] scans = {new OurScan(), new LanceCoreScan()};
    double[][] seconds = new double[2][repeat];
    for (int r = 0; r < repeat; r++) {
      for (int k = 0; k < 2; k++) {
        int s = (r + k) % 2; // alternate who goes first
        try (BufferAllocator child = allocator.newChildAllocator(scans[s].name(), 0, Long.MAX_VALUE)) {
          long start = System.nanoTime();
          long n = scans[s].scan(file, SampleFile.BATCH_ROWS, child, null);
          seconds[s][r] = (System.nanoTime() - start) / 1e9;
          if (n != rows) {
            throw new BadInputException(file + ": " + scans[s].name() + " read " + n + " rows, expected " + rows);
          }
        }
      }
    }

    Stats ours = Stats.of(bytes, seconds[0]);
    Stats lance = Stats.of(bytes, seconds[1]);
    out.println(ours.line("ours", repeat));
    out.println(lance.line("lance-core", repeat));
    double bestRatio = ours.bestMBps / lance.bestMBps;
    double medianRatio = ours.medianMBps / lance.medianMBps;
    out.printf("ratio ours/lance-core: best %.2f, median %.2f%n", bestRatio, medianRatio);

    ObjectNode json = Json.object();
    json.put("bench", "read").put("file", file.toString()).put("version", info.get("version").asText())
        .put("rows", rows).put("dim", dim).put("fileBytes", bytes).put("repeat", repeat)
        .put("batchRows", SampleFile.BATCH_ROWS);
    json.set("ours", ours.json());
    json.set("lance", lance.json());
    json.putObject("ratio").put("best", round(bestRatio)).put("median", round(medianRatio));
    out.println(Json.line(json));
    return ExitCode.OK;
  }

  /** Best and median throughput over repeated runs. */
  record Stats(double bestMBps, double medianMBps, double[] seconds) {
    static Stats of(long bytes, double[] seconds) {
      double[] sorted = seconds.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      return new Stats(bytes / 1e6 / sorted[0], bytes / 1e6 / median, seconds);
    }

    String line(String who, int repeat) {
      return String.format("%-10s best %8.1f MB/s, median %8.1f MB/s (%d runs, best %.3f s)",
          who, bestMBps, medianMBps, repeat, Arrays.stream(seconds).min().orElse(0));
    }

    ObjectNode json() {
      ObjectNode o = Json.object().put("bestMBps", round(bestMBps)).put("medianMBps", round(medianMBps));
      List<Double> s = new ArrayList<>();
      for (double x : seconds) {
        s.add(Math.round(x * 1e4) / 1e4);
      }
      s.forEach(o.putArray("seconds")::add);
      return o;
    }
  }

  private static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort: a temporary file
    }
  }
}
