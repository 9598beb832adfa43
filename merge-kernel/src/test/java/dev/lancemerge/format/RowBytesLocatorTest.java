package dev.lancemerge.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.oracle.RealLanceFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The byte ranges the locator reports for uncompressed rows hold exactly the values the decoder
 * returns, for full-zip vectors, mini-block codes and 2.0 pages written by real Lance; compressed
 * columns are not located.
 */
class RowBytesLocatorTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(RealLanceFiles.FormatVersion.class)
  void locatedBytesAreTheDecodedValues(RealLanceFiles.FormatVersion version) throws Exception {
    int rows = 20_000;
    Schema schema = new Schema(List.of(
        TestTables.nullable("_rowid", new ArrowType.Int(64, false)),
        TestTables.fsl("flat", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), 128),
        TestTables.fsl("__pq_code", new ArrowType.Int(8, false), 16)));
    Path file = dir.resolve("index-like.lance");
    try (BufferAllocator alloc = new RootAllocator()) {
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc)) {
        root.allocateNew();
        Random r = new Random(3);
        UInt8Vector ids = (UInt8Vector) root.getVector(0);
        FixedSizeListVector flat = (FixedSizeListVector) root.getVector(1);
        FixedSizeListVector codes = (FixedSizeListVector) root.getVector(2);
        for (int i = 0; i < rows; i++) {
          ids.setSafe(i, (long) (i % 3) << 32 | i);
          flat.setNotNull(i);
          codes.setNotNull(i);
          for (int k = 0; k < 128; k++) {
            ((Float4Vector) flat.getDataVector()).setSafe(i * 128 + k, r.nextFloat());
          }
          for (int k = 0; k < 16; k++) {
            ((UInt1Vector) codes.getDataVector()).setSafe(i * 16 + k, r.nextInt(256));
          }
        }
        root.getFieldVectors().forEach(v -> v.setValueCount(rows));
        root.setRowCount(rows);
        RealLanceFiles.write(file, version, alloc, Map.of(), List.of(root));
      }
      try (LanceFileReader reader = LanceFileReader.open(file)) {
        for (int field : new int[] {1, 2}) {
          for (long[] range : new long[][] {{0, rows}, {1, 2}, {4000, 9000}, {rows - 5, rows}}) {
            Optional<List<RowBytes>> located = RowBytesLocator.locate(reader, field, range[0], range[1]);
            assertThat(located).as("field %d is stored plain", field).isPresent();
            assertThat(located.get().stream().mapToLong(RowBytes::rows).sum()).isEqualTo(range[1] - range[0]);
            try (FieldVector decoded = reader.read(field, range[0], range[1], alloc)) {
              FieldVector values = ((FixedSizeListVector) decoded).getDataVector();
              ByteBuffer expected = ByteBuffer.allocate((int) values.getDataBuffer().capacity()).order(ByteOrder.LITTLE_ENDIAN);
              values.getDataBuffer().getBytes(0, expected);
              long at = 0;
              for (RowBytes rb : located.get()) {
                assertThat(rb.firstRow()).isEqualTo(range[0] + at);
                ByteBuffer raw = reader.readAt(rb.position(), rb.length());
                ByteBuffer want = expected.duplicate().position((int) (at * rb.bytesPerRow())).limit((int) ((at + rb.rows()) * rb.bytesPerRow()));
                assertThat(raw).isEqualTo(want.slice());
                at += rb.rows();
              }
            }
          }
        }
        if (version == RealLanceFiles.FormatVersion.V2_1) {
          // Real Lance bit-packs row ids in 2.1: they must be decoded, never copied.
          assertThat(RowBytesLocator.locate(reader, 0, 0, rows)).isEmpty();
        }
      }
    }
  }
}
