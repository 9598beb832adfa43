package dev.lancemerge.format.v20;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceFiles.FileContents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.Text;

/**
 * Compares what our reader decodes from a Lance-written 2.0 file with what lance-core's own reader
 * returns, value for value: full reads, then range reads (across page boundaries and at random)
 * against slices of the full read.
 */
final class OracleComparison {
  private OracleComparison() {}

  /** Per field: the distinct encoding signatures of its columns' pages, in column order. */
  static Map<String, List<String>> census(LanceFileReader r) throws Exception {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<Field> fields = r.schema().arrow().getFields();
    for (int f = 0; f < fields.size(); f++) {
      List<String> sigs = new ArrayList<>();
      for (var c : r.schema().columnsOf(f)) {
        TreeSet<String> s = new TreeSet<>();
        for (PageInfo p : r.pages(c.index())) {
          s.add(EncodingSignature.of(ArrayEncoding.parseFrom(p.encoding())));
        }
        sigs.add(r.pages(c.index()).size() + "p " + s);
      }
      out.put(fields.get(f).getName(), sigs);
    }
    return out;
  }

  /** Full and range reads of every field of {@code file} equal lance-core's values. */
  static void assertMatchesLance(Path file, BufferAllocator allocator, long seed, int randomRanges) throws Exception {
    assertMatchesLance(file, allocator, seed, randomRanges, 4096);
  }

  /**
   * As above, with lance-core reading {@code lanceBatchSize} rows per batch. (lance-core 7.0.0 fails on
   * a 2.0 list of strings whose items span several pages when it reads in small batches, "drain was
   * called on primitive field decoder ... never awaited"; one big batch avoids that bug of Lance's.)
   */
  static void assertMatchesLance(Path file, BufferAllocator allocator, long seed, int randomRanges, int lanceBatchSize)
      throws Exception {
    try (LanceFileReader ours = LanceFileReader.open(file);
        FileContents lance = RealLanceFiles.read(file, allocator, lanceBatchSize)) {
      assertThat(ours.version()).isEqualTo(FileVersion.V2_0);
      assertThat(ours.numRows()).isEqualTo(lance.numRows());
      int n = (int) ours.numRows();
      List<Field> fields = ours.schema().arrow().getFields();
      List<Field> lanceFields = lance.schema().getFields().stream().filter(f -> !f.getName().equals("_rowid")).toList();
      assertThat(lanceFields).hasSize(fields.size());
      SplittableRandom rnd = new SplittableRandom(seed);
      for (int f = 0; f < fields.size(); f++) {
        Field field = fields.get(f);
        int lanceIndex = lance.schema().getFields().indexOf(lanceFields.get(f));
        assertThat(sameTypes(field, lanceFields.get(f))).as("type of %s: ours %s, lance %s", field.getName(), field, lanceFields.get(f)).isTrue();
        if (field.getType() instanceof ArrowType.Null) {
          // Compared as decoded data: ArrowConversion.toVector leaks the validity buffer it makes for
          // a Null vector (it clears the buffer list without closing it), which our leak check catches.
          assertNullColumn(ours, f, lance, lanceIndex, n, ranges(ours, f, n, rnd, randomRanges));
          continue;
        }
        try (FieldVector full = ours.read(f, 0, n, allocator)) {
          assertThat(full.getValueCount()).isEqualTo(n);
          if (System.getProperty("oracle.debug") != null) {
            System.out.println("values " + field.getName() + " nulls=" + full.getNullCount() + "/" + n + " e.g. "
                + (n > 0 ? normalize(full.getObject(0)) + " ... " + normalize(full.getObject(n / 2)) : ""));
          }
          int row = 0;
          for (VectorSchemaRoot b : lance.batches()) {
            FieldVector v = b.getVector(lanceIndex);
            for (int i = 0; i < b.getRowCount(); i++, row++) {
              Object want = normalize(v.getObject(i));
              Object got = normalize(full.getObject(row));
              if (!Objects.equals(got, want)) {
                throw new AssertionError("field " + field.getName() + " row " + row + ": ours " + got + ", lance " + want);
              }
            }
          }
          assertThat(row).isEqualTo(n);
          for (long[] range : ranges(ours, f, n, rnd, randomRanges)) {
            int a = (int) range[0];
            int b = (int) range[1];
            try (FieldVector part = ours.read(f, a, b, allocator)) {
              assertThat(part.getValueCount()).isEqualTo(b - a);
              for (int i = 0; i < b - a; i++) {
                Object got = normalize(part.getObject(i));
                Object want = normalize(full.getObject(a + i));
                if (!Objects.equals(got, want)) {
                  throw new AssertionError("field " + field.getName() + " rows [" + a + ", " + b + ") row " + (a + i)
                      + ": range read " + got + ", full read " + want);
                }
              }
            }
          }
        }
      }
    }
  }

