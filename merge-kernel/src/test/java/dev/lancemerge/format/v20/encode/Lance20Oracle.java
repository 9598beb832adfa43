package dev.lancemerge.format.v20.encode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceColumn;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.TestTables;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceFiles.FileContents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.util.Range;

/**
 * Writes 2.0 files with OUR writer and checks them against real Lance (lance-core 7.0.0): that its
 * reader returns exactly the rows we wrote (whole file and row ranges), and that our pages are the
 * same bytes Lance's own 2.0 writer produces for the same data.
 */
final class Lance20Oracle {
  private Lance20Oracle() {}

  /** A file we wrote and the rows our Arrow batches held (normalised as {@link TestTables#row}). */
  record Written(Path file, Schema schema, List<List<Object>> expected) {}

  /** Writes {@code batches} with our writer as 2.0 and records their rows. */
  static Written write(Path file, Schema schema, long pageBytes, List<VectorSchemaRoot> batches) throws IOException {
    List<List<Object>> expected = new ArrayList<>();
    try (LanceFileWriter w = LanceFileWriter.create(file, schema, FileVersion.V2_0, pageBytes)) {
      for (VectorSchemaRoot b : batches) {
        for (int r = 0; r < b.getRowCount(); r++) {
          expected.add(TestTables.row(b, r));
        }
        w.write(b);
      }
    }
    return new Written(file, schema, expected);
  }

  /** lance-core reads the whole file back as written: row count, schema, metadata, every cell. */
  static void assertLanceReadsBack(Written w, BufferAllocator allocator, int batchSize) throws IOException {
    try (FileContents c = RealLanceFiles.read(w.file(), allocator, batchSize)) {
      assertThat(c.numRows()).isEqualTo(w.expected().size());
      assertThat(describe(c.schema().getFields())).isEqualTo(describe(w.schema().getFields()));
      Map<String, String> md = w.schema().getCustomMetadata();
      if (md != null) {
        assertThat(c.metadata()).containsAllEntriesOf(md);
      }
      assertRows(w, c.batches(), allRows(w.expected().size()), "full read, batch size " + batchSize);
    }
  }

