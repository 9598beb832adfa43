package dev.lancemerge.format;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.lancemerge.format.data.ArrowConversion;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.ColumnMetadata;
import dev.lancemerge.format.proto.Encoding;
import dev.lancemerge.format.proto.FileDescriptor;
import dev.lancemerge.format.v20.LegacyFieldDecoder;
import dev.lancemerge.format.v21.StructuralFieldDecoder;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Reads a Lance file (format 2.0, 2.1 or 2.2): footer, schema and metadata, global buffers, the
 * page index of every column, and column data as Arrow vectors for any row range, touching only the
 * pages that hold those rows. Every structural fact is checked against the file size before it is
 * used, so a corrupt file gives a {@link LanceFormatException} naming the file and the problem.
 */
public final class LanceFileReader implements Closeable {
  /** Largest metadata region (schema, column metadata, tables) we read into memory. */
  static final long MAX_METADATA_BYTES = 256L << 20;
  /** Largest single buffer read into one array. */
  public static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE - 64;

  private final Path path;
  private final FileChannel channel;
  private final long fileSize;
  private final Footer footer;
  private final List<BufferRange> globalBuffers;
  private final long numRows;
  private final LanceSchema schema;
  private final List<ColumnMetadata> columnMetadata;
  private final List<List<PageInfo>> pages;
  private final FieldDecoder decoder;

  private LanceFileReader(Path path, FileChannel channel) throws IOException {
    this.path = path;
    this.channel = channel;
    this.fileSize = channel.size();
    if (fileSize < Footer.SIZE) {
      throw new LanceFormatException(path, "file is " + fileSize + " bytes, too short for a Lance footer (40 bytes)");
    }
    this.footer = Footer.parse(readAt(fileSize - Footer.SIZE, Footer.SIZE), fileSize, path);
    long metadataBytes = fileSize - footer.columnMetaStart();
    if (metadataBytes > MAX_METADATA_BYTES) {
      throw new LanceFormatException(path, "metadata region of " + metadataBytes + " bytes exceeds the limit of " + MAX_METADATA_BYTES);
    }
    this.globalBuffers = readTable(footer.globalBufferOffsetsStart(), footer.numGlobalBuffers(), "global buffer");
    for (int i = 0; i < globalBuffers.size(); i++) {
      BufferRange g = globalBuffers.get(i);
      if (g.end() > footer.columnMetaStart()) {
        throw new LanceFormatException(path, "global buffer " + i + " [" + g.position() + ", " + g.end()
            + ") overlaps the metadata that starts at " + footer.columnMetaStart());
      }
      if (footer.version().isStructural() && g.position() % 64 != 0) {
        throw new LanceFormatException(path, "global buffer " + i + " at " + g.position() + " is not 64-byte aligned (required by " + footer.version().label() + ")");
      }
    }
    BufferRange gb0 = globalBuffers.get(0);
    if (gb0.size() > MAX_METADATA_BYTES) {
      throw new LanceFormatException(path, "schema buffer of " + gb0.size() + " bytes exceeds the limit");
    }
    FileDescriptor descriptor;
    try {
      descriptor = FileDescriptor.parseFrom(readAt(gb0.position(), (int) gb0.size()));
    } catch (InvalidProtocolBufferException e) {
      throw new LanceFormatException(path, "schema (global buffer 0) does not parse as a FileDescriptor: " + e.getMessage(), e);
    }
    this.numRows = descriptor.getLength();
    if (numRows < 0) {
      throw new LanceFormatException(path, "row count " + Long.toUnsignedString(numRows) + " is out of range");
    }
    try {
      this.schema = LanceSchema.fromProto(descriptor.getSchema(), footer.version(), path);
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new LanceFormatException(path, "schema (global buffer 0) is not a valid schema: " + e.getMessage(), e);
    }
    for (Field f : schema.arrow().getFields()) {
      checkChildren(f);
    }
    if (schema.columns().size() != footer.numColumns()) {
      throw new LanceFormatException(path, "schema describes " + schema.columns().size() + " columns but the footer declares " + footer.numColumns());
    }
    List<BufferRange> cmo = readTable(footer.columnMetaOffsetsStart(), footer.numColumns(), "column metadata");
    List<ColumnMetadata> metas = new ArrayList<>();
    List<List<PageInfo>> allPages = new ArrayList<>();
    for (int c = 0; c < cmo.size(); c++) {
      BufferRange r = cmo.get(c);
      if (r.position() < footer.columnMetaStart() || r.end() > footer.columnMetaOffsetsStart()) {
        throw new LanceFormatException(path, "column " + c + " metadata [" + r.position() + ", " + r.end() + ") lies outside the column metadata region");
      }
      ColumnMetadata meta;
      try {
        meta = ColumnMetadata.parseFrom(readAt(r.position(), (int) r.size()));
      } catch (InvalidProtocolBufferException e) {
        throw new LanceFormatException(path, "column " + c + " metadata does not parse: " + e.getMessage(), e);
      }
      metas.add(meta);
      allPages.add(pageIndex(c, meta));
    }
    this.columnMetadata = Collections.unmodifiableList(metas);
    this.pages = Collections.unmodifiableList(allPages);
    this.decoder = footer.version().isStructural() ? new StructuralFieldDecoder() : new LegacyFieldDecoder();
  }

