package dev.lancemerge.format.v21;

import dev.lancemerge.format.codec.Lz4Block;
import dev.lancemerge.format.proto.v21.BufferCompression;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Undoes Lance's general (whole-buffer) compression; LZ4 is read, zstd is refused with a clear error. */
final class GeneralCompression {
  private GeneralCompression() {}

  static ByteBuffer decompress(BufferCompression c, ByteBuffer in, String where) {
    switch (c.getScheme()) {
      case COMPRESSION_ALGORITHM_LZ4:
        return ByteBuffer.wrap(Lz4Block.decompressSizePrefixed(in, ValueDecoder.MAX_DECOMPRESSED)).order(ByteOrder.LITTLE_ENDIAN);
      case COMPRESSION_ALGORITHM_ZSTD:
        throw new StructuralException(where + ": zstd-compressed data is not supported by this reader (lz4 is)");
      default:
        throw new StructuralException(where + ": general compression scheme " + c.getScheme() + " is unknown");
    }
  }
}
