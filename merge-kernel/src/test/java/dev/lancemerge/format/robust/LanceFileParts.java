package dev.lancemerge.format.robust;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.lancemerge.format.proto.ColumnMetadata;
import dev.lancemerge.format.proto.DirectEncoding;
import dev.lancemerge.format.proto.Encoding;
import dev.lancemerge.format.proto.FileDescriptor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side surgery on a valid Lance v2 file held in memory: its footer, tables, schema buffer and column
 * metadata, parsed independently of the reader under test, and a way to put a file back together after
 * replacing any of them (the data region is kept byte for byte; replaced global buffers are appended to it,
 * 64-byte aligned, and the metadata tail is rewritten with consistent offsets).
 */
final class LanceFileParts {
  static final int FOOTER = 40;

  final byte[] bytes;
  final long columnMetaStart;
  final long columnMetaOffsetsStart;
  final long globalBufferOffsetsStart;
  final int major;
  final int minor;
  /** (position, size) of every global buffer. */
  final List<long[]> globalBuffers;
  /** (position, size) of every column's metadata. */
  final List<long[]> columnRanges;

  private LanceFileParts(byte[] bytes) {
    this.bytes = bytes;
    ByteBuffer f = ByteBuffer.wrap(bytes, bytes.length - FOOTER, FOOTER).slice().order(ByteOrder.LITTLE_ENDIAN);
    if (!new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII).equals("LANC")) {
      throw new IllegalArgumentException("not a Lance v2 file");
    }
    columnMetaStart = f.getLong(0);
    columnMetaOffsetsStart = f.getLong(8);
    globalBufferOffsetsStart = f.getLong(16);
    int numGlobal = f.getInt(24);
    int numColumns = f.getInt(28);
    major = Short.toUnsignedInt(f.getShort(32));
    minor = Short.toUnsignedInt(f.getShort(34));
    globalBuffers = table(globalBufferOffsetsStart, numGlobal);
    columnRanges = table(columnMetaOffsetsStart, numColumns);
  }

  static LanceFileParts parse(byte[] bytes) {
    return new LanceFileParts(bytes);
  }

  private List<long[]> table(long start, int n) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new long[] {b.getLong((int) start + 16 * i), b.getLong((int) start + 16 * i + 8)});
    }
    return out;
  }

  boolean structural() {
    return major >= 2 && minor >= 1;
  }

  int numColumns() {
    return columnRanges.size();
  }

  byte[] globalBuffer(int i) {
    long[] r = globalBuffers.get(i);
    return Arrays.copyOfRange(bytes, (int) r[0], (int) (r[0] + r[1]));
  }

  byte[] columnBytes(int c) {
    long[] r = columnRanges.get(c);
    return Arrays.copyOfRange(bytes, (int) r[0], (int) (r[0] + r[1]));
  }

  FileDescriptor descriptor() {
    try {
      return FileDescriptor.parseFrom(globalBuffer(0));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  ColumnMetadata column(int c) {
    try {
      return ColumnMetadata.parseFrom(columnBytes(c));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  List<ColumnMetadata> columns() {
    List<ColumnMetadata> out = new ArrayList<>();
    for (int c = 0; c < numColumns(); c++) {
      out.add(column(c));
    }
    return out;
  }

  /** Byte ranges (position, size) of every page buffer of every column. */
  List<long[]> pageBuffers() {
    List<long[]> out = new ArrayList<>();
    for (ColumnMetadata m : columns()) {
      for (ColumnMetadata.Page p : m.getPagesList()) {
        for (int b = 0; b < Math.min(p.getBufferOffsetsCount(), p.getBufferSizesCount()); b++) {
          out.add(new long[] {p.getBufferOffsets(b), p.getBufferSizes(b)});
        }
      }
    }
    return out;
  }

  /** The {@code Any} of a page's direct encoding. */
  static Any pageAny(ColumnMetadata.Page page) {
    try {
      return Any.parseFrom(page.getEncoding().getDirect().getEncoding());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code page} with its encoding's {@code Any} value replaced (type URL kept). */
  static ColumnMetadata.Page withPageValue(ColumnMetadata.Page page, ByteString value) {
    Any any = pageAny(page).toBuilder().setValue(value).build();
    return page.toBuilder()
        .setEncoding(Encoding.newBuilder().setDirect(DirectEncoding.newBuilder().setEncoding(any.toByteString())))
        .build();
  }

  /** Starts a rebuild of this file. */
  Rebuild rebuild() {
    return new Rebuild();
  }

  /** Replacements to apply; {@link #build()} writes the new file. */
  final class Rebuild {
    private final Map<Integer, byte[]> globals = new LinkedHashMap<>();
    private final Map<Integer, byte[]> columnsBytes = new LinkedHashMap<>();
    private int footerMajor = major;
    private int footerMinor = minor;

    Rebuild global(int i, byte[] content) {
      globals.put(i, content);
      return this;
    }

    Rebuild descriptor(FileDescriptor d) {
      return global(0, d.toByteArray());
    }

    Rebuild column(int c, byte[] content) {
      columnsBytes.put(c, content);
      return this;
    }

    Rebuild column(int c, ColumnMetadata m) {
      return column(c, m.toByteArray());
    }

    Rebuild version(int newMajor, int newMinor) {
      footerMajor = newMajor;
      footerMinor = newMinor;
      return this;
    }

    byte[] build() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(bytes, 0, (int) columnMetaStart);
      List<long[]> gbs = new ArrayList<>();
      globalBuffers.forEach(r -> gbs.add(r.clone()));
      for (Map.Entry<Integer, byte[]> e : globals.entrySet()) {
        pad(out);
        gbs.set(e.getKey(), new long[] {out.size(), e.getValue().length});
        out.write(e.getValue(), 0, e.getValue().length);
      }
      long cmStart = out.size();
      List<long[]> cmo = new ArrayList<>();
      for (int c = 0; c < numColumns(); c++) {
        byte[] m = columnsBytes.containsKey(c) ? columnsBytes.get(c) : columnBytes(c);
        cmo.add(new long[] {out.size(), m.length});
        out.write(m, 0, m.length);
      }
      long cmoStart = out.size();
      writeTable(out, cmo);
      long gboStart = out.size();
      writeTable(out, gbs);
      ByteBuffer f = ByteBuffer.allocate(FOOTER).order(ByteOrder.LITTLE_ENDIAN);
      f.putLong(cmStart).putLong(cmoStart).putLong(gboStart).putInt(gbs.size()).putInt(cmo.size())
          .putShort((short) footerMajor).putShort((short) footerMinor).put("LANC".getBytes(StandardCharsets.US_ASCII));
      out.write(f.array(), 0, FOOTER);
      return out.toByteArray();
    }
  }

  private static void pad(ByteArrayOutputStream out) {
    while (out.size() % 64 != 0) {
      out.write(0);
    }
  }

  private static void writeTable(ByteArrayOutputStream out, List<long[]> entries) {
    ByteBuffer b = ByteBuffer.allocate(16 * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (long[] e : entries) {
      b.putLong(e[0]).putLong(e[1]);
    }
    out.write(b.array(), 0, b.capacity());
  }

  // ------------------------------------------------------------------ raw pokes into a copy

  /** A copy of the file with the footer's little-endian field at {@code offset} (0..39) set to {@code value}. */
  byte[] withFooterField(int offset, int width, long value) {
    byte[] b = bytes.clone();
    ByteBuffer f = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int at = b.length - FOOTER + offset;
    switch (width) {
      case 2 -> f.putShort(at, (short) value);
      case 4 -> f.putInt(at, (int) value);
      default -> f.putLong(at, value);
    }
    return b;
  }

  /** A copy with table entry {@code i} (global buffer or column metadata table) replaced. */
  byte[] withTableEntry(boolean globalTable, int i, long position, long size) {
    byte[] b = bytes.clone();
    long start = globalTable ? globalBufferOffsetsStart : columnMetaOffsetsStart;
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong((int) start + 16 * i, position)
        .putLong((int) start + 16 * i + 8, size);
    return b;
  }
}
