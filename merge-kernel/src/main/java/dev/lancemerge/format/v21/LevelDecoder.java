package dev.lancemerge.format.v21;

import dev.lancemerge.format.codec.InlineBitpacking;
import dev.lancemerge.format.codec.OutOfLineBitpacking;
import dev.lancemerge.format.codec.Rle;
import dev.lancemerge.format.proto.v21.CompressiveEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes block-compressed repetition/definition levels (u16 values). */
final class LevelDecoder {
  private LevelDecoder() {}

  static int[] decode(CompressiveEncoding enc, ByteBuffer bytes, int n, String where) {
    ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    long[] raw;
    switch (enc.getCompressionCase()) {
      case FLAT: {
        int bits = (int) enc.getFlat().getBitsPerValue();
        if (bits != 16) {
          throw new StructuralException(where + ": levels stored flat at " + bits + " bits, expected 16");
        }
        if (b.remaining() < 2L * n) {
          throw new StructuralException(where + ": " + n + " levels need " + 2L * n + " bytes, buffer has " + b.remaining());
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
          out[i] = Short.toUnsignedInt(b.getShort());
        }
        return out;
      }
      case INLINE_BITPACKING:
        raw = InlineBitpacking.decode(bits16(enc.getInlineBitpacking().getUncompressedBitsPerValue(), where), b, n);
        break;
      case OUT_OF_LINE_BITPACKING: {
        var o = enc.getOutOfLineBitpacking();
        if (!o.getValues().hasFlat()) {
          throw new StructuralException(where + ": out-of-line bitpacked levels without a flat width");
        }
        raw = OutOfLineBitpacking.decode(
            bits16(o.getUncompressedBitsPerValue(), where), (int) o.getValues().getFlat().getBitsPerValue(), b, n);
        break;
      }
      case RLE:
        raw = Rle.decodeBlock(16, b, n);
        break;
      case CONSTANT: {
        int v = 0;
        if (enc.getConstant().hasValue()) {
          ByteBuffer c = enc.getConstant().getValue().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          v = c.remaining() >= 2 ? Short.toUnsignedInt(c.getShort()) : 0;
        }
        int[] out = new int[n];
        java.util.Arrays.fill(out, v);
        return out;
      }
      case GENERAL:
        return decode(enc.getGeneral().getValues(),
            GeneralCompression.decompress(enc.getGeneral().getCompression(), b, where), n, where);
      default:
        throw new StructuralException(where + ": levels compressed with " + enc.getCompressionCase() + " are not supported");
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) raw[i];
    }
    return out;
  }

  private static int bits16(long bits, String where) {
    if (bits != 16) {
      throw new StructuralException(where + ": levels are " + bits + "-bit, expected 16");
    }
    return 16;
  }
}
