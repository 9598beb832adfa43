package dev.lancemerge.format.v20.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.v20.LegacyFieldEncoder;
import dev.lancemerge.oracle.RealLanceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beyond the required types: lists of lists (the encoder recurses: outer offsets page, inner
 * offsets page, items page) and the Arrow null type; structs are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NestedAndNullTypeOracleTest {
  private final BufferAllocator alloc = new RootAllocator();

  @TempDir Path dir;

  @AfterAll
  void close() {
    alloc.close();
  }

  private static Field field(String name, ArrowType type, Field... children) {
    return new Field(name, FieldType.nullable(type), List.of(children));
  }

  private static Schema schema() {
    return new Schema(List.of(
        field("id", new ArrowType.Int(32, true)),
        field("ll", ArrowType.List.INSTANCE, field("item", ArrowType.List.INSTANCE, field("item", new ArrowType.Int(32, true)))),
        field("nothing", ArrowType.Null.INSTANCE)));
  }

  private static Object inner(Random r) {
    int k = r.nextInt(6);
    if (k == 0) {
      return null;
    }
    List<Object> out = new ArrayList<>();
    for (int i = 1; i < k; i++) {
      out.add(r.nextInt(9) == 0 ? null : r.nextInt(100));
    }
    return out;
  }

  private VectorSchemaRoot batch(Schema schema, int start, int n, boolean allNull) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
    root.allocateNew();
    Random r = new Random(start);
    for (FieldVector v : root.getFieldVectors()) {
      for (int i = 0; i < n; i++) {
        Object value = null;
        if (v.getName().equals("id")) {
          value = start + i;
        } else if (v.getName().equals("ll") && !allNull && r.nextInt(6) != 0) {
          List<Object> outer = new ArrayList<>();
          for (int k = r.nextInt(4); k > 0; k--) {
            outer.add(inner(r));
          }
          value = outer;
        }
        Cells.set(v, i, value);
      }
      Cells.finish(v, n);
    }
    root.setRowCount(n);
    return root;
  }

  @Test
  void realLanceReadsListsOfListsAndNullColumns() throws Exception {
    Schema schema = schema();
    List<VectorSchemaRoot> batches = new ArrayList<>();
    Lance20Oracle.Written w;
    try {
      batches.add(batch(schema, 0, 700, false));
      batches.add(batch(schema, 700, 150, true));
      batches.add(batch(schema, 850, 1300, false));
      w = Lance20Oracle.write(dir.resolve("nested.lance"), schema, 1, batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
    Lance20Oracle.assertFooter20(w.file(), 5);
    Lance20Oracle.assertLanceReadsBack(w, alloc, 400);
    Lance20Oracle.assertLanceReadsRanges(w, alloc, Lance20Oracle.pageBoundaryRanges(w.file()));
    assertThat(Lance20Oracle.encodings(w.file()).get("nothing").stream().map(Signature::of).toList())
        .containsOnly("all_nulls");
  }

  @Test
  void pagesAreByteForByteWhatLanceWrites() throws Exception {
    Schema schema = schema();
    Path ours = dir.resolve("ours.lance");
    Path lances = dir.resolve("lance.lance");
    try (VectorSchemaRoot b = batch(schema, 0, 1500, false)) {
      Lance20Oracle.write(ours, schema, Long.MAX_VALUE, List.of(b));
      RealLanceFiles.write(lances, RealLanceFiles.FormatVersion.V2_0, alloc, Map.of(), List.of(b));
    }
    assertThat(Lance20Oracle.assertSamePagesAsLance(ours, lances)).isEmpty();
  }

  @Test
  void structsAreRefused() {
    Field s = field("s", ArrowType.Struct.INSTANCE, field("a", new ArrowType.Int(32, true)));
    ColumnData data = ColumnData.struct(1, List.of(ColumnData.fixed(1, 4, new byte[4], null)), null);
    assertThatThrownBy(() -> new LegacyFieldEncoder().encode(s, data))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("struct");
  }
}