  /** Opens a Lance file; the caller closes the reader. */
  public static LanceFileReader open(Path path) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new LanceFormatException(path, "no such file");
    }
    try {
      return new LanceFileReader(path, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private List<PageInfo> pageIndex(int c, ColumnMetadata meta) throws LanceFormatException {
    if (!meta.hasEncoding() || !meta.getEncoding().hasDirect()) {
      throw new LanceFormatException(path, "column " + c + " has no direct column encoding");
    }
    boolean countsRows = footer.version().isStructural() || schema.columns().get(c).field() == topField(c);
    List<PageInfo> out = new ArrayList<>(meta.getPagesCount());
    long row = 0;
    for (int p = 0; p < meta.getPagesCount(); p++) {
      ColumnMetadata.Page page = meta.getPages(p);
      String where = "column " + c + " page " + p;
      if (page.getBufferOffsetsCount() != page.getBufferSizesCount()) {
        throw new LanceFormatException(path, where + " has " + page.getBufferOffsetsCount() + " buffer offsets but " + page.getBufferSizesCount() + " sizes");
      }
      List<BufferRange> bufs = new ArrayList<>(page.getBufferOffsetsCount());
      for (int b = 0; b < page.getBufferOffsetsCount(); b++) {
        long pos = page.getBufferOffsets(b);
        long size = page.getBufferSizes(b);
        if (pos < 0 || size < 0 || size > footer.columnMetaStart() || pos > footer.columnMetaStart() - size) {
          throw new LanceFormatException(path, where + " buffer " + b + " [" + Long.toUnsignedString(pos) + ", +" + Long.toUnsignedString(size) + ") lies outside the data region of " + footer.columnMetaStart() + " bytes");
        }
        if (footer.version().isStructural() && pos % 64 != 0) {
          throw new LanceFormatException(path, where + " buffer " + b + " at " + pos + " is not 64-byte aligned");
        }
        bufs.add(new BufferRange(pos, size));
      }
      if (page.getLength() < 0) {
        throw new LanceFormatException(path, where + " claims " + Long.toUnsignedString(page.getLength()) + " rows");
      }
      out.add(new PageInfo(c, p, row, page.getLength(), List.copyOf(bufs), pageEncoding(page.getEncoding(), where)));
      row += page.getLength();
      if (countsRows && row > numRows) {
        throw new LanceFormatException(path, where + " ends at row " + row + " but the file has " + numRows + " rows");
      }
    }
    if (countsRows && row != numRows) {
      throw new LanceFormatException(path, "column " + c + " pages hold " + row + " rows but the file has " + numRows);
    }
    return Collections.unmodifiableList(out);
  }

  /** Lists and fixed-size lists have exactly one item field; decoders rely on it. */
  private void checkChildren(Field f) throws LanceFormatException {
    ArrowType t = f.getType();
    boolean oneChild = t instanceof ArrowType.List || t instanceof ArrowType.LargeList || t instanceof ArrowType.FixedSizeList;
    if (oneChild && f.getChildren().size() != 1) {
      throw new LanceFormatException(path, "field '" + f.getName() + "' of type " + t + " has " + f.getChildren().size()
          + " item fields, needs exactly 1");
    }
    for (Field c : f.getChildren()) {
      checkChildren(c);
    }
  }

  private Field topField(int column) {
    return schema.arrow().getFields().get(schema.columns().get(column).topLevel());
  }

  private ByteString pageEncoding(Encoding enc, String where) throws LanceFormatException {
    if (!enc.hasDirect()) {
      throw new LanceFormatException(path, where + " uses an indirect or missing encoding, which Lance itself does not write");
    }
    try {
      return Any.parseFrom(enc.getDirect().getEncoding()).getValue();
    } catch (InvalidProtocolBufferException e) {
      throw new LanceFormatException(path, where + " encoding does not parse: " + e.getMessage(), e);
    }
  }

  private List<BufferRange> readTable(long start, int entries, String what) throws IOException {
    ByteBuffer b = readAt(start, Math.multiplyExact(entries, 16));
    List<BufferRange> out = new ArrayList<>(entries);
    for (int i = 0; i < entries; i++) {
      long pos = b.getLong();
      long size = b.getLong();
      if (pos < 0 || size < 0 || pos > fileSize || size > fileSize - pos) {
        throw new LanceFormatException(path, what + " " + i + " [" + Long.toUnsignedString(pos) + ", +" + Long.toUnsignedString(size) + ") lies outside the file of " + fileSize + " bytes");
      }
      out.add(new BufferRange(pos, size));
    }
    return out;
  }

  /** Reads {@code length} bytes at {@code position}; fails clearly if they are not all in the file. */
  public ByteBuffer readAt(long position, long length) throws IOException {
    if (length < 0 || length > MAX_BUFFER_BYTES) {
      throw new LanceFormatException(path, "read of " + length + " bytes is out of range");
    }
    if (position < 0 || position > fileSize - length) {
      throw new LanceFormatException(path, "read of " + length + " bytes at " + position + " runs past the end of the file (" + fileSize + " bytes)");
    }
    ByteBuffer b = ByteBuffer.allocate((int) length);
    long at = position;
    while (b.hasRemaining()) {
      int n = channel.read(b, at);
      if (n < 0) {
        throw new LanceFormatException(path, "file ended at " + at + " while reading " + length + " bytes at " + position);
      }
      at += n;
    }
    return b.flip().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Reads a whole buffer. */
  public ByteBuffer read(BufferRange range) throws IOException {
    return readAt(range.position(), range.size());
  }

  public Path path() {
    return path;
  }

  public FileChannel channel() {
    return channel;
  }

  public long fileSize() {
    return fileSize;
  }

  public FileVersion version() {
    return footer.version();
  }

  public long numRows() {
    return numRows;
  }

  public LanceSchema schema() {
    return schema;
  }

  /** Schema metadata, e.g. {@code lance:ivf} or {@code rows_per_zone}. */
  public Map<String, String> metadata() {
    Map<String, String> m = schema.metadata();
    return m == null ? Map.of() : m;
  }

  /** Global buffers; entry 0 is the schema. */
  public List<BufferRange> globalBuffers() {
    return globalBuffers;
  }

  /** The bytes of global buffer {@code index}. */
  public byte[] readGlobalBuffer(int index) throws IOException {
    if (index < 0 || index >= globalBuffers.size()) {
      throw new LanceFormatException(path, "global buffer " + index + " does not exist (the file has " + globalBuffers.size() + ")");
    }
    ByteBuffer b = read(globalBuffers.get(index));
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** Column metadata of physical column {@code c}, as stored. */
  public ColumnMetadata columnMetadata(int c) {
    return columnMetadata.get(c);
  }

  /** Pages of physical column {@code c}, in row order. */
  public List<PageInfo> pages(int c) {
    return pages.get(c);
  }

  /** Page counts per top-level field name, summed over the field's columns. */
  public Map<String, Integer> pageCounts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    List<Field> fields = schema.arrow().getFields();
    for (Field f : fields) {
      out.put(f.getName(), 0);
    }
    for (LanceColumn c : schema.columns()) {
      out.merge(fields.get(c.topLevel()).getName(), pages.get(c.index()).size(), Integer::sum);
    }
    return out;
  }

  /** Index of the top-level field named {@code name}. */
  public int fieldIndex(String name) throws LanceFormatException {
    List<Field> fields = schema.arrow().getFields();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().equals(name)) {
        return i;
      }
    }
    throw new LanceFormatException(path, "no column named '" + name + "'");
  }

  /** Rows {@code [from, to)} of one top-level field, decoded but not yet in Arrow. */
  public ColumnData readData(int field, long from, long to) throws IOException {
    if (field < 0 || field >= schema.arrow().getFields().size()) {
      throw new IllegalArgumentException("no field " + field);
    }
    if (from < 0 || to > numRows || from > to) {
      throw new IllegalArgumentException("row range [" + from + ", " + to + ") is outside [0, " + numRows + ")");
    }
    if (to - from > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("row range of " + (to - from) + " rows is too large for one read");
    }
    return decoder.read(this, field, from, to);
  }

  /** Rows {@code [from, to)} of one top-level field as an Arrow vector; the caller closes it. */
  public FieldVector read(int field, long from, long to, BufferAllocator allocator) throws IOException {
    return ArrowConversion.toVector(schema.arrow().getFields().get(field), readData(field, from, to), allocator);
  }

  /** Rows {@code [from, to)} of every field; the caller closes the root. */
  public VectorSchemaRoot readRows(long from, long to, BufferAllocator allocator) throws IOException {
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int f = 0; f < schema.arrow().getFields().size(); f++) {
        vectors.add(read(f, from, to, allocator));
      }
    } catch (IOException | RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(schema.arrow(), vectors, (int) (to - from));
  }

  /** All rows of every field. */
  public VectorSchemaRoot readAll(BufferAllocator allocator) throws IOException {
    return readRows(0, numRows, allocator);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

}