  /** lance-core reads the given row ranges [start, end) (in one request) as written. */
  static void assertLanceReadsRanges(Written w, BufferAllocator allocator, List<int[]> ranges) throws IOException {
    List<Range> rs = ranges.stream().map(r -> Range.of(r[0], r[1])).toList();
    List<Integer> rows = new ArrayList<>();
    for (int[] r : ranges) {
      for (int i = r[0]; i < r[1]; i++) {
        rows.add(i);
      }
    }
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try (org.lance.file.LanceFileReader reader = org.lance.file.LanceFileReader.open(w.file().toString(), allocator)) {
      try (ArrowReader ar = reader.readAll(null, rs, 333)) {
        while (ar.loadNextBatch()) {
          VectorSchemaRoot src = ar.getVectorSchemaRoot();
          List<FieldVector> copies = new ArrayList<>();
          for (FieldVector v : src.getFieldVectors()) {
            var tp = v.getTransferPair(allocator);
            tp.splitAndTransfer(0, src.getRowCount());
            copies.add((FieldVector) tp.getTo());
          }
          batches.add(new VectorSchemaRoot(src.getSchema(), copies, src.getRowCount()));
        }
      }
      assertRows(w, batches, rows, "ranges " + ranges.stream().map(r -> r[0] + ".." + r[1]).toList());
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
  }

  private static List<Integer> allRows(int n) {
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  /** Compares lance-core's batches, cell by cell, with the expected rows at {@code rows}; failures name row and column. */
  private static void assertRows(Written w, List<VectorSchemaRoot> batches, List<Integer> rows, String what) {
    int at = 0;
    List<Field> fields = w.schema().getFields();
    for (VectorSchemaRoot b : batches) {
      assertThat(b.getFieldVectors()).as("%s: columns", what).hasSize(fields.size());
      for (int r = 0; r < b.getRowCount(); r++, at++) {
        assertThat(at).as("%s: lance returned more rows than expected", what).isLessThan(rows.size());
        int row = rows.get(at);
        List<Object> want = w.expected().get(row);
        for (int c = 0; c < fields.size(); c++) {
          Object got = TestTables.normalize(b.getVector(c).getObject(r));
          if (!Objects.equals(got, want.get(c))) {
            throw new AssertionError(what + ": column '" + fields.get(c).getName() + "' row " + row
                + ": lance read " + got + ", we wrote " + want.get(c));
          }
        }
      }
    }
    assertThat(at).as("%s: rows returned by lance", what).isEqualTo(rows.size());
  }

  /** Name, type, nullability and children, recursively. */
  static String describe(List<Field> fields) {
    return fields.stream()
        .map(f -> f.getName() + ":" + f.getType() + (f.isNullable() ? "?" : "") + "<" + describe(f.getChildren()) + ">")
        .collect(Collectors.joining(","));
  }

  /** Footer version of a 2.0 file as Lance's FileWriter writes it: (0, 3). */
  static void assertFooter20(Path file, int columns) throws IOException {
    RealLanceFiles.Footer f = RealLanceFiles.readFooter(file);
    assertThat(f.major()).isEqualTo(0);
    assertThat(f.minor()).isEqualTo(3);
    assertThat(f.numColumns()).isEqualTo(columns);
  }

  /** Ranges around the first row of every page of every column, plus the start and the end. */
  static List<int[]> pageBoundaryRanges(Path file) throws IOException {
    TreeSet<Long> starts = new TreeSet<>();
    long n;
    try (LanceFileReader r = LanceFileReader.open(file)) {
      n = r.numRows();
      for (LanceColumn c : r.schema().columns()) {
        // priority = first top-level row of the page for every column we write
        for (PageInfo p : r.pages(c.index())) {
          starts.add(p.firstRow());
        }
      }
    }
    List<int[]> out = new ArrayList<>();
    out.add(new int[] {0, (int) Math.min(3, n)});
    for (long s : starts) {
      if (s > 0 && s < n) {
        out.add(new int[] {(int) Math.max(0, s - 2), (int) Math.min(n, s + 2)});
      }
    }
    out.add(new int[] {(int) Math.max(0, n - 1), (int) n});
    return out;
  }

  /** Every column's pages of {@code ours} decoded as 2.0 encodings, per column name. */
  static Map<String, List<ArrayEncoding>> encodings(Path file) throws IOException {
    Map<String, List<ArrayEncoding>> out = new LinkedHashMap<>();
    try (LanceFileReader r = LanceFileReader.open(file)) {
      for (LanceColumn c : r.schema().columns()) {
        List<ArrayEncoding> encs = new ArrayList<>();
        for (PageInfo p : r.pages(c.index())) {
          encs.add(parse(p));
        }
        out.put(columnName(r, c), encs);
      }
    }
    return out;
  }

  /**
   * Asserts that every column of {@code ours} has the same pages (row counts, encoding bytes, buffer
   * bytes) as {@code lances}, except the columns Lance dictionary-encoded (we write plain binary
   * there); returns the names of those skipped columns.
   */
  static List<String> assertSamePagesAsLance(Path ours, Path lances) throws IOException {
    List<String> dictionary = new ArrayList<>();
    try (LanceFileReader a = LanceFileReader.open(ours); LanceFileReader b = LanceFileReader.open(lances)) {
      assertThat(a.schema().columns()).hasSameSizeAs(b.schema().columns());
      for (LanceColumn c : a.schema().columns()) {
        String name = columnName(a, c);
        List<PageInfo> pa = a.pages(c.index());
        List<PageInfo> pb = b.pages(c.index());
        if (pb.stream().anyMatch(p -> parse(p).toString().contains("dictionary"))) {
          dictionary.add(name);
          continue;
        }
        assertThat(pa.size()).as("pages of column %s", name).isEqualTo(pb.size());
        for (int p = 0; p < pa.size(); p++) {
          String at = "column " + name + " page " + p;
          assertThat(pa.get(p).rows()).as("%s rows", at).isEqualTo(pb.get(p).rows());
          assertThat(Signature.of(parse(pa.get(p)))).as("%s encoding", at).isEqualTo(Signature.of(parse(pb.get(p))));
          assertThat(parse(pa.get(p))).as("%s encoding", at).isEqualTo(parse(pb.get(p)));
          assertThat(pa.get(p).encoding()).as("%s encoding bytes", at).isEqualTo(pb.get(p).encoding());
          assertThat(pa.get(p).buffers()).as("%s buffer count", at).hasSameSizeAs(pb.get(p).buffers());
          for (int k = 0; k < pa.get(p).buffers().size(); k++) {
            ByteBuffer x = a.read(pa.get(p).buffers().get(k));
            ByteBuffer y = b.read(pb.get(p).buffers().get(k));
            assertThat(x).as("%s buffer %d (%d vs %d bytes)", at, k, x.remaining(), y.remaining()).isEqualTo(y);
          }
        }
      }
    }
    return dictionary;
  }

  /** "field" for top-level columns, "field.child" for nested ones (2.0 has a column per field). */
  private static String columnName(LanceFileReader r, LanceColumn c) {
    String top = r.schema().arrow().getFields().get(c.topLevel()).getName();
    return top.equals(c.field().getName()) ? top : top + "." + c.field().getName();
  }

  static ArrayEncoding parse(PageInfo p) {
    try {
      return ArrayEncoding.parseFrom(p.encoding());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("page " + p + " has no 2.0 ArrayEncoding", e);
    }
  }
}
