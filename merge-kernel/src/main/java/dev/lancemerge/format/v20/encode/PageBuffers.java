package dev.lancemerge.format.v20.encode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffers of one 2.0 page, in the order they are added. An encoding refers to a buffer by its
 * position here ({@code Buffer{buffer_index, page}}). Lance hands out indices from one counter while
 * it builds the encoding and writes the buffers in that same order, so adding a buffer at the moment
 * its index is needed reproduces Lance's buffer order exactly.
 */
public final class PageBuffers {
  private final List<ByteBuffer> buffers = new ArrayList<>();

  /** Appends {@code bytes} as the next page buffer and returns its index. */
  public int add(byte[] bytes) {
    buffers.add(ByteBuffer.wrap(bytes));
    return buffers.size() - 1;
  }

  /** The buffers so far, in index order. */
  public List<ByteBuffer> buffers() {
    return List.copyOf(buffers);
  }
}
