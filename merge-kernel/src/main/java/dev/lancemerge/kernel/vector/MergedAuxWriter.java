package dev.lancemerge.kernel.vector;

import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.LanceTypeUrls;
import dev.lancemerge.format.PageSlice;
import dev.lancemerge.format.RowBytes;
import dev.lancemerge.format.RowBytesLocator;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.index.IVF;
import dev.lancemerge.format.proto.v21.CompressiveEncoding;
import dev.lancemerge.format.proto.v21.FixedSizeList;
import dev.lancemerge.format.proto.v21.Flat;
import dev.lancemerge.format.proto.v21.FullZipLayout;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.format.proto.v21.RepDefLayer;
import dev.lancemerge.kernel.MergeException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes the unified {@code auxiliary.idx}: {@code _rowid} and the vector column, partition by
 * partition, each partition's rows shard by shard. Uncompressed vectors of 256 bytes or more go
 * into full-zip pages copied file-to-file; narrower codes, PQ codes (transposed per partition) and
 * re-quantized SQ codes pass through the heap a window at a time.
 */
final class MergedAuxWriter implements Closeable {
  private static final int FULL_ZIP_MIN_BYTES = 256;

  private final VectorMergePlan plan;
  private final MergeOptions options;
  private final LanceFileWriter writer;
  private final Quantizer output;
  private final int codeBytes;
  private final boolean rawCopy;
  private final boolean fullZip;
  private final List<PageSlice> pendingSlices = new ArrayList<>();
  private final java.util.Map<VectorSegment, SegmentWindow> rowIdWindows = new java.util.IdentityHashMap<>();
  private final java.util.Map<VectorSegment, SegmentWindow> codeWindows = new java.util.IdentityHashMap<>();
  private final FragmentCoverage coverage = new FragmentCoverage();
  private long pendingRows;
  private long pendingBytes;

  MergedAuxWriter(Path file, VectorMergePlan plan, MergeOptions options) throws IOException {
    this.plan = plan;
    this.options = options;
    this.output = plan.output();
    this.codeBytes = output.codeBytes();
    boolean sameSq = output instanceof Quantizer.Sq sq && plan.segments().stream()
        .map(s -> (Quantizer.Sq) s.quantizer()).allMatch(q -> q.start() == sq.start() && q.end() == sq.end());
    this.rawCopy = output instanceof Quantizer.Flat || sameSq;
    this.fullZip = rawCopy && codeBytes >= FULL_ZIP_MIN_BYTES;
    boolean pq = output instanceof Quantizer.Pq;
    int ivfBuffer = pq ? 2 : 1;
    Map<String, String> meta = new LinkedHashMap<>();
    VectorSegment first = plan.first();
    meta.put("distance_type", first.distance().text());
    meta.put("lance:ivf", Integer.toString(ivfBuffer));
    String q = IndexMetadataJson.quantizer(output, pq ? 1 : 0);
    meta.put("storage_metadata", IndexMetadataJson.storageMetadata(q));
    if (pq) {
      meta.put("lance:pq", q);
    } else if (output instanceof Quantizer.Sq) {
      meta.put("lance:sq", q);
    }
    meta.put("lance:index", IndexMetadataJson.index(first.type(), first.distance()));
    Schema schema = new Schema(List.of(
        new Field("_rowid", FieldType.nullable(new ArrowType.Int(64, false)), null),
        vectorField(first.aux().schema().arrow().getFields().get(first.vectorField()))), meta);
    this.writer = LanceFileWriter.create(file, schema, FileVersion.V2_1, options.pageBytes());
    writer.setSyncOnClose(options.durable());
    writer.setBitpacking(true); // row ids use few of their 64 bits: Lance packs them too
    if (pq) {
      writer.addGlobalBuffer(((Quantizer.Pq) output).codebook().toByteArray());
    }
    writer.addGlobalBuffer(ivf(plan).toByteArray());
  }

