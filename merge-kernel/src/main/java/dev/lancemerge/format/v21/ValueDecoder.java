package dev.lancemerge.format.v21;

import dev.lancemerge.format.LogicalTypes;
import dev.lancemerge.format.codec.ByteStreamSplit;
import dev.lancemerge.format.codec.Fsst;
import dev.lancemerge.format.codec.InlineBitpacking;
import dev.lancemerge.format.codec.Rle;
import dev.lancemerge.format.codec.VariableBlock;
import dev.lancemerge.format.codec.VariableData;
import dev.lancemerge.format.codec.Words;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v21.CompressiveEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Decompresses the value buffers of one mini-block chunk (or a block-compressed dictionary) into
 * leaf items of the field's type. Validity of the items themselves comes later, from def levels.
 */
final class ValueDecoder {
  /** Guards FSST output: no chunk or dictionary decompresses to more than this. */
  static final long MAX_DECOMPRESSED = 1L << 30;

  private ValueDecoder() {}

  /** Items of a mini-block chunk: {@code n} values from the chunk's value buffers. */
  static ColumnData miniBlock(CompressiveEncoding enc, List<ByteBuffer> buffers, int n, Field leaf, String where) {
    ArrowType type = leaf.getType();
    switch (enc.getCompressionCase()) {
      case FIXED_SIZE_LIST:
        return fixedSizeList(enc, buffers, n, leaf, where);
      case FLAT:
        return flat(enc.getFlat().getBitsPerValue(), one(buffers, where), n, type, where);
      case INLINE_BITPACKING: {
        int t = (int) enc.getInlineBitpacking().getUncompressedBitsPerValue();
        checkWidth(t, type, where);
        long[] v = InlineBitpacking.decode(t, one(buffers, where), n);
        return ColumnData.fixed(n, t / 8, Words.toBytes(t, v, 0, n), null);
      }
      case RLE: {
        var rle = enc.getRle();
        int w = flatBits(rle.getValues(), where);
        checkWidth(w, type, where);
        if (buffers.size() != 2) {
          throw new StructuralException(where + ": RLE chunk has " + buffers.size() + " buffers, expected 2");
        }
        int runBits = rle.hasRunLengths() ? flatBits(rle.getRunLengths(), where) : 8;
        long[] v = Rle.decode(w, runBits, buffers.get(0), buffers.get(1), n, true);
        return ColumnData.fixed(n, w / 8, Words.toBytes(w, v, 0, n), null);
      }
      case BYTE_STREAM_SPLIT: {
        int w = flatBits(enc.getByteStreamSplit().getValues(), where);
        checkWidth(w, type, where);
        return ColumnData.fixed(n, w / 8, ByteStreamSplit.decode(w, one(buffers, where), n), null);
      }
      case VARIABLE:
        requireVariable(type, where);
        return variable(VariableBlock.decodeMiniBlock(flatBits(enc.getVariable().getOffsets(), where), one(buffers, where), n));
      case FSST: {
        requireVariable(type, where);
        var fsst = enc.getFsst();
        ColumnData compressed = miniBlock(fsst.getValues(), buffers, n, leaf, where);
        VariableData plain = Fsst.decompress(
            fsst.getSymbolTable().toByteArray(), new VariableData(compressed.values(), compressed.offsets()), MAX_DECOMPRESSED);
        return variable(plain);
      }
      case GENERAL: {
        // The first buffer is compressed as a whole; the inner encoding then applies as usual.
        List<ByteBuffer> inner = new java.util.ArrayList<>(buffers);
        inner.set(0, GeneralCompression.decompress(enc.getGeneral().getCompression(), buffers.get(0), where));
        return miniBlock(enc.getGeneral().getValues(), inner, n, leaf, where);
      }
      default:
        throw new StructuralException(where + ": value encoding " + enc.getCompressionCase() + " is not supported in a mini-block page");
    }
  }

  /** A block-compressed dictionary page buffer. */
  static ColumnData dictionary(CompressiveEncoding enc, ByteBuffer buf, int n, Field leaf, String where) {
    switch (enc.getCompressionCase()) {
      case VARIABLE:
        requireVariable(leaf.getType(), where);
        return variable(VariableBlock.decodeBlock(buf, n));
      case FLAT:
        return flat(enc.getFlat().getBitsPerValue(), buf, n, leaf.getType(), where);
      case GENERAL:
        return dictionary(enc.getGeneral().getValues(),
            GeneralCompression.decompress(enc.getGeneral().getCompression(), buf, where), n, leaf, where);
      default:
        throw new StructuralException(where + ": dictionary encoding " + enc.getCompressionCase() + " is not supported");
    }
  }

