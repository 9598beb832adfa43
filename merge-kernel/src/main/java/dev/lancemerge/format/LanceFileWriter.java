package dev.lancemerge.format;

import com.google.protobuf.ByteString;
import dev.lancemerge.format.data.ArrowConversion;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
import dev.lancemerge.format.proto.ColumnMetadata;
import dev.lancemerge.format.proto.DirectEncoding;
import dev.lancemerge.format.proto.Encoding;
import dev.lancemerge.format.proto.FileDescriptor;
import dev.lancemerge.format.v20.LegacyFieldEncoder;
import dev.lancemerge.format.v21.StructuralFieldEncoder;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes a Lance file, 2.1 (default) or 2.0, streaming: rows are buffered per field only until a
 * page is full, then encoded and written, so memory is bounded by the page size and not by the file.
 * Page and global buffers start on 64-byte boundaries (padded with 0x48 as Lance does); schema,
 * column metadata, tables and footer follow unpadded.
 */
public final class LanceFileWriter implements Closeable {
  /** Default bytes buffered per field before a page is written (Lance uses about 8 MiB). */
  public static final long DEFAULT_PAGE_BYTES = 8L << 20;
  private static final int ALIGN = 64;
  private static final byte PAD = 0x48;

  private final Path path;
  private final FileChannel out;
  private final LanceSchema schema;
  private final FileVersion version;
  private FieldEncoder encoder;
  private final long pageBytes;
  private final List<List<ColumnMetadata.Page>> pages = new ArrayList<>();
  private final List<BufferRange> globalBuffers = new ArrayList<>();
  private final List<List<ColumnData>> pending = new ArrayList<>();
  private final long[] pendingBytes;
  private final long[] rowsWritten;
  private final int[] firstColumn;
  private long position;
  private long rows;
  private boolean closed;
  private boolean syncOnClose = true;

