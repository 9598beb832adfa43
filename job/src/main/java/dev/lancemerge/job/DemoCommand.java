package dev.lancemerge.job;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * {@code demo}: writes an index-shaped sample file with real Lance, inspects it, and reads it back with
 * our reader and lance-core's, comparing row count and checksum. What the README's first command runs
 * until the streaming job exists.
 */
final class DemoCommand implements Command {
  static final int DIM = 128;
  static final long DEFAULT_ROWS = 5_000;

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "write a sample index-shaped Lance 2.1 file with real Lance, inspect it, read it back";
  }

  @Override
  public String help() {
    return "Usage: " + Main.JAR + " demo [--dir DIR] [--rows N]\n\n"
        + "Writes DIR/sample.lance with real Lance (lance-core's writer, format 2.1), shaped like a\n"
        + "vector index segment: _rowid uint64 + vec FixedSizeList<float32>[" + DIM + "], schema metadata\n"
        + "distance_type=l2. Then prints what 'inspect' prints for it (one JSON line), and reads every row\n"
        + "back with our reader and with lance-core's reader, printing one line that compares their row\n"
        + "counts and checksums. Takes a few seconds.\n\n"
        + "Options:\n"
        + "  --dir DIR    where to write sample.lance (default: demo-data); the file is replaced\n"
        + "  --rows N     number of rows (default: " + DEFAULT_ROWS + ")\n\n"
        + "Exit codes: 0 ok, 1 the readers disagree or the file cannot be written, 2 usage error.\n\n"
        + "Example:\n"
        + "  " + Main.JAR + " demo --dir /tmp/lance-demo\n";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Args a = Args.parse(name(), args, Set.of("--dir", "--rows"));
    a.expectPositional();
    Path file = Path.of(a.string("--dir", "demo-data")).resolve("sample.lance");
    long rows = a.number("--rows", DEFAULT_ROWS, 1, 100_000_000);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("distance_type", "l2");
    metadata.put("dimension", Integer.toString(DIM));
    try (BufferAllocator allocator = new RootAllocator()) {
      long t0 = System.nanoTime();
      SampleFile.write(file, rows, DIM, 42, metadata, allocator);
      out.printf("wrote %s with lance-core (Lance %s): %d rows of _rowid uint64 + vec FixedSizeList<float32>[%d] in %d ms%n",
          file, SampleFile.LANCE_VERSION, rows, DIM, (System.nanoTime() - t0) / 1_000_000);
      out.println(Json.line(InspectReport.of(file)));
      ReadCheck check = ReadCheck.run(file, SampleFile.BATCH_ROWS, allocator);
      out.println(check.line());
      if (!check.matches()) {
        throw new BadInputException(file + ": our reader and lance-core's disagree (" + check.line() + ")");
      }
    }
    return ExitCode.OK;
  }
}
