package dev.lancemerge.format.v20.encode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.LanceColumn;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.TestTables;
import dev.lancemerge.oracle.RealLanceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every type of {@link TestTables#allTypes} (ints, floats, bool, date, timestamp, utf8, large utf8,
 * binary, an all-null column, fixed-size lists, lists of ints and of strings; nulls about 1 in 7)
 * written as 2.0 by OUR writer, read back by real Lance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AllTypesOracleTest {
  private static final Map<String, String> METADATA = Map.of("lance:ivf", "1", "rows_per_zone", "1536");
  private final BufferAllocator alloc = new RootAllocator();

  @TempDir Path dir;

  @AfterAll
  void close() {
    alloc.close();
  }

  /** Seeded batches of irregular sizes, so page boundaries fall at odd rows. */
  private List<VectorSchemaRoot> batches(Schema schema, long seed, int rows) {
    List<VectorSchemaRoot> out = new ArrayList<>();
    Random r = new Random(seed);
    for (int at = 0; at < rows; ) {
      int n = Math.min(rows - at, 1 + r.nextInt(700));
      out.add(TestTables.batch(schema, alloc, seed, at, n));
      at += n;
    }
    return out;
  }

  @Test
  void realLanceReadsEveryTypeAcrossManyPages() throws Exception {
    Schema schema = TestTables.allTypes(true, METADATA);
    List<VectorSchemaRoot> batches = batches(schema, 11, 12_000);
    Lance20Oracle.Written w;
    try {
      // 1 KiB pages: every column of every field gets several pages (lists: offsets and items).
      w = Lance20Oracle.write(dir.resolve("all.lance"), schema, 1024, batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
    // 21 leaf fields plus two lists with their item columns
    Lance20Oracle.assertFooter20(w.file(), 25);
    try (LanceFileReader ours = LanceFileReader.open(w.file())) {
      for (LanceColumn c : ours.schema().columns()) {
        assertThat(ours.pages(c.index()).size()).as("pages of column %d (%s)", c.index(), c.field().getName())
            .isGreaterThan(1);
      }
      assertThat(ours.globalBuffers()).hasSize(1);
    }
    Lance20Oracle.assertLanceReadsBack(w, alloc, 1000);
    Lance20Oracle.assertLanceReadsBack(w, alloc, 4096);
    Lance20Oracle.assertLanceReadsRanges(w, alloc, Lance20Oracle.pageBoundaryRanges(w.file()));
    Random r = new Random(5);
    for (int i = 0; i < 20; i++) {
      int a = r.nextInt(12_000);
      Lance20Oracle.assertLanceReadsRanges(w, alloc, List.of(new int[] {a, Math.min(12_000, a + 1 + r.nextInt(900))}));
    }
  }

  /**
   * One batch written once by real Lance as 2.0 and once by us with one page per column: every page
   * is byte for byte the same (encoding and buffers), except where Lance chose dictionary encoding
   * for low-cardinality strings, which we do not emit.
   */
  @Test
  void pagesAreByteForByteWhatLanceWrites() throws Exception {
    Schema schema = TestTables.allTypes(true, METADATA);
    Path ours = dir.resolve("ours.lance");
    Path lances = dir.resolve("lance.lance");
    try (VectorSchemaRoot b = TestTables.batch(schema, alloc, 23, 0, 3000)) {
      Lance20Oracle.write(ours, schema, Long.MAX_VALUE, List.of(b));
      RealLanceFiles.write(lances, RealLanceFiles.FormatVersion.V2_0, alloc, METADATA, List.of(b));
    }
    List<String> dictionary = Lance20Oracle.assertSamePagesAsLance(ours, lances);
    assertThat(dictionary).containsExactly("category", "tags.item");
  }
}
