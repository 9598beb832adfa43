package dev.lancemerge.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny {@code bench merge}: real Lance builds the segments, then lance-core's merge, ours and a copy are timed. */
class MergeBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void benchMergeBuildsTimesBothTypesAndPrintsTheJsonLineThenReusesTheBuild() throws Exception {
    Path work = dir.resolve("bench");
    Run run = Run.of("bench", "merge", "--rows", "3000", "--dim", "16", "--segments", "3", "--partitions", "8",
        "--repeat", "2", "--dir", work.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    List<String> lines = run.outLines();
    assertThat(lines).anyMatch(l -> l.startsWith("built dataset " + work.resolve("dataset")))
        .anyMatch(l -> l.startsWith("built 3 IVF_FLAT segments")).anyMatch(l -> l.startsWith("built 3 IVF_PQ segments"))
        .anyMatch(l -> l.startsWith("  lance-core best ")).anyMatch(l -> l.startsWith("  ours       best "))
        .anyMatch(l -> l.startsWith("  copy       best ")).anyMatch(l -> l.startsWith("  ours vs lance-core: "))
        .anyMatch(l -> l.startsWith("  ours vs copy: "));
    JsonNode json = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(json.get("bench").asText()).isEqualTo("merge");
    assertThat(json.get("rows").asLong()).isEqualTo(3000);
    assertThat(json.get("segments").asInt()).isEqualTo(3);
    assertThat(json.get("partitions").asInt()).isEqualTo(8);
    assertThat(json.get("results")).hasSize(2);
    assertThat(json.get("results").get(0).get("type").asText()).isEqualTo("IVF_FLAT");
    assertThat(json.get("results").get(1).get("type").asText()).isEqualTo("IVF_PQ");
    for (JsonNode r : json.get("results")) {
      assertThat(r.get("inputBytes").asLong()).isPositive();
      assertThat(r.get("outputBytes").get("ours").asLong()).isPositive();
      assertThat(r.get("outputBytes").get("lance").asLong()).isPositive();
      for (String who : List.of("lance", "ours", "copy")) {
        assertThat(r.get(who).get("seconds")).hasSize(2);
        assertThat(r.get(who).get("bestSeconds").asDouble()).isPositive();
        assertThat(r.get(who).get("medianMBps").asDouble()).isPositive();
      }
      assertThat(r.get("oursVsLance").get("best").asDouble()).isPositive();
      assertThat(r.get("oursVsCopy").get("median").asDouble()).isPositive();
    }
    // Kept: the dataset, its 6 segments and the setup; every merged output and copy is gone.
    assertThat(work.resolve(MergeBench.SETUP_FILE)).isRegularFile();
    assertThat(work.resolve(MergeBench.SCRATCH)).doesNotExist();
    try (var s = Files.list(work.resolve("dataset").resolve("_indices"))) {
      assertThat(s).hasSize(6);
    }

    Run again = Run.of("bench", "merge", "--reuse", work.toString(), "--type", "flat", "--repeat", "1");

    assertThat(again.err()).isEmpty();
    assertThat(again.code()).isZero();
    assertThat(again.outLines()).noneMatch(l -> l.startsWith("built "))
        .anyMatch(l -> l.startsWith("reusing " + work));
    JsonNode second = JSON.readTree(again.outLines().get(again.outLines().size() - 1));
    assertThat(second.get("results")).hasSize(1);
    assertThat(second.get("results").get(0).get("inputBytes").asLong())
        .isEqualTo(json.get("results").get(0).get("inputBytes").asLong());
    try (var s = Files.list(work.resolve("dataset").resolve("_indices"))) {
      assertThat(s).hasSize(6);
    }

    Run rebuild = Run.of("bench", "merge", "--rows", "3000", "--dir", work.toString());
    assertThat(rebuild.code()).isEqualTo(1);
    assertThat(rebuild.errLines()).containsExactly("error: " + work + ": already holds a bench build; time it again"
        + " with --reuse " + work + ", or give an empty or new directory");
  }

  @Test
  void aTemporaryBuildIsDeletedAfterwards() throws Exception {
    Run run = Run.of("bench", "merge", "--rows", "1000", "--dim", "8", "--segments", "2", "--partitions", "4",
        "--type", "flat", "--repeat", "1");

    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    JsonNode json = JSON.readTree(run.outLines().get(run.outLines().size() - 1));
    assertThat(json.get("results")).hasSize(1);
    assertThat(json.get("rows").asLong()).isEqualTo(1000);
    assertThat(Path.of(json.get("dir").asText())).doesNotExist();
  }

  @Test
  void reuseRefusesSizesAndAMissingSetup() throws Exception {
    Run sizes = Run.of("bench", "merge", "--reuse", dir.toString(), "--rows", "10");
    assertThat(sizes.code()).isEqualTo(2);
    assertThat(sizes.errLines()).hasSize(1);
    assertThat(sizes.errLines().get(0)).startsWith("error: bench: --reuse DIR times what DIR holds; --rows");

    Run missing = Run.of("bench", "merge", "--reuse", dir.toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.errLines()).containsExactly("error: " + dir.resolve(MergeBench.SETUP_FILE)
        + ": no such file; build with 'bench merge --dir " + dir + "' first");
  }

  @Test
  void badOptionsAreUsageErrors() {
    String[][] cases = {
      {"bench", "merge", "--type", "hnsw"}, {"bench", "merge", "--rows", "2", "--segments", "3"},
      {"bench", "merge", "--rows", "100", "--partitions", "256"}, {"bench", "merge", "--dim", "12", "--pq-sub-vectors", "5"},
      {"bench", "merge", "--rows", "100", "--type", "pq", "--partitions", "4"}, {"bench", "merge", "extra"},
      {"bench", "merge", "--memory", "2"}, {"bench", "--rows", "5", "merge"},
    };
    for (String[] args : cases) {
      Run run = Run.of(args);
      assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.errLines()).as(String.join(" ", args)).hasSize(1);
      assertThat(run.errLines().get(0)).startsWith("error: bench: ");
    }
  }

  @Test
  void helpPerBenchmark() {
    Run merge = Run.of("bench", "merge", "--help");
    assertThat(merge.code()).isZero();
    assertThat(merge.out()).startsWith("Usage: java -jar job/target/lance-index-merge.jar bench merge ")
        .contains("--segments").contains("--partitions").contains("--type").contains("--reuse")
        .contains("mergeExistingIndexSegments").contains("Files.copy").contains("Example");
    assertThat(Run.of("bench", "read", "--help").out()).startsWith(
        "Usage: java -jar job/target/lance-index-merge.jar bench read ").doesNotContain("--partitions");
    assertThat(Run.of("bench", "--help").out()).contains("bench read ").contains("bench merge ");
    assertThat(Run.of("help", "bench", "merge").out()).isEqualTo(merge.out());
  }
}
