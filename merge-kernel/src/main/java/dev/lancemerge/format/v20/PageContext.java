package dev.lancemerge.format.v20;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lancemerge.format.BufferRange;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.proto.ColumnMetadata;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One 2.0 page being decoded: resolves the {@code Buffer} descriptors of its encoding tree to file
 * ranges, reads byte windows of them after checking they lie inside the buffer, and words every
 * problem as {@code column N page P: ...} so a corrupt file names the exact page.
 */
final class PageContext {
  private final LanceFileReader file;
  private final PageInfo page;

  PageContext(LanceFileReader file, PageInfo page) {
    this.file = file;
    this.page = page;
  }

  PageInfo info() {
    return page;
  }

  /** The page's {@code lance.encodings.ArrayEncoding}; 2.0 pages always carry one. */
  ArrayEncoding encoding() throws LanceFormatException {
    try {
      return ArrayEncoding.parseFrom(page.encoding());
    } catch (InvalidProtocolBufferException e) {
      throw new LanceFormatException(file.path(), where() + "encoding is not a lance.encodings.ArrayEncoding: " + e.getMessage(), e);
    }
  }

  LanceFormatException fail(String what) {
    return new LanceFormatException(file.path(), where() + what);
  }

  private String where() {
    return "column " + page.column() + " page " + page.pageIndex() + ": ";
  }

  /**
   * Where a buffer descriptor points. Lance's 2.0 writer only uses page buffers, but the reader
   * also resolves column buffers (column metadata) and file buffers (global buffers), so we do too.
   */
  BufferRange buffer(Buffer desc) throws LanceFormatException {
    int index = desc.getBufferIndex();
    switch (desc.getBufferType()) {
      case page: {
        if (index < 0 || index >= page.buffers().size()) {
          throw fail("encoding refers to page buffer " + Integer.toUnsignedString(index) + " but the page has " + page.buffers().size());
        }
        return page.buffers().get(index);
      }
      case column: {
        ColumnMetadata meta = file.columnMetadata(page.column());
        if (index < 0 || index >= meta.getBufferOffsetsCount() || index >= meta.getBufferSizesCount()) {
          throw fail("encoding refers to column buffer " + Integer.toUnsignedString(index) + " but the column has " + Math.min(meta.getBufferOffsetsCount(), meta.getBufferSizesCount()));
        }
        long pos = meta.getBufferOffsets(index);
        long size = meta.getBufferSizes(index);
        if (pos < 0 || size < 0 || size > file.fileSize() || pos > file.fileSize() - size) {
          throw fail("column buffer " + index + " [" + Long.toUnsignedString(pos) + ", +" + Long.toUnsignedString(size) + ") lies outside the file");
        }
        return new BufferRange(pos, size);
      }
      case file: {
        if (index < 0 || index >= file.globalBuffers().size()) {
          throw fail("encoding refers to file buffer " + Integer.toUnsignedString(index) + " but the file has " + file.globalBuffers().size());
        }
        return file.globalBuffers().get(index);
      }
      default:
        throw fail("buffer type " + desc.getBufferTypeValue() + " is unknown");
    }
  }

  /**
   * Bytes {@code [offset, offset + length)} of a buffer, checked against the buffer's recorded size
   * first so a bad offset never turns into a read of some other buffer or a huge allocation.
   */
  byte[] read(Buffer desc, long offset, long length, String what) throws IOException {
    BufferRange r = buffer(desc);
    if (offset < 0 || length < 0 || offset > r.size() || length > r.size() - offset) {
      throw fail(what + " need bytes [" + offset + ", " + (offset + length) + ") of buffer " + desc.getBufferIndex()
          + ", which holds " + r.size() + " bytes");
    }
    if (length == 0) {
      return new byte[0];
    }
    ByteBuffer b = file.readAt(r.position() + offset, length);
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
