package dev.lancemerge.format.v20;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceFiles.FormatVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by real Lance (lance-core 7.0.0) as 2.0, read by our reader and by Lance's, value for value. */
class LegacyOracleTest {
  private static final long SEED = 20L;

  @TempDir Path tmp;
  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  /** Writes {@code columns} in batches of the given sizes with lance-core at version 2.0. */
  private Path write(String name, List<LegacyTestData.Column> columns, int... batchRows) throws Exception {
    Path file = tmp.resolve(name + ".lance");
    long total = 0;
    for (int b : batchRows) {
      total += b;
    }
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try {
      long at = 0;
      for (int b : batchRows) {
        batches.add(LegacyTestData.batch(allocator, columns, SEED, at, b, total));
        at += b;
      }
      RealLanceFiles.write(file, FormatVersion.V2_0, allocator, Map.of(), batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
    return file;
  }

  @Test
  void allTypesInSeveralBatches() throws Exception {
    Path file = write("all_types", LegacyTestData.allTypes(), 1000, 1500, 7, 1993, 500);
    assertThat(RealLanceFiles.readFooter(file).major()).isEqualTo(0);
    assertThat(RealLanceFiles.readFooter(file).minor()).isEqualTo(3);
    try (LanceFileReader r = LanceFileReader.open(file)) {
      OracleComparison.census(r).forEach((k, v) -> System.out.println("census " + k + " " + v));
    }
    OracleComparison.assertMatchesLance(file, allocator, SEED, 30);
  }

  @Test
  void allTypesInSmallPages() throws Exception {
    Path file = tmp.resolve("small_pages.lance");
    SmallPageWriter.writeInChildJvm(file, SEED + 1, 40_000, 8192);
    try (LanceFileReader r = LanceFileReader.open(file)) {
      OracleComparison.census(r).forEach((k, v) -> System.out.println("census " + k + " " + v));
    }
    OracleComparison.assertMatchesLance(file, allocator, SEED, 30);
  }

  @Test
  void listsWithSeveralOffsetPages() throws Exception {
    Path file = write("many_lists", LegacyTestData.manyLists(), 500_000, 500_000, 500_000, 500_000, 400_000);
    try (LanceFileReader r = LanceFileReader.open(file)) {
      Map<String, List<String>> census = OracleComparison.census(r);
      census.forEach((k, v) -> System.out.println("census " + k + " " + v));
      // 64-bit offsets fill the 8 MiB page cache first; the 32-bit ones stayed in one page in 7.0.0.
      assertThat(census.get("ll_i32").get(0)).as("offsets column of the large list").doesNotStartWith("1p ");
      assertThat(census.get("ll_i32").get(1)).as("item column of the large list").doesNotStartWith("1p ");
    }
    OracleComparison.assertMatchesLance(file, allocator, SEED, 8, 1 << 22);
  }

  @Test
  void fsstWhenTheFieldAsksForIt() throws Exception {
    Path file = write("fsst", LegacyTestData.compressed("fsst"), 12_000, 8_000);
    try (LanceFileReader r = LanceFileReader.open(file)) {
      Map<String, List<String>> census = OracleComparison.census(r);
      census.forEach((k, v) -> System.out.println("census " + k + " " + v));
      assertThat(census.get("str").get(0)).contains("fsst(binary(");
    }
    OracleComparison.assertMatchesLance(file, allocator, SEED, 20);
  }

  @Test
  void lz4WhenTheFieldAsksForIt() throws Exception {
    Path file = write("lz4", LegacyTestData.compressed("lz4"), 12_000, 8_000);
    try (LanceFileReader r = LanceFileReader.open(file)) {
      assertThat(OracleComparison.census(r).get("str").get(0)).contains("flat8[lz4]");
    }
    OracleComparison.assertMatchesLance(file, allocator, SEED, 20);
  }

  @Test
  void zstdIsRefusedByName() throws Exception {
    Path file = write("zstd", LegacyTestData.compressed("zstd"), 2_000);
    try (LanceFileReader r = LanceFileReader.open(file)) {
      assertThat(OracleComparison.census(r).get("str").get(0)).contains("flat8[zstd]");
      assertThatThrownBy(() -> r.readData(0, 0, 10))
          .isInstanceOf(LanceFormatException.class)
          .hasMessageEndingWith("column 0 page 0: flat buffer is compressed with 'zstd', which this reader does not decompress");
    }
  }
}