  private LanceFileWriter(Path path, Schema arrow, FileVersion version, long pageBytes) throws IOException {
    this.path = path;
    this.version = version;
    this.schema = LanceSchema.of(arrow, version);
    this.encoder = version.isStructural() ? new StructuralFieldEncoder(version) : new LegacyFieldEncoder();
    this.pageBytes = pageBytes;
    int fields = arrow.getFields().size();
    this.pendingBytes = new long[fields];
    this.rowsWritten = new long[fields];
    this.firstColumn = new int[fields];
    Arrays.fill(firstColumn, -1);
    for (LanceColumn c : schema.columns()) {
      pages.add(new ArrayList<>());
      if (firstColumn[c.topLevel()] < 0) {
        firstColumn[c.topLevel()] = c.index();
      }
    }
    for (int f = 0; f < fields; f++) {
      pending.add(new ArrayList<>());
    }
    globalBuffers.add(null); // slot 0: the schema, written at close
    this.out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /** Creates {@code path} (it must not exist) for a file of {@code schema} in {@code version}. */
  public static LanceFileWriter create(Path path, Schema schema, FileVersion version) throws IOException {
    return create(path, schema, version, DEFAULT_PAGE_BYTES);
  }

  /** As {@link #create(Path, Schema, FileVersion)} with a chosen page size in bytes. */
  public static LanceFileWriter create(Path path, Schema schema, FileVersion version, long pageBytes) throws IOException {
    if (pageBytes <= 0) {
      throw new IllegalArgumentException("page size must be positive");
    }
    return new LanceFileWriter(path, schema, version, pageBytes);
  }

  public FileVersion version() {
    return version;
  }

  /**
   * Whether integer columns written from now on are bit-packed (Lance's {@code inline_bitpacking}) where
   * their values leave high bits unused, as Lance writes them; off by default, every column flat. 2.1
   * and later only.
   */
  public void setBitpacking(boolean bitpack) {
    if (!version.isStructural()) {
      throw new IllegalStateException("bit-packing needs file version 2.1 or later, not " + version.label());
    }
    this.encoder = new StructuralFieldEncoder(version, bitpack);
  }

  /** Whether {@link #close()} forces the file to disk (default true). */
  public void setSyncOnClose(boolean sync) {
    this.syncOnClose = sync;
  }

  public LanceSchema schema() {
    return schema;
  }

  /** Appends a batch; its schema must have this file's fields in the same order. */
  public void write(VectorSchemaRoot batch) throws IOException {
    List<FieldVector> vectors = batch.getFieldVectors();
    if (vectors.size() != schema.arrow().getFields().size()) {
      throw new IllegalArgumentException("batch has " + vectors.size() + " columns, the file " + schema.arrow().getFields().size());
    }
    for (int f = 0; f < vectors.size(); f++) {
      write(f, ArrowConversion.fromVector(vectors.get(f)));
    }
  }

  /** Appends rows to one top-level field; every field must receive the same number of rows in total. */
  public void write(int field, ColumnData data) throws IOException {
    ensureOpen();
    pending.get(field).add(data);
    pendingBytes[field] += estimateBytes(data);
    rowsWritten[field] += data.length();
    if (pendingBytes[field] >= pageBytes) {
      flushField(field);
    }
  }

  /**
   * Writes an already encoded page for one physical column, bypassing the encoder (used to copy
   * page bytes from another file unchanged). Pages of a column must arrive in row order.
   */
  public void writePage(int column, long firstRow, EncodedPage page) throws IOException {
    ensureOpen();
    ColumnMetadata.Page.Builder pb = ColumnMetadata.Page.newBuilder().setLength(page.length()).setPriority(firstRow);
    for (ByteBuffer b : page.buffers()) {
      long size = b.remaining();
      pb.addBufferOffsets(writeAligned(b)).addBufferSizes(size);
    }
    pb.setEncoding(direct(page.encoding().toByteString()));
    pages.get(column).add(pb.build());
  }

  /**
   * Writes a one-buffer page whose bytes are the concatenation of {@code slices}, copying file
   * ranges with {@code transferTo} so they never pass through the heap. The page holds
   * {@code rows} rows of top-level field {@code field}, which must have a single column and receive
   * all its rows this way.
   */
  public void writeSlicedPage(int field, long rows, List<PageSlice> slices, com.google.protobuf.Any encoding)
      throws IOException {
    ensureOpen();
    if (!pending.get(field).isEmpty()) {
      throw new IllegalStateException("field " + field + " mixes buffered rows and sliced pages");
    }
    int column = firstColumn[field];
    pad();
    long at = position;
    for (PageSlice slice : slices) {
      if (slice instanceof PageSlice.OfFile f) {
        long done = 0;
        while (done < f.length()) {
          long n = f.channel().transferTo(f.position() + done, f.length() - done, out.position(position));
          if (n <= 0) {
            throw new IOException("could not copy " + (f.length() - done) + " bytes into " + path);
          }
          done += n;
          position += n;
        }
      } else {
        writeUnaligned(((PageSlice.OfBytes) slice).bytes().duplicate());
      }
    }
    pages.get(column).add(ColumnMetadata.Page.newBuilder()
        .setLength(rows)
        .setPriority(rowsWritten[field])
        .addBufferOffsets(at)
        .addBufferSizes(position - at)
        .setEncoding(direct(encoding.toByteString()))
        .build());
    rowsWritten[field] += rows;
  }

  /** Bytes written so far. */
  public long position() {
    return position;
  }

  /** Declares the row count when pages were written directly with {@link #writePage}. */
  public void setRowCount(long rows) {
    this.rows = rows;
  }

  /** Writes an extra global buffer now and returns its index (1, 2, ...). */
  public int addGlobalBuffer(byte[] bytes) throws IOException {
    ensureOpen();
    long at = writeAligned(ByteBuffer.wrap(bytes));
    globalBuffers.add(new BufferRange(at, bytes.length));
    return globalBuffers.size() - 1;
  }

  private void flushField(int field) throws IOException {
    List<ColumnData> parts = pending.get(field);
    if (parts.isEmpty()) {
      return;
    }
    ColumnData rowsData = ColumnDataOps.concat(parts);
    parts.clear();
    pendingBytes[field] = 0;
    long firstRow = rowsWritten[field] - rowsData.length();
    Field f = schema.arrow().getFields().get(field);
    List<EncodedPage> encoded = encoder.encode(f, rowsData);
    int col = firstColumn[field];
    for (int i = 0; i < encoded.size(); i++) {
      writePage(col + i, firstRow, encoded.get(i));
    }
  }

  /** Pads to the next 64-byte boundary, writes the buffer there and returns where it starts. */
  private long writeAligned(ByteBuffer src) throws IOException {
    pad();
    long at = position;
    writeUnaligned(src.duplicate());
    return at;
  }

  private void pad() throws IOException {
    long padded = (position + ALIGN - 1) / ALIGN * ALIGN;
    if (padded > position) {
      byte[] pad = new byte[(int) (padded - position)];
      Arrays.fill(pad, PAD);
      writeUnaligned(ByteBuffer.wrap(pad));
    }
  }

  private void writeUnaligned(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      position += out.write(b, position);
    }
  }

