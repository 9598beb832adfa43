package dev.lancemerge.job;

import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.file.LanceFileWriter;

/** Writes a small file with REAL Lance (lance-core's writer), independent of the job's own sample writer. */
final class RealLanceFixture {
  static final int ROWS = 3_000;
  static final int DIM = 8;
  static final Map<String, String> METADATA = Map.of("distance_type", "l2", "lance:ivf", "7", "rows_per_zone", "1024");

  private RealLanceFixture() {}

  static Schema schema() {
    Field item = new Field("item", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    return new Schema(List.of(
        new Field("_rowid", FieldType.notNullable(new ArrowType.Int(64, false)), null),
        new Field("vec", FieldType.nullable(new ArrowType.FixedSizeList(DIM)), List.of(item)),
        new Field("label", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
        new Field("score", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null)));
  }

  /** Writes {@link #ROWS} rows in two batches as Lance {@code version} ("2.0" or "2.1"). */
  static void write(Path file, String version, BufferAllocator allocator) throws Exception {
    try (LanceFileWriter w = LanceFileWriter.open(file.toString(), allocator, null, Optional.of(version), Map.of());
        VectorSchemaRoot root = VectorSchemaRoot.create(schema(), allocator)) {
      for (int start = 0; start < ROWS; start += ROWS / 2) {
        fill(root, start, ROWS / 2);
        w.write(root);
      }
      w.addSchemaMetadata(METADATA);
    }
  }

  private static void fill(VectorSchemaRoot root, int start, int n) {
    root.allocateNew();
    UInt8Vector rowid = (UInt8Vector) root.getVector("_rowid");
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vec");
    Float4Vector values = (Float4Vector) vec.getDataVector();
    VarCharVector label = (VarCharVector) root.getVector("label");
    Float8Vector score = (Float8Vector) root.getVector("score");
    for (int i = 0; i < n; i++) {
      int row = start + i;
      rowid.setSafe(i, ((long) (row / 1000) << 32) | (row % 1000));
      if (row % 11 == 3) {
        vec.setNull(i);
      } else {
        vec.setNotNull(i);
      }
      for (int d = 0; d < DIM; d++) {
        values.setSafe(i * DIM + d, row * 0.5f + d);
      }
      if (row % 7 == 2) {
        label.setNull(i);
      } else {
        label.setSafe(i, ("label-" + row % 50).getBytes(StandardCharsets.UTF_8));
      }
      if (row % 5 == 0) {
        score.setNull(i);
      } else {
        score.setSafe(i, row / 3.0);
      }
    }
    root.setRowCount(n);
  }
}
