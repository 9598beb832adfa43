package dev.lancemerge.format.v21.encode;

import static dev.lancemerge.format.v21.encode.OracleRoundTrip.assertLanceReadsBack;
import static dev.lancemerge.format.v21.encode.OracleRoundTrip.assertLanceReadsRanges;
import static dev.lancemerge.format.v21.encode.OracleRoundTrip.layouts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.proto.v21.CompressiveEncoding.CompressionCase;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.format.v21.encode.OracleRoundTrip.Written;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integer columns written bit-packed ({@link LanceFileWriter#setBitpacking}), read back by real Lance
 * (whole file and random ranges) and by our reader: row ids as the vector merge writes them, nullable
 * and narrow integers, lists of integers (chunks cut by rep/def levels), and a column with negative
 * values, which must stay flat. Pages of a few KiB put many pages and a short last chunk in each column.
 */
class BitpackedIntegersOracleTest {
  private static final int ROWS = 5000;
  private static final int BATCH = 700;

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

  @Test
  void lanceAndWeReadBitpackedIntegersBack() throws Exception {
    Field list = new Field("list", FieldType.nullable(ArrowType.List.INSTANCE),
        List.of(Field.nullable("item", new ArrowType.Int(32, true))));
    Schema schema = new Schema(List.of(
        Field.notNullable("_rowid", new ArrowType.Int(64, false)),
        Field.nullable("small", new ArrowType.Int(32, true)),
        Field.nullable("tiny", new ArrowType.Int(8, false)),
        Field.nullable("negative", new ArrowType.Int(16, true)),
        list));
    Path file = tmp.resolve("bitpacked.lance");
    List<List<Object>> expected = new ArrayList<>();
    try (LanceFileWriter w = LanceFileWriter.create(file, schema, FileVersion.V2_1, 8 * 1024)) {
      w.setBitpacking(true);
      for (int at = 0; at < ROWS; at += BATCH) {
        try (VectorSchemaRoot b = batch(schema, at, Math.min(BATCH, ROWS - at))) {
          expected.addAll(ArrowData.rows(List.of(b)));
          w.write(b);
        }
      }
    }
    Written written = new Written(file, schema, expected);
    assertLanceReadsBack(written, allocator);
    assertLanceReadsRanges(written, allocator, 11);
    try (LanceFileReader ours = LanceFileReader.open(file);
        VectorSchemaRoot all = ours.readAll(allocator)) {
      assertThat(ArrowData.rows(List.of(all))).isEqualTo(expected);
    }
    for (int column : new int[] {0, 1, 2, 4}) {
      for (PageLayout p : layouts(file, column)) {
        assertThat(p.getMiniBlockLayout().getValueCompression().getCompressionCase())
            .as("column %d", column).isEqualTo(CompressionCase.INLINE_BITPACKING);
      }
    }
    assertThat(layouts(file, 0)).hasSizeGreaterThan(3);
    for (PageLayout p : layouts(file, 3)) {
      assertThat(p.getMiniBlockLayout().getValueCompression().getCompressionCase()).isEqualTo(CompressionCase.FLAT);
    }
  }

  private VectorSchemaRoot batch(Schema schema, int base, int n) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    UInt8Vector rowIds = (UInt8Vector) root.getVector("_rowid");
    IntVector small = (IntVector) root.getVector("small");
    UInt1Vector tiny = (UInt1Vector) root.getVector("tiny");
    SmallIntVector negative = (SmallIntVector) root.getVector("negative");
    ListVector lists = (ListVector) root.getVector("list");
    root.allocateNew();
    UnionListWriter lw = lists.getWriter();
    for (int i = 0; i < n; i++) {
      int row = base + i;
      rowIds.set(i, ((long) (row % 3) << 32) | (row * 7L));
      if (row % 10 == 3) {
        small.setNull(i);
        tiny.setNull(i);
      } else {
        small.set(i, row % 1000);
        tiny.set(i, row % 7);
      }
      negative.set(i, row % 50 - 25);
      lw.setPosition(i);
      lw.startList();
      for (int k = 0; k < row % 6; k++) {
        if (k == 2 && row % 4 == 0) {
          lw.writeNull();
        } else {
          lw.writeInt(row % 100 + k);
        }
      }
      lw.endList();
    }
    root.setRowCount(n);
    return root;
  }
}
