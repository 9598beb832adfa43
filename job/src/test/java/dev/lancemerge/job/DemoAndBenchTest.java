package dev.lancemerge.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo} and a small {@code bench read}, in-process, with real Lance writing and reading. */
class DemoAndBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void demoRunsTheJobOnALiveDatasetAndQueriesTheMergedIndexes() throws Exception {
    Run run = Run.of("demo", "--dir", dir.toString(), "--rows", "3000", "--seconds", "25");

    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.outLines();
    assertThat(lines.get(0)).startsWith("demo: a Lance dataset at " + dir.resolve("demo.lance"));
    assertThat(lines).anyMatch(l -> l.startsWith("created it with lance-core: 4 fragments x 3000 rows"))
        .anyMatch(l -> l.startsWith("job ") && l.contains("on an embedded mini-cluster"))
        .anyMatch(l -> l.matches("appended fragment \\d+ \\(3000 rows\\) and committed its 2 segments in .*"))
        .anyMatch(l -> l.matches("vec_idx: \\d+ -> \\d+ segments, \\d+ rows, freshness lag \\d+\\.\\d s"))
        .anyMatch(l -> l.matches("z_idx: \\d+ -> \\d+ segments, \\d+ rows, freshness lag \\d+\\.\\d s"))
        .anyMatch(l -> l.startsWith("stopped with a savepoint: "))
        .anyMatch(l -> l.startsWith("filter on ts (ZoneMap z_idx): "))
        .anyMatch(l -> l.startsWith("demo done in "));
    assertThat(lines.stream().filter(l -> l.startsWith("k-NN on vec_idx")).toList()).hasSize(3)
        .allMatch(l -> l.endsWith("(the row itself first)"));
    assertThat(dir.resolve("demo.lance")).isDirectory();
  }

  @Test
  void checksumDoesNotDependOnBatchSizeOrReader() throws Exception {
    Path file = dir.resolve("s.lance");
    try (BufferAllocator allocator = new RootAllocator()) {
      SampleFile.write(file, 10_000, 16, 3, Map.of(), allocator);
      Checksum big = new Checksum();
      Checksum small = new Checksum();
      Checksum lance = new Checksum();
      assertThat(new OurScan().scan(file, 65_536, allocator, big)).isEqualTo(10_000);
      assertThat(new OurScan().scan(file, 999, allocator, small)).isEqualTo(10_000);
      assertThat(new LanceCoreScan().scan(file, 1_234, allocator, lance)).isEqualTo(10_000);
      assertThat(small.hex()).isEqualTo(big.hex()).isEqualTo(lance.hex());

      Path other = dir.resolve("t.lance");
      SampleFile.write(other, 10_000, 16, 4, Map.of(), allocator);
      Checksum differentSeed = new Checksum();
      new OurScan().scan(other, 65_536, allocator, differentSeed);
      assertThat(differentSeed.hex()).isNotEqualTo(big.hex());
    }
  }

  @Test
  void benchReadReportsBothReadersAndTheRatio() throws Exception {
    Run run = Run.of("bench", "read", "--rows", "20000", "--dim", "16", "--repeat", "2", "--dir", dir.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    List<String> lines = run.outLines();
    assertThat(lines.get(1)).startsWith("warm-up read back: ours 20000 rows").endsWith(": match");
    assertThat(lines).anyMatch(l -> l.startsWith("ours ")).anyMatch(l -> l.startsWith("lance-core "))
        .anyMatch(l -> l.startsWith("ratio ours/lance-core: "));
    JsonNode json = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(json.get("bench").asText()).isEqualTo("read");
    assertThat(json.get("rows").asLong()).isEqualTo(20000);
    assertThat(json.get("fileBytes").asLong()).isEqualTo(Files.size(dir.resolve("bench-20000x16.lance")));
    assertThat(json.get("ours").get("bestMBps").asDouble()).isPositive();
    assertThat(json.get("lance").get("medianMBps").asDouble()).isPositive();
    assertThat(json.get("ours").get("seconds")).hasSize(2);
    assertThat(json.get("ratio").get("best").asDouble()).isPositive();
  }
}
