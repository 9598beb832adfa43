package dev.lancemerge.format;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * One page of one column: which rows it holds, where its buffers are, and its encoding (the value
 * of the {@code google.protobuf.Any} in the page's direct encoding; its message type follows from
 * the file version).
 */
public record PageInfo(
    int column, int pageIndex, long firstRow, long rows, List<BufferRange> buffers, ByteString encoding) {

  /** One past the last row of the page. */
  public long endRow() {
    return firstRow + rows;
  }

  /** Total bytes of the page's buffers. */
  public long bytes() {
    long n = 0;
    for (BufferRange b : buffers) {
      n += b.size();
    }
    return n;
  }
}
