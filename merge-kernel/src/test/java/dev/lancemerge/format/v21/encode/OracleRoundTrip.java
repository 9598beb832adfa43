package dev.lancemerge.format.v21.encode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceFiles.FileContents;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Writes seeded data with OUR writer and checks that real Lance (lance-core 7.0.0) reads back exactly that. */
final class OracleRoundTrip {
  private OracleRoundTrip() {}

  /** What was written: the file and the rows as our Arrow vectors described them. */
  record Written(Path file, Schema schema, List<List<Object>> expected) {}

  static Written write(Path file, Schema schema, BufferAllocator allocator, long seed, int rows, int batchRows,
      long pageBytes) throws IOException {
    return write(file, schema, FileVersion.V2_1, allocator, seed, rows, batchRows, pageBytes);
  }

  static Written write(Path file, Schema schema, FileVersion version, BufferAllocator allocator, long seed, int rows,
      int batchRows, long pageBytes) throws IOException {
    List<List<Object>> expected = new ArrayList<>();
    try (LanceFileWriter w = LanceFileWriter.create(file, schema, version, pageBytes)) {
      for (int at = 0; at < rows; at += batchRows) {
        int n = Math.min(batchRows, rows - at);
        try (VectorSchemaRoot b = ArrowData.batch(schema, allocator, seed, at, n)) {
          expected.addAll(ArrowData.rows(List.of(b)));
          w.write(b);
        }
      }
    }
    return new Written(file, schema, expected);
  }

  /** Writes {@code batches} (which the caller closes) with our writer. */
  static Written write(Path file, Schema schema, FileVersion version, long pageBytes, List<VectorSchemaRoot> batches)
      throws IOException {
    List<List<Object>> expected = new ArrayList<>();
    try (LanceFileWriter w = LanceFileWriter.create(file, schema, version, pageBytes)) {
      for (VectorSchemaRoot b : batches) {
        expected.addAll(ArrowData.rows(List.of(b)));
        w.write(b);
      }
    }
    return new Written(file, schema, expected);
  }

  /** Reads {@code w.file} with lance-core and compares schema, metadata, row count and every value. */
  static void assertLanceReadsBack(Written w, BufferAllocator allocator) throws IOException {
    try (FileContents c = RealLanceFiles.read(w.file(), allocator, 1000)) {
      assertThat(c.numRows()).isEqualTo(w.expected().size());
      assertThat(describe(c.schema().getFields())).isEqualTo(describe(w.schema().getFields()));
      Map<String, String> md = w.schema().getCustomMetadata();
      if (md != null && !md.isEmpty()) {
        assertThat(c.metadata()).containsAllEntriesOf(md);
      }
      List<List<Object>> actual = ArrowData.rows(c.batches());
      assertThat(actual).hasSameSizeAs(w.expected());
      for (int col = 0; col < w.schema().getFields().size(); col++) {
        String name = w.schema().getFields().get(col).getName();
        for (int r = 0; r < actual.size(); r++) {
          Object a = actual.get(r).get(col);
          Object e = w.expected().get(r).get(col);
          if (!java.util.Objects.equals(a, e)) {
            throw new AssertionError("column '" + name + "' row " + r + ": lance read " + a + ", we wrote " + e);
          }
        }
      }
    }
  }

  /**
   * Reads seeded random row ranges (single rows, ranges starting inside long lists and across page
   * edges) with lance-core and compares them: random access goes through the chunk metadata and the
   * repetition indexes, which a full scan barely needs.
   */
  static void assertLanceReadsRanges(Written w, BufferAllocator allocator, long seed) throws IOException {
    int rows = w.expected().size();
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    List<org.lance.util.Range> ranges = new ArrayList<>();
    List<List<Object>> expected = new ArrayList<>();
    int at = 0;
    while (at < rows) {
      int start = Math.min(rows - 1, at + r.nextInt(400));
      int len = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(300);
      int end = Math.min(rows, start + len);
      ranges.add(org.lance.util.Range.of(start, end));
      expected.addAll(w.expected().subList(start, end));
      at = end;
    }
    List<List<Object>> actual = new ArrayList<>();
    try (org.lance.file.LanceFileReader reader =
            org.lance.file.LanceFileReader.open(w.file().toAbsolutePath().toString(), allocator);
        org.apache.arrow.vector.ipc.ArrowReader ar = reader.readAll(null, ranges, 777)) {
      while (ar.loadNextBatch()) {
        actual.addAll(ArrowData.rows(List.of(ar.getVectorSchemaRoot())));
      }
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.size(); i++) {
      if (!actual.get(i).equals(expected.get(i))) {
        throw new AssertionError("ranged read, output row " + i + ": lance read " + actual.get(i) + ", we wrote " + expected.get(i));
      }
    }
  }

  /** Name, type, nullability and children, recursively (what must survive the round trip). */
  static String describe(List<Field> fields) {
    return fields.stream()
        .map(f -> f.getName() + ":" + f.getType() + (f.isNullable() ? "?" : "") + "<" + describe(f.getChildren()) + ">")
        .collect(Collectors.joining(","));
  }

  /** The page layouts of a physical column of a file we wrote. */
  static List<PageLayout> layouts(Path file, int column) throws IOException {
    try (LanceFileReader r = LanceFileReader.open(file)) {
      List<PageLayout> out = new ArrayList<>();
      for (PageInfo p : r.pages(column)) {
        try {
          out.add(PageLayout.parseFrom(p.encoding()));
        } catch (InvalidProtocolBufferException e) {
          throw new IOException(e);
        }
      }
      return out;
    }
  }

  /** Counts pages of each layout case (MINI_BLOCK_LAYOUT, FULL_ZIP_LAYOUT, CONSTANT_LAYOUT). */
  static Map<PageLayout.LayoutCase, Long> layoutCounts(Path file, int column) throws IOException {
    return layouts(file, column).stream().collect(Collectors.groupingBy(PageLayout::getLayoutCase, Collectors.counting()));
  }
}