  /** The vector column as Lance's merge writes it: nullable, items nullable, same element type. */
  private static Field vectorField(Field source) {
    Field item = source.getChildren().get(0);
    return new Field(source.getName(), FieldType.nullable(source.getType()),
        List.of(new Field("item", FieldType.nullable(item.getType()), null)));
  }

  /** Storage IVF: lengths and cumulative offsets, no centroids (those live in index.idx). */
  static IVF ivf(VectorMergePlan plan) {
    IVF.Builder b = IVF.newBuilder();
    long offset = 0;
    for (int p = 0; p < plan.partitions(); p++) {
      b.addOffsets(offset).addLengths((int) plan.length(p));
      offset += plan.length(p);
    }
    return b.build();
  }

  /** Writes partition {@code p}: every segment's rows of it, in segment order. */
  void writePartition(int p) throws IOException {
    if (output instanceof Quantizer.Pq pq) {
      writePqPartition(p, pq);
      return;
    }
    for (VectorSegment s : plan.segments()) {
      long from = s.offset(p);
      long to = from + s.length(p);
      copyRowIds(s, p, from, to);
      if (rawCopy) {
        copyRaw(s, from, to);
      } else {
        requantize(s, p, from, to);
      }
    }
  }

  private long windowRows() {
    return Math.max(1, options.memoryBudgetBytes() / 4 / Math.max(8, codeBytes));
  }

  /** Rows of one segment's window: an equal share of the memory budget per segment and column. */
  private long windowShare(int bytesPerRow) {
    return Math.max(1, options.memoryBudgetBytes() / 4 / plan.segments().size() / Math.max(1, bytesPerRow));
  }

  private void copyRowIds(VectorSegment s, int p, long from, long to) throws IOException {
    if (from == to) {
      return;
    }
    SegmentWindow w = rowIdWindows.computeIfAbsent(s, k -> new SegmentWindow(k, k.rowIdField(), windowShare(8)));
    ColumnData ids = w.rows(p, from, to);
    coverage.add(s, ids);
    writer.write(0, ColumnData.fixed(ids.length(), 8, ids.values(), null));
  }

  private void copyRaw(VectorSegment s, long from, long to) throws IOException {
    LanceFileReader aux = s.aux();
    Optional<List<RowBytes>> located;
    try {
      located = RowBytesLocator.locate(aux, s.vectorField(), from, to);
    } catch (LanceFormatException e) {
      throw s.fail("auxiliary.idx: " + e.problem());
    }
    if (located.isPresent()) {
      for (RowBytes r : located.get()) {
        if (fullZip) {
          addSlice(new PageSlice.OfFile(aux.channel(), r.position(), r.length()), r.rows());
        } else {
          for (long a = 0; a < r.rows(); a += windowRows()) {
            long n = Math.min(r.rows() - a, windowRows());
            ByteBuffer bytes = aux.readAt(r.position() + a * codeBytes, n * codeBytes);
            writeCodes(bytes.array(), (int) n);
          }
        }
      }
      return;
    }
    for (long a = from; a < to; a += windowRows()) {
      long b = Math.min(to, a + windowRows());
      byte[] values = codes(s, a, b);
      if (fullZip) {
        addSlice(new PageSlice.OfBytes(ByteBuffer.wrap(values)), b - a);
      } else {
        writeCodes(values, (int) (b - a));
      }
    }
  }

  private void requantize(VectorSegment s, int p, long from, long to) throws IOException {
    for (long a = from; a < to; a += windowRows()) {
      long b = Math.min(to, a + windowRows());
      byte[] codes = SqCodes.requantize(windowedCodes(s, p, a, b), (Quantizer.Sq) s.quantizer(), (Quantizer.Sq) output);
      writeCodes(codes, (int) (b - a));
    }
  }

  private void writePqPartition(int p, Quantizer.Pq pq) throws IOException {
    long n = plan.length(p);
    for (VectorSegment s : plan.segments()) {
      copyRowIds(s, p, s.offset(p), s.offset(p) + s.length(p));
    }
    if (n == 0) {
      return;
    }
    if (n * codeBytes <= options.memoryBudgetBytes()) {
      writeCodes(PqCodes.transpose(partitionCodes(p, n), (int) n, codeBytes), (int) n);
    } else {
      streamTransposed(p);
    }
  }

