package dev.lancemerge.format;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A piece of a page buffer: bytes already in memory, or a range of another file copied by the kernel. */
public sealed interface PageSlice {
  long length();

  /** {@code length} bytes at {@code position} of {@code channel}, moved with {@code transferTo}. */
  record OfFile(FileChannel channel, long position, long length) implements PageSlice {}

  /** Bytes in memory (position to limit). */
  record OfBytes(ByteBuffer bytes) implements PageSlice {
    @Override
    public long length() {
      return bytes.remaining();
    }
  }
}