  private static Encoding direct(ByteString anyBytes) {
    return Encoding.newBuilder().setDirect(DirectEncoding.newBuilder().setEncoding(anyBytes)).build();
  }

  private static long estimateBytes(ColumnData d) {
    long n = d.values() == null ? 0 : d.values().length;
    n += d.offsets() == null ? 0 : 8L * d.offsets().length;
    for (ColumnData c : d.children()) {
      n += estimateBytes(c);
    }
    return n;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("writer for " + path + " is closed");
    }
  }

  /**
   * Closes the file without finishing it (no schema, no footer): for a write that failed part way.
   * The caller deletes or discards the file; no reader accepts it.
   */
  public void abort() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException ignored) {
      // the file is being thrown away
    }
  }

  /** Writes remaining pages, the schema, column metadata, tables and footer, and closes the file. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      for (int f = 0; f < pending.size(); f++) {
        flushField(f);
      }
      if (rowsWritten.length > 0) {
        long n = rowsWritten[0];
        for (int f = 1; f < rowsWritten.length; f++) {
          if (rowsWritten[f] != n) {
            throw new IllegalStateException("field " + f + " received " + rowsWritten[f] + " rows, field 0 " + n);
          }
        }
        if (n > 0 || rows == 0) {
          rows = n;
        }
      }
      byte[] descriptor =
          FileDescriptor.newBuilder().setSchema(schema.toProto()).setLength(rows).build().toByteArray();
      long gb0 = writeAligned(ByteBuffer.wrap(descriptor));
      globalBuffers.set(0, new BufferRange(gb0, descriptor.length));
      long columnMetaStart = position;
      List<BufferRange> cmo = new ArrayList<>();
      ByteString columnEncoding = LanceTypeUrls.plainColumnEncoding().toByteString();
      for (List<ColumnMetadata.Page> colPages : pages) {
        byte[] meta = ColumnMetadata.newBuilder()
            .setEncoding(direct(columnEncoding))
            .addAllPages(colPages)
            .build()
            .toByteArray();
        cmo.add(new BufferRange(position, meta.length));
        writeUnaligned(ByteBuffer.wrap(meta));
      }
      long cmoStart = position;
      writeUnaligned(table(cmo));
      long gboStart = position;
      writeUnaligned(table(globalBuffers));
      Footer footer = new Footer(columnMetaStart, cmoStart, gboStart, globalBuffers.size(), pages.size(), version);
      writeUnaligned(footer.toBytes());
      if (syncOnClose) {
        out.force(false);
      }
    } finally {
      closed = true;
      out.close();
    }
  }

  private static ByteBuffer table(List<BufferRange> entries) {
    ByteBuffer b = ByteBuffer.allocate(entries.size() * 16).order(ByteOrder.LITTLE_ENDIAN);
    for (BufferRange r : entries) {
      b.putLong(r.position()).putLong(r.size());
    }
    return b.flip();
  }

  public Path path() {
    return path;
  }
}
