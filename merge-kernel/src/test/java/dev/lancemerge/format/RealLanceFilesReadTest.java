package dev.lancemerge.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.oracle.RealLanceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files written by real Lance (lance-core 7.0.0) read by our reader: the same schema, metadata and
 * values as lance-core's own reader returns, for whole files and for row ranges across pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealLanceFilesReadTest {
  private static final int ROWS = 12_000;
  private final BufferAllocator alloc = new RootAllocator();

  @TempDir Path dir;

  @AfterAll
  void close() {
    alloc.close();
  }

  /** Compares cell by cell so a failure names the row and the column. */
  static void assertRows(VectorSchemaRoot ours, int firstRow, List<List<Object>> expected) {
    for (int r = 0; r < ours.getRowCount(); r++) {
      List<Object> row = TestTables.row(ours, r);
      List<Object> want = expected.get(firstRow + r);
      for (int c = 0; c < row.size(); c++) {
        assertThat(row.get(c)).as("row %d column %s", firstRow + r, ours.getSchema().getFields().get(c).getName())
            .isEqualTo(want.get(c));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2.0", "2.1", "2.2"})
  void readsEverythingRealLanceWrote(String version) throws Exception {
    Schema schema = TestTables.allTypes(true, Map.of("lance:ivf", "1", "rows_per_zone", "1536"));
    Path file = dir.resolve("all-" + version + ".lance");
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try {
      for (int start = 0; start < ROWS; start += 4000) {
        batches.add(TestTables.batch(schema, alloc, 7, start, 4000));
      }
      RealLanceFiles.write(file, version, alloc, Map.of("lance:ivf", "1", "rows_per_zone", "1536"), batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
    List<List<Object>> expected = new ArrayList<>();
    try (RealLanceFiles.FileContents real = RealLanceFiles.read(file, alloc)) {
      for (List<Object> row : real.rows()) {
        List<Object> n = new ArrayList<>();
        row.forEach(o -> n.add(TestTables.normalize(o)));
        expected.add(n);
      }
      try (LanceFileReader ours = LanceFileReader.open(file)) {
        assertThat(ours.numRows()).isEqualTo(ROWS);
        assertThat(ours.version()).isEqualTo(FileVersion.parse(version));
        assertThat(ours.metadata()).containsAllEntriesOf(real.metadata());
        assertThat(ours.schema().arrow().getFields()).isEqualTo(real.schema().getFields());
        try (VectorSchemaRoot all = ours.readAll(alloc)) {
          assertRows(all, 0, expected);
        }
        for (long[] range : new long[][] {{0, 1}, {4090, 4110}, {5000, 9000}, {ROWS - 3, ROWS}, {777, 777}}) {
          try (VectorSchemaRoot part = ours.readRows(range[0], range[1], alloc)) {
            assertRows(part, (int) range[0], expected);
          }
        }
      }
    }
  }
}