  /** The partition's codes, row-major, all segments in order (each segment's own transposition undone). */
  private byte[] partitionCodes(int p, long n) throws IOException {
    byte[] rowMajor = new byte[(int) (n * codeBytes)];
    int at = 0;
    for (VectorSegment s : plan.segments()) {
      long from = s.offset(p);
      long len = s.length(p);
      if (len == 0) {
        continue;
      }
      SegmentWindow w = codeWindow(s);
      ColumnData window = w.window(p, from, from + len);
      byte[] codes = codeBytes(s, window, 0, window.length());
      int start = w.index(from) * codeBytes;
      int bytes = (int) (len * codeBytes);
      if (((Quantizer.Pq) s.quantizer()).transposed()) {
        byte[] rows = PqCodes.untranspose(java.util.Arrays.copyOfRange(codes, start, start + bytes), (int) len, codeBytes);
        System.arraycopy(rows, 0, rowMajor, at, bytes);
      } else {
        System.arraycopy(codes, start, rowMajor, at, bytes); // straight from the window: no slice in between
      }
      at += bytes;
    }
    return rowMajor;
  }

  /**
   * A partition too large to transpose in memory: the transposed layout is byte 0 of every row,
   * then byte 1, ...; produce it in that order with one pass over the partition per code byte,
   * reading a window of rows at a time, and cut the stream back into rows as it goes.
   */
  private void streamTransposed(int p) throws IOException {
    int window = (int) Math.max(1, Math.min(windowRows(), Integer.MAX_VALUE / codeBytes));
    byte[] rows = new byte[window * codeBytes];
    int filled = 0;
    for (int b = 0; b < codeBytes; b++) {
      for (VectorSegment s : plan.segments()) {
        long len = s.length(p);
        boolean transposed = ((Quantizer.Pq) s.quantizer()).transposed();
        for (long i0 = 0; i0 < len; i0 += window) {
          long i1 = Math.min(len, i0 + window);
          byte[] column = transposed ? transposedSlice(s, p, b, i0, i1) : byteColumn(s, p, b, i0, i1);
          int at = 0;
          while (at < column.length) {
            int n = Math.min(column.length - at, rows.length - filled);
            System.arraycopy(column, at, rows, filled, n);
            at += n;
            filled += n;
            if (filled == rows.length) {
              writeCodes(rows.clone(), window);
              filled = 0;
            }
          }
        }
      }
    }
    if (filled > 0) {
      writeCodes(java.util.Arrays.copyOf(rows, filled), filled / codeBytes);
    }
  }

