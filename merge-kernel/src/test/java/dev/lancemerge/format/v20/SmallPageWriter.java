package dev.lancemerge.format.v20;

import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceFiles.FormatVersion;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes {@link LegacyTestData#allTypes()} as one batch with lance-core at 2.0, in a JVM of its own.
 * Lance's 2.0 writer only cuts a page at about 8 MiB per column unless the environment variable
 * {@code LANCE_FILE_WRITER_MAX_PAGE_BYTES} is set when the writer is created; it is read by the
 * native library, so it must be in the process environment, hence a child process. (A single batch
 * matters: the writer splits by that limit only when a column's buffered data is one array.)
 */
public final class SmallPageWriter {
  private SmallPageWriter() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    int rows = Integer.parseInt(args[2]);
    try (BufferAllocator a = new RootAllocator();
        VectorSchemaRoot batch = LegacyTestData.batch(a, LegacyTestData.allTypes(), seed, 0, rows, rows)) {
      RealLanceFiles.write(out, FormatVersion.V2_0, a, Map.of(), List.of(batch));
    }
  }

  /** Runs {@link #main} in a child JVM with the page size limit in its environment. */
  static void writeInChildJvm(Path out, long seed, int rows, long maxPageBytes) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SmallPageWriter.class.getName());
    cmd.add(out.toString());
    cmd.add(Long.toString(seed));
    cmd.add(Integer.toString(rows));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LANCE_FILE_WRITER_MAX_PAGE_BYTES", Long.toString(maxPageBytes));
    File log = Files.createTempFile("small-page-writer", ".log").toFile();
    pb.redirectErrorStream(true).redirectOutput(log);
    Process p = pb.start();
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        throw new IOException("child writer did not finish in 5 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IOException("child writer failed (exit " + p.exitValue() + "):\n"
            + Files.readString(log.toPath(), StandardCharsets.UTF_8));
      }
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log.toPath());
    }
  }
}
