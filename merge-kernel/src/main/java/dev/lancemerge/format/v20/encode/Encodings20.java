package dev.lancemerge.format.v20.encode;

import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Binary;
import dev.lancemerge.format.proto.v20.Buffer;
import dev.lancemerge.format.proto.v20.FixedSizeList;
import dev.lancemerge.format.proto.v20.Flat;
import dev.lancemerge.format.proto.v20.Nullable;

/**
 * Builders for the 2.0 {@code ArrayEncoding} messages Lance's 2.0 writer emits, field for field as
 * its {@code ProtobufUtils} fills them (no compression, buffers always of type page), so the
 * serialized encodings match Lance's byte for byte.
 */
public final class Encodings20 {
  private Encodings20() {}

  /** {@code flat{bits_per_value, buffer{index, page}}}: raw values (bits 1 = LSB-first bitmap). */
  public static ArrayEncoding flat(long bitsPerValue, int bufferIndex) {
    return ArrayEncoding.newBuilder()
        .setFlat(Flat.newBuilder()
            .setBitsPerValue(bitsPerValue)
            .setBuffer(Buffer.newBuilder().setBufferIndex(bufferIndex).setBufferType(Buffer.BufferType.page)))
        .build();
  }

  /** {@code nullable{no_nulls{values}}}. */
  public static ArrayEncoding noNulls(ArrayEncoding values) {
    return nullable(Nullable.newBuilder().setNoNulls(Nullable.NoNull.newBuilder().setValues(values)));
  }

  /** {@code nullable{some_nulls{validity, values}}}; validity is a {@code flat{1}} bitmap, 1 = valid. */
  public static ArrayEncoding someNulls(ArrayEncoding validity, ArrayEncoding values) {
    return nullable(Nullable.newBuilder()
        .setSomeNulls(Nullable.SomeNull.newBuilder().setValidity(validity).setValues(values)));
  }

  /** {@code nullable{all_nulls{}}}: no buffers at all. */
  public static ArrayEncoding allNulls() {
    return nullable(Nullable.newBuilder().setAllNulls(Nullable.AllNull.getDefaultInstance()));
  }

  /** {@code fixed_size_list{dimension, items, has_validity=false}} (the 2.0 writer never sets has_validity). */
  public static ArrayEncoding fixedSizeList(int dimension, ArrayEncoding items) {
    return ArrayEncoding.newBuilder()
        .setFixedSizeList(FixedSizeList.newBuilder().setDimension(dimension).setItems(items).setHasValidity(false))
        .build();
  }

  /** {@code binary{indices, bytes, null_adjustment}}. */
  public static ArrayEncoding binary(ArrayEncoding indices, ArrayEncoding bytes, long nullAdjustment) {
    return ArrayEncoding.newBuilder()
        .setBinary(Binary.newBuilder().setIndices(indices).setBytes(bytes).setNullAdjustment(nullAdjustment))
        .build();
  }

  /** {@code list{offsets, null_offset_adjustment, num_items}}. */
  public static ArrayEncoding list(ArrayEncoding offsets, long nullOffsetAdjustment, long numItems) {
    return ArrayEncoding.newBuilder()
        .setList(dev.lancemerge.format.proto.v20.List.newBuilder()
            .setOffsets(offsets)
            .setNullOffsetAdjustment(nullOffsetAdjustment)
            .setNumItems(numItems))
        .build();
  }

  private static ArrayEncoding nullable(Nullable.Builder n) {
    return ArrayEncoding.newBuilder().setNullable(n).build();
  }
}
