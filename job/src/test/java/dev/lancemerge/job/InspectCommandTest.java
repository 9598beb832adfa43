package dev.lancemerge.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancemerge.format.LanceFileReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect} on files written by real Lance, and on files that are not Lance files. */
class InspectCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path v21;
  static Path v20;

  @BeforeAll
  static void writeFiles() throws Exception {
    v21 = dir.resolve("real-2.1.lance");
    v20 = dir.resolve("real-2.0.lance");
    try (BufferAllocator allocator = new RootAllocator()) {
      RealLanceFixture.write(v21, "2.1", allocator);
      RealLanceFixture.write(v20, "2.0", allocator);
    }
  }

  @Test
  void printsTheExactShapeForARealLance21File() throws Exception {
    Run run = Run.of("inspect", v21.toString());

    assertThat(run.code()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.outLines()).hasSize(1);
    JsonNode json = JSON.readTree(run.out());
    assertThat(fieldNames(json)).containsExactly("version", "rows", "columns", "metadata", "globalBuffers", "pages");
    assertThat(json.get("version").isTextual()).isTrue();
    assertThat(json.get("version").asText()).isEqualTo("2.1");
    assertThat(json.get("rows").isIntegralNumber()).isTrue();
    assertThat(json.get("rows").asLong()).isEqualTo(RealLanceFixture.ROWS);
    assertThat(JSON.writeValueAsString(json.get("columns"))).isEqualTo(
        "[{\"name\":\"_rowid\",\"type\":\"Int(64, false)\"},"
            + "{\"name\":\"vec\",\"type\":\"FixedSizeList(8)\"},"
            + "{\"name\":\"label\",\"type\":\"Utf8\"},"
            + "{\"name\":\"score\",\"type\":\"FloatingPoint(DOUBLE)\"}]");
    assertThat(JSON.convertValue(json.get("metadata"), Map.class)).isEqualTo(RealLanceFixture.METADATA);

    // lance-core's writer puts exactly one global buffer (the schema) in a file, 64-byte aligned in 2.1.
    long size = Files.size(v21);
    assertThat(json.get("globalBuffers")).hasSize(1);
    JsonNode gb = json.get("globalBuffers").get(0);
    assertThat(fieldNames(gb)).containsExactly("position", "size");
    assertThat(gb.get("position").asLong() % 64).isZero();
    assertThat(gb.get("size").asLong()).isPositive();
    assertThat(gb.get("position").asLong() + gb.get("size").asLong()).isLessThan(size);

    assertThat(fieldNames(json.get("pages"))).containsExactly("_rowid", "vec", "label", "score");
    try (LanceFileReader reader = LanceFileReader.open(v21)) {
      assertThat(JSON.convertValue(json.get("pages"), Map.class)).isEqualTo(reader.pageCounts());
      assertThat(gb.get("position").asLong()).isEqualTo(reader.globalBuffers().get(0).position());
    }
    json.get("pages").forEach(count -> assertThat(count.asInt()).isPositive());
  }

  @Test
  void readsARealLance20FileToo() throws Exception {
    Run run = Run.of("inspect", v20.toString());

    assertThat(run.code()).isZero();
    JsonNode json = JSON.readTree(run.out());
    assertThat(json.get("version").asText()).isEqualTo("2.0");
    assertThat(json.get("rows").asLong()).isEqualTo(RealLanceFixture.ROWS);
    assertThat(json.get("columns").get(1).get("type").asText()).isEqualTo("FixedSizeList(8)");
    assertThat(JSON.convertValue(json.get("metadata"), Map.class)).isEqualTo(RealLanceFixture.METADATA);
  }

  @Test
  void truncatedFileIsBadInputWithOneErrorLineNamingTheFile() throws Exception {
    for (long keep : new long[] {Files.size(v21) / 2, Files.size(v21) - 1, 10}) {
      Path cut = dir.resolve("cut-" + keep + ".lance");
      Files.copy(v21, cut);
      try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.WRITE)) {
        ch.truncate(keep);
      }

      Run run = Run.of("inspect", cut.toString());

      assertThat(run.code()).as("exit code for %d bytes", keep).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.errLines()).hasSize(1);
      assertThat(run.errLines().get(0)).startsWith("error: " + cut + ": ").doesNotContain("Exception");
    }
  }

  @Test
  void nonLanceFileIsBadInputWithOneErrorLineNamingTheFileAndTheProblem() throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "this is not a Lance file, just some text that is long enough for a footer\n");

    Run run = Run.of("inspect", text.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly(
        "error: " + text + ": not a Lance file, or truncated: the last 4 bytes are not the magic 'LANC'");
  }

  @Test
  void missingFileAndDirectoryAreBadInput() {
    Path missing = dir.resolve("missing.lance");
    Run run = Run.of("inspect", missing.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.errLines()).containsExactly("error: " + missing + ": no such file");

    Run onDir = Run.of("inspect", dir.toString());
    assertThat(onDir.code()).isEqualTo(1);
    assertThat(onDir.errLines()).hasSize(1);
    assertThat(onDir.errLines().get(0)).startsWith("error: " + dir + ": ");
  }

  @Test
  void missingOrExtraArgumentsAreUsageErrors() {
    for (String[] args : new String[][] {{"inspect"}, {"inspect", "a.lance", "b.lance"}, {"inspect", "--pretty", "a"}}) {
      Run run = Run.of(args);
      assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.errLines()).hasSize(1);
      assertThat(run.errLines().get(0)).startsWith("error: inspect: ");
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
