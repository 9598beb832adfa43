package dev.lancemerge.format.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decompression of LZ4 blocks as Lance's general compression stores them: a u32 LE uncompressed
 * size, then one raw LZ4 block (token, literals, 16-bit offset, match; no frame). Lance 2.2 wraps
 * dictionary values and large rep/def buffers this way by default.
 */
public final class Lz4Block {
  private Lz4Block() {}

  /** Decompresses a size-prefixed block; the declared size must not exceed {@code maxOutput}. */
  public static byte[] decompressSizePrefixed(ByteBuffer in, long maxOutput) {
    ByteBuffer b = in.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 4) {
      throw new CodecException("lz4: " + b.remaining() + " bytes, too short for the size prefix");
    }
    long size = Integer.toUnsignedLong(b.getInt(0));
    if (size > maxOutput) {
      throw new CodecException("lz4 block declares " + size + " bytes, which exceeds the limit of " + maxOutput);
    }
    // A sequence of n input bytes expands to at most about 255 n output bytes: refuse before allocating.
    long compressed = b.remaining() - 4L;
    if (size > compressed * 255 + 16) {
      throw new CodecException("lz4 block declares " + size + " bytes, more than " + compressed + " compressed bytes can hold");
    }
    byte[] src = new byte[b.remaining() - 4];
    b.get(4, src);
    return decompress(src, (int) size);
  }

  /** Decompresses one raw block to exactly {@code size} bytes. */
  public static byte[] decompress(byte[] src, int size) {
    byte[] out = new byte[size];
    int ip = 0;
    int op = 0;
    while (ip < src.length) {
      int token = src[ip++] & 0xFF;
      long literals = token >>> 4;
      if (literals == 15) {
        int more;
        do {
          if (ip >= src.length) {
            throw new CodecException("lz4: literal length runs past the input");
          }
          more = src[ip++] & 0xFF;
          literals += more;
        } while (more == 255);
      }
      if (literals > src.length - ip || literals > size - op) {
        throw new CodecException("lz4: " + literals + " literals run past the input or the declared size");
      }
      System.arraycopy(src, ip, out, op, (int) literals);
      ip += (int) literals;
      op += (int) literals;
      if (ip == src.length) {
        break; // the last sequence has literals only
      }
      if (ip + 2 > src.length) {
        throw new CodecException("lz4: match offset runs past the input");
      }
      int offset = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
      ip += 2;
      if (offset == 0 || offset > op) {
        throw new CodecException("lz4 match offset " + offset + " points before the start of the output");
      }
      long match = (token & 0xF) + 4;
      if ((token & 0xF) == 15) {
        int more;
        do {
          if (ip >= src.length) {
            throw new CodecException("lz4: match length runs past the input");
          }
          more = src[ip++] & 0xFF;
          match += more;
        } while (more == 255);
      }
      if (match > size - op) {
        throw new CodecException("lz4: match of " + match + " bytes runs past the declared size " + size);
      }
      for (int i = 0; i < match; i++) {
        out[op + i] = out[op - offset + i];
      }
      op += (int) match;
    }
    if (op != size) {
      throw new CodecException("lz4: decompressed " + op + " bytes, the block declares " + size);
    }
    return out;
  }
}
