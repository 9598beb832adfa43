package dev.lancemerge.format.v20.encode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.lancemerge.format.BufferRange;
import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceColumn;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.TestTables;
import dev.lancemerge.format.proto.index.IVF;
import dev.lancemerge.format.proto.index.Tensor;
import dev.lancemerge.oracle.RealLanceFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2.0 file shaped like a vector index's {@code auxiliary.idx}: {@code _rowid} uint64,
 * {@code __pq_code} FSL<uint8>[16] and {@code flat} FSL<f32>[128], with extra global buffers (an
 * IVF message and a codebook tensor) written before and between the row batches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexShapedFileTest {
  private static final int ROWS = 5000;
  private final BufferAllocator alloc = new RootAllocator();

  @TempDir Path dir;

  @AfterAll
  void close() {
    alloc.close();
  }

  private static Schema schema() {
    Map<String, String> md = new LinkedHashMap<>();
    md.put("distance_type", "l2");
    md.put("lance:ivf", "1");
    md.put("storage_metadata", "[\"{\\\"codebook_position\\\":2,\\\"nbits\\\":8,\\\"num_sub_vectors\\\":16,"
        + "\\\"dimension\\\":128,\\\"codebook_tensor\\\":[],\\\"transposed\\\":false}\"]");
    return new Schema(List.of(
        TestTables.nullable("_rowid", new ArrowType.Int(64, false)),
        TestTables.fsl("__pq_code", new ArrowType.Int(8, false), 16),
        TestTables.fsl("flat", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), 128)), md);
  }

  private VectorSchemaRoot batch(Schema schema, int start, int n) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
    root.allocateNew();
    Random r = new Random(start);
    UInt8Vector rowid = (UInt8Vector) root.getVector(0);
    FixedSizeListVector pq = (FixedSizeListVector) root.getVector(1);
    FixedSizeListVector flat = (FixedSizeListVector) root.getVector(2);
    UInt1Vector codes = (UInt1Vector) pq.getDataVector();
    Float4Vector floats = (Float4Vector) flat.getDataVector();
    for (int i = 0; i < n; i++) {
      long row = start + i;
      rowid.setSafe(i, ((row % 3) << 32) | row);
      pq.setNotNull(i);
      flat.setNotNull(i);
      for (int k = 0; k < 16; k++) {
        codes.setSafe(i * 16 + k, r.nextInt(256));
      }
      for (int k = 0; k < 128; k++) {
        floats.setSafe(i * 128 + k, (float) r.nextGaussian());
      }
    }
    codes.setValueCount(n * 16);
    floats.setValueCount(n * 128);
    rowid.setValueCount(n);
    pq.setValueCount(n);
    flat.setValueCount(n);
    root.setRowCount(n);
    return root;
  }

  private static byte[] codebook() {
    ByteBuffer b = ByteBuffer.allocate(256 * 128 * 4).order(ByteOrder.LITTLE_ENDIAN);
    Random r = new Random(3);
    while (b.hasRemaining()) {
      b.putFloat(r.nextFloat());
    }
    return Tensor.newBuilder().setDataType(Tensor.DataType.FLOAT32).addShape(256).addShape(128)
        .setData(ByteString.copyFrom(b.array())).build().toByteArray();
  }

  @Test
  void realLanceOpensIndexShapedFileWithExtraGlobalBuffers() throws Exception {
    Schema schema = schema();
    Path file = dir.resolve("auxiliary.idx");
    byte[] ivf = IVF.newBuilder().addLengths(1700).addLengths(0).addLengths(3300).build().toByteArray();
    byte[] tensor = codebook();
    List<List<Object>> expected = new ArrayList<>();
    int ivfIndex;
    int tensorIndex = -1;
    // 16 KiB pages: several pages per column (_rowid: 8000 bytes per batch)
    try (LanceFileWriter w = LanceFileWriter.create(file, schema, FileVersion.V2_0, 16 * 1024)) {
      ivfIndex = w.addGlobalBuffer(ivf); // before any page: lands at offset 0
      for (int at = 0; at < ROWS; at += 1000) {
        try (VectorSchemaRoot b = batch(schema, at, 1000)) {
          for (int r = 0; r < b.getRowCount(); r++) {
            expected.add(TestTables.row(b, r));
          }
          w.write(b);
        }
        if (at == 2000) {
          tensorIndex = w.addGlobalBuffer(tensor); // between pages
        }
      }
    }
    assertThat(ivfIndex).isEqualTo(1);
    assertThat(tensorIndex).isEqualTo(2);

    RealLanceFiles.Footer footer = RealLanceFiles.readFooter(file);
    assertThat(footer.major()).isEqualTo(0);
    assertThat(footer.minor()).isEqualTo(3);
    assertThat(footer.numGlobalBuffers()).isEqualTo(3);
    assertThat(footer.numColumns()).isEqualTo(3);

    try (LanceFileReader ours = LanceFileReader.open(file)) {
      List<BufferRange> gbs = ours.globalBuffers();
      assertThat(gbs).hasSize(3);
      assertThat(gbs.get(ivfIndex)).isEqualTo(new BufferRange(0, ivf.length));
      assertThat(gbs.get(tensorIndex).size()).isEqualTo(tensor.length);
      assertThat(ours.readGlobalBuffer(ivfIndex)).isEqualTo(ivf);
      assertThat(ours.readGlobalBuffer(tensorIndex)).isEqualTo(tensor);
      for (BufferRange g : gbs) {
        assertThat(g.position() % 64).as("global buffer at %d", g.position()).isZero();
      }
      // every page buffer and global buffer is a disjoint range; the tensor sits among the pages,
      // the schema (global buffer 0) after all of them
      List<BufferRange> all = new ArrayList<>(gbs);
      long lastPageEnd = 0;
      long firstPageAfterTensor = Long.MAX_VALUE;
      for (LanceColumn c : ours.schema().columns()) {
        assertThat(ours.pages(c.index()).size()).as("pages of %s", c.field().getName()).isGreaterThan(1);
        for (PageInfo p : ours.pages(c.index())) {
          for (BufferRange b : p.buffers()) {
            all.add(b);
            lastPageEnd = Math.max(lastPageEnd, b.end());
            if (b.position() > gbs.get(tensorIndex).position()) {
              firstPageAfterTensor = Math.min(firstPageAfterTensor, b.position());
            }
          }
        }
      }
      all.sort(Comparator.comparingLong(BufferRange::position));
      for (int i = 1; i < all.size(); i++) {
        assertThat(all.get(i).position()).as("range %s overlaps %s", all.get(i), all.get(i - 1))
            .isGreaterThanOrEqualTo(all.get(i - 1).end());
      }
      assertThat(firstPageAfterTensor).isLessThan(Long.MAX_VALUE);
      assertThat(gbs.get(0).position()).isGreaterThanOrEqualTo(lastPageEnd);
      assertThat(ours.metadata()).containsAllEntriesOf(schema.getCustomMetadata());

      Map<String, List<ArrayEncoding20>> shapes = new LinkedHashMap<>();
      Lance20Oracle.encodings(file).forEach((k, v) -> shapes.put(k, v.stream().map(e -> new ArrayEncoding20(Signature.of(e))).toList()));
      assertThat(shapes.get("_rowid")).containsOnly(new ArrayEncoding20("no_nulls(flat64@0)"));
      assertThat(shapes.get("__pq_code")).containsOnly(new ArrayEncoding20("no_nulls(fsl16(no_nulls(flat8@0)))"));
      assertThat(shapes.get("flat")).containsOnly(new ArrayEncoding20("no_nulls(fsl128(no_nulls(flat32@0)))"));
    }

    Lance20Oracle.Written w = new Lance20Oracle.Written(file, schema, expected);
    Lance20Oracle.assertLanceReadsBack(w, alloc, 1024);
    Lance20Oracle.assertLanceReadsRanges(w, alloc, Lance20Oracle.pageBoundaryRanges(file));
  }

  @Test
  void indexColumnsAreByteForByteWhatLanceWrites() throws Exception {
    Schema schema = schema();
    Path ours = dir.resolve("ours.idx");
    Path lances = dir.resolve("lance.idx");
    try (VectorSchemaRoot b = batch(schema, 0, 2000)) {
      Lance20Oracle.write(ours, schema, Long.MAX_VALUE, List.of(b));
      RealLanceFiles.write(lances, RealLanceFiles.FormatVersion.V2_0, alloc, schema.getCustomMetadata(), List.of(b));
    }
    assertThat(Lance20Oracle.assertSamePagesAsLance(ours, lances)).isEmpty();
  }

  /** A signature wrapped so AssertJ prints it plainly. */
  private record ArrayEncoding20(String signature) {}
}
