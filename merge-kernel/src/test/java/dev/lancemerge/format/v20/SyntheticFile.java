package dev.lancemerge.format.v20;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.lancemerge.format.EncodedPage;
import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.LanceTypeUrls;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Binary;
import dev.lancemerge.format.proto.v20.Buffer;
import dev.lancemerge.format.proto.v20.Dictionary;
import dev.lancemerge.format.proto.v20.FixedSizeList;
import dev.lancemerge.format.proto.v20.Flat;
import dev.lancemerge.format.proto.v20.Nullable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Hand-built 2.0 files: pages with exactly the encodings and buffers a test wants (valid or not),
 * written through our container writer so only the page contents are under test.
 */
final class SyntheticFile {
  private final List<Field> fields = new ArrayList<>();
  private final List<Object[]> pages = new ArrayList<>();
  private final long[] nextRow = new long[64];
  private long rows;

  SyntheticFile field(Field f) {
    fields.add(f);
    return this;
  }

  SyntheticFile rows(long n) {
    rows = n;
    return this;
  }

  /** A page of {@code column} holding {@code length} rows (or items), encoded as {@code enc}. */
  SyntheticFile page(int column, long length, ArrayEncoding enc, byte[]... buffers) {
    return page(column, length, LanceTypeUrls.pack(enc), buffers);
  }

  SyntheticFile page(int column, long length, Any enc, byte[]... buffers) {
    pages.add(new Object[] {column, length, enc, buffers});
    return this;
  }

  Path write(Path path) throws IOException {
    try (LanceFileWriter w = LanceFileWriter.create(path, new Schema(fields), FileVersion.V2_0)) {
      for (Object[] p : pages) {
        int column = (int) p[0];
        long length = (long) p[1];
        List<ByteBuffer> bufs = new ArrayList<>();
        for (byte[] b : (byte[][]) p[3]) {
          bufs.add(ByteBuffer.wrap(b));
        }
        w.writePage(column, nextRow[column], new EncodedPage(length, bufs, (Any) p[2]));
        nextRow[column] += length;
      }
      w.setRowCount(rows);
    }
    return path;
  }

  // ---- encodings ----

  static Buffer buf(int index) {
    return Buffer.newBuilder().setBufferIndex(index).setBufferType(Buffer.BufferType.page).build();
  }

  static ArrayEncoding flat(int bits, int buffer) {
    return ArrayEncoding.newBuilder().setFlat(Flat.newBuilder().setBitsPerValue(bits).setBuffer(buf(buffer))).build();
  }

  static ArrayEncoding noNulls(ArrayEncoding values) {
    return ArrayEncoding.newBuilder().setNullable(Nullable.newBuilder().setNoNulls(Nullable.NoNull.newBuilder().setValues(values))).build();
  }

  static ArrayEncoding someNulls(ArrayEncoding validity, ArrayEncoding values) {
    return ArrayEncoding.newBuilder().setNullable(Nullable.newBuilder().setSomeNulls(
        Nullable.SomeNull.newBuilder().setValidity(validity).setValues(values))).build();
  }

  static ArrayEncoding allNulls() {
    return ArrayEncoding.newBuilder().setNullable(Nullable.newBuilder().setAllNulls(Nullable.AllNull.getDefaultInstance())).build();
  }

  static ArrayEncoding binary(ArrayEncoding indices, ArrayEncoding bytes, long nullAdjustment) {
    return ArrayEncoding.newBuilder().setBinary(Binary.newBuilder().setIndices(indices).setBytes(bytes).setNullAdjustment(nullAdjustment)).build();
  }

  static ArrayEncoding list(ArrayEncoding offsets, long nullOffsetAdjustment, long numItems) {
    return ArrayEncoding.newBuilder().setList(dev.lancemerge.format.proto.v20.List.newBuilder()
        .setOffsets(offsets).setNullOffsetAdjustment(nullOffsetAdjustment).setNumItems(numItems)).build();
  }

  static ArrayEncoding dictionary(ArrayEncoding indices, ArrayEncoding items, int numItems) {
    return ArrayEncoding.newBuilder().setDictionary(Dictionary.newBuilder().setIndices(indices).setItems(items).setNumDictionaryItems(numItems)).build();
  }

  static ArrayEncoding fsl(int dim, ArrayEncoding items) {
    return ArrayEncoding.newBuilder().setFixedSizeList(FixedSizeList.newBuilder().setDimension(dim).setItems(items)).build();
  }

  static ArrayEncoding struct() {
    return ArrayEncoding.newBuilder().setStruct(dev.lancemerge.format.proto.v20.SimpleStruct.getDefaultInstance()).build();
  }

  /** An Any whose value is not a parseable ArrayEncoding. */
  static Any garbage() {
    return Any.newBuilder().setTypeUrl("/lance.encodings.ArrayEncoding").setValue(ByteString.copyFrom(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01})).build();
  }

  // ---- buffers ----

  static byte[] ints(int... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }

  static byte[] longs(long... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putLong(x);
    }
    return b.array();
  }

  static byte[] bytes(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }
}
