package dev.lancemerge.format.robust;

import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.TestTables;
import dev.lancemerge.format.proto.ColumnMetadata;
import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceIndexes;
import dev.lancemerge.oracle.RealLanceIndexes.IvfModel;
import dev.lancemerge.oracle.RealLanceIndexes.PqModel;
import dev.lancemerge.oracle.RealLanceIndexes.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import java.util.stream.IntStream;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.index.DistanceType;
import org.lance.index.IndexType;

/** Small files written by real Lance (lance-core 7.0.0), the starting points of the corruption tests. */
final class RealSources {
  private RealSources() {}

  static final Map<String, String> METADATA = Map.of("lance:ivf", "1", "rows_per_zone", "64");

  /**
   * A 2.0, 2.1 or 2.2 data file of every type TestTables has (strings, dictionary strings, large strings, binary,
   * FSL of floats and bytes, lists of ints and strings, an all-null column) with nulls; in 2.1 that gives
   * mini-block pages (flat, bitpacked, variable, dictionary, FSL, with repetition), full-zip pages (FSST
   * strings, FSL of 128 floats) and a constant page; 2.2 adds LZ4-compressed dictionaries and levels.
   */
  static Path dataFile(Path dir, String version, BufferAllocator alloc, int rows) throws IOException {
    Schema schema = TestTables.allTypes(true, METADATA);
    Path file = dir.resolve("data-" + version + ".lance");
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try {
      for (int start = 0; start < rows; start += rows / 2) {
        batches.add(TestTables.batch(schema, alloc, 99, start, Math.min(rows / 2, rows - start)));
      }
      RealLanceFiles.write(file, version, alloc, METADATA, batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
    return file;
  }

  /**
   * A 2.1+ file whose columns have three pages each, all written by real Lance: the pages of three small real
   * files (300 rows, 60 rows where every column but {@code _rowid} is null, so all-null constant pages, and 500
   * rows) copied byte for byte, column by column, into one file by our writer's page copy, plus an extra global
   * buffer. Real Lance only starts a new page every few MiB, so this is how small files get page boundaries.
   */
  static Path multiPageFile(Path dir, String version, BufferAllocator alloc) throws IOException {
    Schema schema = TestTables.allTypes(true, METADATA);
    List<Path> parts = new ArrayList<>();
    int[] rows = {300, 60, 500};
    for (int i = 0; i < rows.length; i++) {
      Path part = dir.resolve("part" + i + "-" + version + ".lance");
      try (VectorSchemaRoot b = i == 1 ? allNull(schema, alloc, rows[i]) : TestTables.batch(schema, alloc, 7 + i, 0, rows[i])) {
        RealLanceFiles.write(part, version, alloc, METADATA, List.of(b));
      }
      parts.add(part);
    }
    Path file = dir.resolve("pages-" + version + ".lance");
    List<LanceFileParts> real = new ArrayList<>();
    for (Path p : parts) {
      real.add(LanceFileParts.parse(Files.readAllBytes(p)));
    }
    org.apache.arrow.vector.types.pojo.Schema arrow;
    try (LanceFileReader r = LanceFileReader.open(parts.get(0))) {
      arrow = r.schema().arrow();
    }
    try (LanceFileWriter w = LanceFileWriter.create(file, arrow, FileVersion.parse(version))) {
      for (int c = 0; c < real.get(0).numColumns(); c++) {
        long row = 0;
        for (LanceFileParts part : real) {
          for (ColumnMetadata.Page page : part.column(c).getPagesList()) {
            List<ByteBuffer> buffers = new ArrayList<>();
            for (int b = 0; b < page.getBufferOffsetsCount(); b++) {
              buffers.add(ByteBuffer.wrap(part.bytes, (int) page.getBufferOffsets(b), (int) page.getBufferSizes(b)).slice());
            }
            w.writePage(c, row, new EncodedPage(page.getLength(), buffers, LanceFileParts.pageAny(page)));
            row += page.getLength();
          }
        }
      }
      w.setRowCount(IntStream.of(rows).sum());
      w.addGlobalBuffer("an extra global buffer".getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  private static VectorSchemaRoot allNull(Schema schema, BufferAllocator alloc, int n) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
    root.allocateNew();
    UInt8Vector rowid = (UInt8Vector) root.getVector("_rowid");
    for (int i = 0; i < n; i++) {
      rowid.setSafe(i, i);
    }
    root.getFieldVectors().forEach(v -> v.setValueCount(n));
    root.setRowCount(n);
    return root;
  }

  /**
   * Index segment files of a two-fragment dataset: IVF_PQ (8-bit on 2.1, 4-bit on 2.0) {@code auxiliary.idx}
   * and {@code index.idx}, the IVF_HNSW_SQ {@code index.idx} (list columns; 2.1 only) and a ZoneMap on the
   * nullable string column.
   */
  static Map<String, Path> indexFiles(Path dir, String version, BufferAllocator alloc) throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    Path ds = dir.resolve("ds-" + version);
    try (Dataset d = RealLanceIndexes.createDataset(ds, alloc, 16, 5, version, 500, 300)) {
      List<Integer> fids = RealLanceIndexes.fragmentIds(d);
      IvfModel ivf = RealLanceIndexes.trainIvf(d, RealLanceIndexes.VEC, 8, DistanceType.L2);
      int bits = version.equals("2.0") ? 4 : 8;
      PqModel pq = RealLanceIndexes.trainPq(d, RealLanceIndexes.VEC, 4, bits, DistanceType.L2);
      Segment pqSeg = RealLanceIndexes.buildSegment(d, ds, RealLanceIndexes.VEC, "pq", IndexType.IVF_PQ,
          RealLanceIndexes.vectorParams(IndexType.IVF_PQ, ivf, pq), fids.get(1));
      out.put("ivf_pq" + bits + "-aux-" + version, pqSeg.dir().resolve("auxiliary.idx"));
      out.put("ivf_pq" + bits + "-index-" + version, pqSeg.dir().resolve("index.idx"));
      if (version.equals("2.1")) {
        Segment hnsw = RealLanceIndexes.buildSegment(d, ds, RealLanceIndexes.VEC, "hnsw", IndexType.IVF_HNSW_SQ,
            RealLanceIndexes.vectorParams(IndexType.IVF_HNSW_SQ, ivf, null), fids.get(0));
        out.put("ivf_hnsw_sq-index-" + version, hnsw.dir().resolve("index.idx"));
      }
      Segment zm = RealLanceIndexes.buildZoneMapSegments(d, ds, RealLanceIndexes.STR, "zm", 64, List.of(fids.get(0)))
          .get(0);
      out.put("zonemap_str-" + version, zm.dir().resolve("zonemap.lance"));
    }
    return out;
  }
}