  /** Fixed-width values stored as they are: {@code bits} per value, bit-packed for booleans. */
  static ColumnData flat(long bits, ByteBuffer buf, int n, ArrowType type, String where) {
    if (type instanceof ArrowType.Bool) {
      if (bits != 1) {
        throw new StructuralException(where + ": boolean values stored at " + bits + " bits");
      }
      byte[] out = take(buf, ((long) n + 7) / 8, where);
      return ColumnData.bools(n, out, null);
    }
    checkWidth(bits, type, where);
    int w = (int) (bits / 8);
    return ColumnData.fixed(n, w, take(buf, (long) n * w, where), null);
  }

  private static ColumnData fixedSizeList(CompressiveEncoding enc, List<ByteBuffer> buffers, int n, Field leaf, String where) {
    if (!(leaf.getType() instanceof ArrowType.FixedSizeList fsl)) {
      throw new StructuralException(where + ": fixed-size-list encoding for a column of type " + leaf.getType());
    }
    var e = enc.getFixedSizeList();
    int dim = fsl.getListSize();
    if (e.getItemsPerValue() != dim) {
      throw new StructuralException(where + ": fixed-size list of " + e.getItemsPerValue() + " items, schema says " + dim);
    }
    if (!e.getValues().hasFlat()) {
      throw new StructuralException(where + ": nested or compressed fixed-size-list values are not supported");
    }
    int expected = e.getHasValidity() ? 2 : 1;
    if (buffers.size() != expected) {
      throw new StructuralException(where + ": fixed-size-list chunk has " + buffers.size() + " buffers, expected " + expected);
    }
    long items = (long) n * dim;
    if (items > Integer.MAX_VALUE) {
      throw new StructuralException(where + ": " + items + " list items in one chunk");
    }
    byte[] itemValidity = e.getHasValidity() ? take(buffers.get(0), (items + 7) / 8, where) : null;
    ColumnData values = flat(e.getValues().getFlat().getBitsPerValue(), buffers.get(expected - 1), (int) items,
        leaf.getChildren().get(0).getType(), where);
    ColumnData child = withValidity(values, itemValidity);
    return ColumnData.fixedSizeList(n, dim, child, null);
  }

  static ColumnData withValidity(ColumnData d, byte[] validity) {
    if (validity == null) {
      return d;
    }
    switch (d.kind()) {
      case FIXED:
        return ColumnData.fixed(d.length(), d.byteWidth(), d.values(), validity);
      case BOOL:
        return ColumnData.bools(d.length(), d.values(), validity);
      case VARIABLE:
        return ColumnData.variable(d.length(), d.offsets(), d.values(), validity);
      case FIXED_SIZE_LIST:
        return ColumnData.fixedSizeList(d.length(), d.dimension(), d.child(), validity);
      case LIST:
        return ColumnData.list(d.length(), d.offsets(), d.child(), validity);
      default:
        return d;
    }
  }

  private static ColumnData variable(VariableData v) {
    return ColumnData.variable(v.count(), v.offsets(), v.bytes(), null);
  }

  private static ByteBuffer one(List<ByteBuffer> buffers, String where) {
    if (buffers.size() != 1) {
      throw new StructuralException(where + ": chunk has " + buffers.size() + " value buffers, expected 1");
    }
    return buffers.get(0).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] take(ByteBuffer buf, long bytes, String where) {
    if (bytes > buf.remaining()) {
      throw new StructuralException(where + ": values need " + bytes + " bytes, buffer has " + buf.remaining());
    }
    byte[] out = new byte[(int) bytes];
    buf.duplicate().get(out);
    return out;
  }

  private static int flatBits(CompressiveEncoding enc, String where) {
    if (!enc.hasFlat()) {
      throw new StructuralException(where + ": expected flat inner encoding, found " + enc.getCompressionCase());
    }
    return (int) enc.getFlat().getBitsPerValue();
  }

  private static void checkWidth(long bits, ArrowType type, String where) {
    int w = LogicalTypes.byteWidth(type);
    if (w <= 0 || bits != 8L * w) {
      throw new StructuralException(where + ": values of " + bits + " bits do not fit a column of type " + type);
    }
  }

  private static void requireVariable(ArrowType type, String where) {
    if (!LogicalTypes.isVariableWidth(type)) {
      throw new StructuralException(where + ": variable-width encoding for a column of type " + type);
    }
  }
}