  /** Byte {@code b} of rows {@code [i0, i1)} of a row-major partition. */
  private byte[] byteColumn(VectorSegment s, int p, int b, long i0, long i1) throws IOException {
    byte[] codes = codes(s, s.offset(p) + i0, s.offset(p) + i1);
    byte[] out = new byte[(int) (i1 - i0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = codes[i * codeBytes + b];
    }
    return out;
  }

  /** Byte {@code b} of rows {@code [i0, i1)} of a transposed partition: one contiguous run of its bytes. */
  private byte[] transposedSlice(VectorSegment s, int p, int b, long i0, long i1) throws IOException {
    long len = s.length(p);
    long first = b * len + i0;
    long last = b * len + i1;
    long rowFrom = first / codeBytes;
    long rowTo = (last + codeBytes - 1) / codeBytes;
    byte[] codes = codes(s, s.offset(p) + rowFrom, s.offset(p) + rowTo);
    int skip = (int) (first - rowFrom * codeBytes);
    return java.util.Arrays.copyOfRange(codes, skip, skip + (int) (i1 - i0));
  }

  /** As {@link #codes}, served from a window of partitions decoded together. */
  private byte[] windowedCodes(VectorSegment s, int p, long a, long b) throws IOException {
    return codeBytes(s, codeWindow(s).rows(p, a, b), a, b);
  }

  private SegmentWindow codeWindow(VectorSegment s) {
    return codeWindows.computeIfAbsent(s, k -> new SegmentWindow(k, k.vectorField(), windowShare(codeBytes)));
  }

  /** The stored bytes of rows {@code [a, b)} of the segment's vector column. */
  private byte[] codes(VectorSegment s, long a, long b) throws IOException {
    ColumnData d;
    try {
      d = s.aux().readData(s.vectorField(), a, b);
    } catch (LanceFormatException e) {
      throw s.fail("auxiliary.idx: " + e.problem());
    }
    return codeBytes(s, d, a, b);
  }

  private byte[] codeBytes(VectorSegment s, ColumnData d, long a, long b) throws MergeException {
    if (d.kind() != ColumnData.Kind.FIXED_SIZE_LIST || d.nullCount() > 0 || d.child().kind() != ColumnData.Kind.FIXED) {
      throw s.fail("auxiliary.idx column '" + s.quantizer().column() + "' has null or non fixed-width rows");
    }
    byte[] v = d.child().values();
    long bytes = (b - a) * codeBytes;
    if (bytes != (long) d.child().length() * d.child().byteWidth()) {
      throw s.fail("auxiliary.idx column '" + s.quantizer().column() + "' rows are not " + codeBytes + " bytes");
    }
    return v.length == bytes ? v : java.util.Arrays.copyOf(v, (int) bytes);
  }

  private void writeCodes(byte[] bytes, int rows) throws IOException {
    int elem = codeBytes / output.dimensionItems();
    ColumnData items = ColumnData.fixed(rows * output.dimensionItems(), elem, bytes, null);
    writer.write(1, ColumnData.fixedSizeList(rows, output.dimensionItems(), items, null));
  }

  private void addSlice(PageSlice slice, long rows) throws IOException {
    pendingSlices.add(slice);
    pendingRows += rows;
    pendingBytes += slice.length();
    if (pendingBytes >= options.pageBytes()) {
      flushSlices();
    }
  }

  private void flushSlices() throws IOException {
    if (pendingRows == 0) {
      return;
    }
    Quantizer.Flat flat = (Quantizer.Flat) rawFlat();
    PageLayout layout = PageLayout.newBuilder().setFullZipLayout(FullZipLayout.newBuilder()
        .setBitsPerValue(codeBytes * 8)
        .setNumItems((int) pendingRows)
        .setNumVisibleItems((int) pendingRows)
        .setValueCompression(CompressiveEncoding.newBuilder().setFixedSizeList(FixedSizeList.newBuilder()
            .setItemsPerValue(flat.dimension())
            .setValues(CompressiveEncoding.newBuilder().setFlat(Flat.newBuilder().setBitsPerValue(flat.elementBytes() * 8L)))))
        .addLayers(RepDefLayer.REPDEF_ALL_VALID_ITEM)).build();
    writer.writeSlicedPage(1, pendingRows, List.copyOf(pendingSlices), LanceTypeUrls.pack(layout));
    pendingSlices.clear();
    pendingRows = 0;
    pendingBytes = 0;
  }

  /** The output column as raw fixed-size lists: FLAT as is, SQ as dim bytes. */
  private Quantizer rawFlat() {
    return output instanceof Quantizer.Flat f ? f : new Quantizer.Flat(output.dimension(), 1);
  }

  /**
   * The fragments of every row written, once all partitions are; fails if two segments cover one
   * fragment (see {@link FragmentCoverage#check}).
   */
  java.util.SortedSet<Integer> fragments() throws MergeException {
    return coverage.check(plan.segments());
  }

  /** Finishes the file: last pages, metadata, footer. */
  @Override
  public void close() throws IOException {
    flushSlices();
    writer.close();
  }

  /** Gives up on a half-written file: closes it without a footer (its directory is discarded). */
  void abort() {
    writer.abort();
  }
}
