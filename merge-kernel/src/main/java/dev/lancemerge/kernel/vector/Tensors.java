package dev.lancemerge.kernel.vector;

import dev.lancemerge.format.proto.index.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reading {@code lance.index.pb.Tensor} values and comparing tensors within a tolerance. */
final class Tensors {
  private Tensors() {}

  static int elementBytes(Tensor.DataType t) {
    switch (t) {
      case BFLOAT16:
      case FLOAT16:
      case UINT16:
        return 2;
      case FLOAT32:
      case UINT32:
        return 4;
      case FLOAT64:
      case UINT64:
        return 8;
      default:
        return 1;
    }
  }

  /** Element {@code i} as a double. */
  static double get(Tensor t, ByteBuffer b, int i) {
    switch (t.getDataType()) {
      case FLOAT32: return b.getFloat(i * 4);
      case FLOAT64: return b.getDouble(i * 8);
      case FLOAT16: return org.apache.arrow.memory.util.Float16.toFloat(b.getShort(i * 2));
      case BFLOAT16: return Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
      case UINT8: return b.get(i) & 0xFF;
      case UINT16: return b.getShort(i * 2) & 0xFFFF;
      case UINT32: return Integer.toUnsignedLong(b.getInt(i * 4));
      default: return b.getLong(i * 8);
    }
  }

  /** Where element {@code i} is, as row and column of a 2-D tensor. */
  private static String position(Tensor t, int i) {
    if (t.getShapeCount() == 2 && t.getShape(1) > 0) {
      return "row " + i / t.getShape(1) + ", column " + i % t.getShape(1);
    }
    return "element " + i;
  }

  /** Number of elements the data holds. */
  static long count(Tensor t) {
    return t.getData().size() / elementBytes(t.getDataType());
  }

  /**
   * Null when {@code a} and {@code b} agree within {@code tolerance} element-wise (same type and
   * shape); otherwise a sentence saying how they differ.
   */
  static String difference(Tensor a, Tensor b, double tolerance) {
    if (a.getDataType() != b.getDataType()) {
      return "data type " + b.getDataType() + " differs from " + a.getDataType();
    }
    if (!a.getShapeList().equals(b.getShapeList())) {
      return "shape " + b.getShapeList() + " differs from " + a.getShapeList();
    }
    if (a.getData().size() != b.getData().size()) {
      return b.getData().size() + " bytes of data, not " + a.getData().size();
    }
    if (a.getData().equals(b.getData())) {
      return null;
    }
    ByteBuffer x = a.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer y = b.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long n = count(a);
    for (int i = 0; i < n; i++) {
      double d = Math.abs(get(a, x, i) - get(b, y, i));
      if (!(d <= tolerance)) {
        return position(a, i) + " is " + get(b, y, i) + ", not " + get(a, x, i) + " (beyond " + tolerance + ")";
      }
    }
    return null;
  }
}
