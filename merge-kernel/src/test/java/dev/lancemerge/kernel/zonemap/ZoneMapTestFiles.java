package dev.lancemerge.kernel.zonemap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.kernel.MergeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;
import org.lance.ipc.ScanStats;

/** Shared helpers of the ZoneMap merge tests: rewriting real {@code zonemap.lance} files with our own writer. */
final class ZoneMapTestFiles {
  /** Column order of a {@code zonemap.lance}. */
  static final int MIN = 0;
  static final int MAX = 1;
  static final int NULL_COUNT = 2;
  static final int NAN_COUNT = 3;
  static final int FRAGMENT_ID = 4;
  static final int ZONE_START = 5;
  static final int ZONE_LENGTH = 6;
  static final int COLUMNS = 7;

  private ZoneMapTestFiles() {}

  /** The seven columns of {@code file}, read with our reader. */
  static List<ColumnData> columns(Path file) throws IOException {
    try (LanceFileReader r = LanceFileReader.open(file)) {
      List<ColumnData> out = new ArrayList<>();
      for (int f = 0; f < r.schema().arrow().getFields().size(); f++) {
        out.add(r.readData(f, 0, r.numRows()));
      }
      return out;
    }
  }

  /** The schema of {@code file} (with its schema metadata), read with our reader. */
  static Schema schema(Path file) throws IOException {
    try (LanceFileReader r = LanceFileReader.open(file)) {
      return r.schema().arrow();
    }
  }

  /**
   * Writes {@code dst} (Lance 2.1, our writer) with the schema and metadata of {@code src} and the columns of
   * {@code src} after {@code edit}, which may replace entries of the (mutable) list.
   */
  static void rewrite(Path src, Path dst, UnaryOperator<List<ColumnData>> edit) throws IOException {
    Schema schema = schema(src);
    List<ColumnData> cols = edit.apply(new ArrayList<>(columns(src)));
    write(dst, schema, cols);
  }

  static void write(Path dst, Schema schema, List<ColumnData> cols) throws IOException {
    Files.createDirectories(dst.toAbsolutePath().getParent());
    try (LanceFileWriter w = LanceFileWriter.create(dst, schema, FileVersion.V2_1)) {
      for (int f = 0; f < cols.size(); f++) {
        w.write(f, cols.get(f));
      }
    }
  }

  /** The values of a uint64/uint32 column as longs. */
  static long[] longs(ColumnData d) {
    long[] out = new long[d.length()];
    ByteBuffer b = ByteBuffer.wrap(d.values()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < out.length; i++) {
      out[i] = d.byteWidth() == 8 ? b.getLong(i * 8) : Integer.toUnsignedLong(b.getInt(i * 4));
    }
    return out;
  }

  /** A non-null uint64 column. */
  static ColumnData u64(long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return ColumnData.fixed(values.length, 8, b.array(), null);
  }

  /** {@code rows} with byte arrays (binary cells) replaced by hex strings, so that equals compares contents. */
  static List<List<Object>> comparable(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      List<Object> r = new ArrayList<>();
      for (Object o : row) {
        r.add(o instanceof byte[] b ? "0x" + java.util.HexFormat.of().formatHex(b) : o);
      }
      out.add(r);
    }
    return out;
  }

  /** Statistics of a filtered scan (id column only), drained: zones compared, rows and fragments scanned. */
  static ScanStats scanStats(Dataset ds, String filter) throws Exception {
    ScanOptions opts = new ScanOptions.Builder().filter(filter).columns(List.of("id")).collectStats(true).build();
    try (LanceScanner sc = ds.newScan(opts)) {
      try (ArrowReader r = sc.scanBatches()) {
        while (r.loadNextBatch()) {
          // drain
        }
      }
      return sc.getStats().orElseThrow();
    }
  }

  /** Asserts that neither {@code out} nor a hidden temporary sibling {@code .<name>.tmp-*} exists. */
  static void assertNoOutput(Path out) throws IOException {
    assertThat(out).doesNotExist();
    Path parent = out.toAbsolutePath().getParent();
    if (Files.isDirectory(parent)) {
      String prefix = "." + out.getFileName() + ".tmp-";
      try (Stream<Path> s = Files.list(parent)) {
        assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList())
            .as("temporary siblings of %s", out)
            .isEmpty();
      }
    }
  }

  /** Runs a merge that must fail; returns the exception after checking that nothing was left behind. */
  static MergeException failingMerge(List<Path> inputs, Path out) throws IOException {
    MergeException caught = null;
    try {
      ZoneMapMerger.merge(inputs, out);
    } catch (MergeException e) {
      caught = e;
    }
    assertThat(caught).as("merge of %s must throw MergeException", inputs).isNotNull();
    assertNoOutput(out);
    return caught;
  }
}