  private static void assertNullColumn(LanceFileReader ours, int f, FileContents lance, int lanceIndex, int n,
      List<long[]> ranges) throws Exception {
    for (VectorSchemaRoot b : lance.batches()) {
      FieldVector v = b.getVector(lanceIndex);
      for (int i = 0; i < b.getRowCount(); i++) {
        assertThat(v.isNull(i)).isTrue();
      }
    }
    ColumnData full = ours.readData(f, 0, n);
    assertThat(full.length()).isEqualTo(n);
    assertThat(full.nullCount()).isEqualTo(n);
    for (long[] r : ranges) {
      ColumnData part = ours.readData(f, r[0], r[1]);
      assertThat(part.length()).isEqualTo((int) (r[1] - r[0]));
      assertThat(part.nullCount()).isEqualTo(part.length());
    }
  }

  private static boolean sameTypes(Field a, Field b) {
    if (!a.getType().equals(b.getType()) || a.getChildren().size() != b.getChildren().size()) {
      return false;
    }
    for (int i = 0; i < a.getChildren().size(); i++) {
      if (!sameTypes(a.getChildren().get(i), b.getChildren().get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Ranges that start or end at, or straddle, every page boundary of the field's columns, plus random ones. */
  private static List<long[]> ranges(LanceFileReader r, int field, int n, SplittableRandom rnd, int random) {
    List<long[]> out = new ArrayList<>();
    out.add(new long[] {0, 0});
    out.add(new long[] {0, Math.min(1, n)});
    out.add(new long[] {Math.max(0, n - 1), n});
    int column = r.schema().columnsOf(field).get(0).index();
    List<PageInfo> pages = r.pages(column);
    for (int p = 1; p < pages.size() && p < 40; p++) {
      long b = pages.get(p).firstRow();
      out.add(new long[] {Math.max(0, b - 3), Math.min(n, b + 2)});
      out.add(new long[] {b, Math.min(n, b + 1)});
      out.add(new long[] {Math.max(0, b - 1), b});
      if (p + 1 < pages.size()) {
        out.add(new long[] {Math.max(0, b - 1), Math.min(n, pages.get(p + 1).firstRow() + 1)});
      }
    }
    for (int i = 0; i < random; i++) {
      int a = rnd.nextInt(n + 1);
      int len = rnd.nextInt(4) == 0 ? rnd.nextInt(n - a + 1) : rnd.nextInt(Math.min(50, n - a) + 1);
      out.add(new long[] {a, a + len});
    }
    return out;
  }

  /** getObject values made comparable with equals: bytes to hex, Text to String, nested lists/maps recursively. */
  static Object normalize(Object o) {
    if (o instanceof byte[] b) {
      return "0x" + HexFormat.of().formatHex(b);
    }
    if (o instanceof Text t) {
      return t.toString();
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object x : l) {
        out.add(normalize(x));
      }
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, normalize(v)));
      return out;
    }
    return o;
  }
}
