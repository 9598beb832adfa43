package dev.lancemerge.format.v20;

import static dev.lancemerge.format.v20.LegacyTestData.field;
import static dev.lancemerge.format.v20.LegacyTestData.item;
import static dev.lancemerge.format.v20.SyntheticFile.allNulls;
import static dev.lancemerge.format.v20.SyntheticFile.binary;
import static dev.lancemerge.format.v20.SyntheticFile.bytes;
import static dev.lancemerge.format.v20.SyntheticFile.dictionary;
import static dev.lancemerge.format.v20.SyntheticFile.flat;
import static dev.lancemerge.format.v20.SyntheticFile.fsl;
import static dev.lancemerge.format.v20.SyntheticFile.ints;
import static dev.lancemerge.format.v20.SyntheticFile.list;
import static dev.lancemerge.format.v20.SyntheticFile.longs;
import static dev.lancemerge.format.v20.SyntheticFile.noNulls;
import static dev.lancemerge.format.v20.SyntheticFile.someNulls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Bitpacked;
import dev.lancemerge.format.proto.v20.Compression;
import dev.lancemerge.format.proto.v20.Constant;
import dev.lancemerge.format.proto.v20.Flat;
import dev.lancemerge.format.proto.v20.Fsst;
import java.nio.file.Path;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt 2.0 pages: each must fail with a {@link LanceFormatException} naming the column, the page
 * and the problem, never with an index, size or memory error.
 */
class LegacyCorruptPageTest {
  private static final Field I32 = field("x", new ArrowType.Int(32, true), true);
  private static final Field I64 = field("x", new ArrowType.Int(64, true), true);
  private static final Field STR = field("s", ArrowType.Utf8.INSTANCE, true);
  private static final Field LIST = field("l", ArrowType.List.INSTANCE, true, item(new ArrowType.Int(32, true)));
  private static final ArrayEncoding U64 = noNulls(flat(64, 0));

  @TempDir Path tmp;

  private void assertFails(SyntheticFile f, long from, long to, String message) throws Exception {
    Path path = f.write(tmp.resolve("f" + System.nanoTime() + ".lance"));
    try (LanceFileReader r = LanceFileReader.open(path)) {
      assertThatThrownBy(() -> r.readData(0, from, to))
          .isExactlyInstanceOf(LanceFormatException.class)
          .hasMessageContaining(message);
    }
  }

  @Test
  void bufferIndexOutOfRange() throws Exception {
    assertFails(new SyntheticFile().field(I32).rows(4).page(0, 4, noNulls(flat(32, 3)), ints(1, 2, 3, 4)), 0, 4,
        "column 0 page 0: encoding refers to page buffer 3 but the page has 1");
  }

  @Test
  void bufferTooShortForTheDeclaredRows() throws Exception {
    assertFails(new SyntheticFile().field(I32).rows(100).page(0, 100, noNulls(flat(32, 0)), ints(1, 2, 3)), 0, 1,
        "column 0 page 0: buffer 0 holds 12 bytes, too short for 100 values of 4 bytes (400 bytes)");
  }

  @Test
  void validityBitmapTooShort() throws Exception {
    assertFails(new SyntheticFile().field(I32).rows(20).page(0, 20, someNulls(flat(1, 0), flat(32, 1)), bytes(0xFF), new byte[80]),
        0, 2, "column 0 page 0: buffer 0 holds 1 bytes, too short for 20 bit-packed values (3 bytes)");
  }

  @Test
  void hugeRowCountOverflowsTheBufferSize() throws Exception {
    long rows = 1L << 61;
    assertFails(new SyntheticFile().field(I64).rows(rows).page(0, rows, noNulls(flat(64, 0)), longs(1, 2)), 0, 2,
        "column 0 page 0: flat value positions overflow");
  }

  @Test
  void flatWidthDoesNotMatchTheField() throws Exception {
    assertFails(new SyntheticFile().field(I64).rows(2).page(0, 2, noNulls(flat(32, 0)), ints(1, 2)), 0, 2,
        "column 0 page 0: flat values of 32 bits cannot hold 8-byte values");
  }

  @Test
  void valueEncodingForAStringField() throws Exception {
    assertFails(new SyntheticFile().field(STR).rows(2).page(0, 2, noNulls(flat(32, 0)), ints(1, 2)), 0, 2,
        "column 0 page 0: a flat encoding of 32-bit values cannot hold variable-width values");
  }

  @Test
  void stringEncodingForAnIntField() throws Exception {
    assertFails(new SyntheticFile().field(I32).rows(1).page(0, 1, binary(U64, flat(8, 1), 2), longs(1), bytes(65)), 0, 1,
        "column 0 page 0: a binary encoding cannot hold 4-byte values");
  }

  @Test
  void listPageInAPrimitiveColumnAndValuesInAListColumn() throws Exception {
    assertFails(new SyntheticFile().field(I32).rows(1).page(0, 1, list(U64, 2, 1), longs(1)), 0, 1,
        "column 0 page 0: a list encoding cannot hold 4-byte values");
    assertFails(new SyntheticFile().field(LIST).rows(1).page(0, 1, noNulls(flat(32, 0)), ints(1)).page(1, 1, noNulls(flat(32, 0)), ints(7)),
        0, 1, "column 0 page 0: a list column needs list pages but this one is 'nullable'");
  }

  @Test
  void fixedSizeListDimensionMismatch() throws Exception {
    Field f = field("v", new ArrowType.FixedSizeList(4), true, item(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
    assertFails(new SyntheticFile().field(f).rows(1).page(0, 1, noNulls(fsl(3, noNulls(flat(32, 0)))), ints(1, 2, 3)), 0, 1,
        "column 0 page 0: fixed_size_list dimension 3 does not match the field's 4");
  }

  @Test
  void unparseableAndUnsupportedEncodings() throws Exception {
    assertFails(new SyntheticFile().field(I32).rows(1).page(0, 1, SyntheticFile.garbage(), ints(1)), 0, 1,
        "column 0 page 0: encoding is not a lance.encodings.ArrayEncoding");
    ArrayEncoding bitpacked = ArrayEncoding.newBuilder().setBitpacked(Bitpacked.newBuilder().setCompressedBitsPerValue(3)
        .setUncompressedBitsPerValue(32).setBuffer(SyntheticFile.buf(0))).build();
    assertFails(new SyntheticFile().field(I32).rows(1).page(0, 1, bitpacked, ints(1)), 0, 1,
        "column 0 page 0: encoding 'bitpacked' is not one Lance writes or reads in 2.0 files");
    assertFails(new SyntheticFile().field(I32).rows(1).page(0, 1, ArrayEncoding.getDefaultInstance(), ints(1)), 0, 1,
        "column 0 page 0: an encoding node is empty");
    // Lance's 2.0 reader has no decoder for constant pages (its 2.0 writer never makes them).
    ArrayEncoding constant = ArrayEncoding.newBuilder().setConstant(Constant.newBuilder().setValue(ByteString.copyFrom(ints(7)))).build();
    assertFails(new SyntheticFile().field(I32).rows(1).page(0, 1, constant), 0, 1,
        "column 0 page 0: encoding 'constant' is not one Lance writes or reads in 2.0 files");
  }

  @Test
  void binaryEndOffsetsDecrease() throws Exception {
    assertFails(new SyntheticFile().field(STR).rows(3)
            .page(0, 3, binary(U64, flat(8, 1), 6), longs(3, 1, 5), bytes(1, 2, 3, 4, 5)), 0, 3,
        "column 0 page 0: binary value 1 ends at byte 1, before its start 3");
  }

  @Test
  void binaryOffsetsRunPastTheBytes() throws Exception {
    assertFails(new SyntheticFile().field(STR).rows(2)
            .page(0, 2, binary(U64, flat(8, 1), 1_000_001), longs(3, 1_000_000), bytes(1, 2, 3, 4, 5)), 0, 2,
        "column 0 page 0: 1-byte values [0, 1000000) need bytes [0, 1000000) of buffer 1, which holds 5 bytes");
  }

  @Test
  void binaryIndexIsNeitherOffsetNorNull() throws Exception {
    assertFails(new SyntheticFile().field(STR).rows(2)
            .page(0, 2, binary(U64, flat(8, 1), 6), longs(3, -1L), bytes(1, 2, 3, 4, 5)), 0, 2,
        "column 0 page 0: binary index 18446744073709551615 of value 1 is neither an end offset nor one plus null_adjustment 6");
    assertFails(new SyntheticFile().field(STR).rows(1).page(0, 1, binary(U64, flat(8, 1), 0), longs(0), bytes()), 0, 1,
        "column 0 page 0: binary null_adjustment 0 is impossible for a page with values");
  }

  @Test
  void dictionaryIndexPastTheItems() throws Exception {
    ArrayEncoding dict = dictionary(noNulls(flat(8, 0)), binary(noNulls(flat(64, 1)), flat(8, 2), 3), 1);
    assertFails(new SyntheticFile().field(STR).rows(3).page(0, 3, dict, bytes(1, 0, 2), longs(2), bytes(65, 66)), 0, 3,
        "column 0 page 0: dictionary index 2 of row 2 is past the 1 items (index 0 is null)");
  }

  @Test
  void listOffsetsNegativeOrPastTheItems() throws Exception {
    assertFails(listFile(list(U64, 4, 3), longs(2, -5L), 3), 0, 2,
        "column 0 page 0: offset 18446744073709551611 of list 1 is outside the page's 3 items (null_offset_adjustment 4)");
    assertFails(listFile(list(U64, 10, 3), longs(2, 7), 3), 0, 2,
        "column 0 page 0: offset 7 of list 1 is outside the page's 3 items");
    assertFails(listFile(list(U64, 4, 3), longs(2, 1), 3), 0, 2,
        "column 0 page 0: list 1 ends at item 1, before its start 2");
    assertFails(listFile(list(U64, 4, 3), longs(2, 2), 3), 0, 2,
        "column 0 page 0: the page's last list ends at item 2 but the page declares num_items 3");
    assertFails(listFile(list(U64, 3, 3), longs(2, 3), 3), 0, 2,
        "column 0 page 0: list null_offset_adjustment 3 must exceed num_items 3");
  }

  @Test
  void listItemsDisagreeWithTheItemColumn() throws Exception {
    assertFails(listFile(list(U64, 5, 4), longs(2, 4), 3), 0, 2,
        "column 0: list pages span 4 items but the item column holds 3");
  }

  @Test
  void listSpanningMoreItemsThanOneReadHolds() throws Exception {
    long items = 1L << 40; // an all-null item page claims 2^40 items and has no buffer to contradict it
    SyntheticFile f = new SyntheticFile().field(LIST).rows(1)
        .page(0, 1, list(U64, items + 1, items), longs(items))
        .page(1, items, allNulls());
    assertFails(f, 0, 1, "column 0: lists [0, 1) span 1099511627776 items, too many for one read");
  }

  @Test
  void lz4BlockThatDoesNotDecode() throws Exception {
    ArrayEncoding lz4 = ArrayEncoding.newBuilder().setFlat(Flat.newBuilder().setBitsPerValue(8).setBuffer(SyntheticFile.buf(1))
        .setCompression(Compression.newBuilder().setScheme("lz4"))).build();
    // declares 1 GB from 3 bytes
    assertFails(new SyntheticFile().field(STR).rows(1).page(0, 1, binary(U64, lz4, 6), longs(5), bytes(0, 0, 0, 64, 0x50, 1, 2)),
        0, 1, "column 0 page 0: lz4 block declares 1073741824 bytes");
    // a match that points before the start of the output
    assertFails(new SyntheticFile().field(STR).rows(1).page(0, 1, binary(U64, lz4, 6), longs(5), bytes(5, 0, 0, 0, 0x10, 65, 9, 0)),
        0, 1, "column 0 page 0: lz4 match offset 9 points before the start of the output");
  }

  @Test
  void fsstWithABadSymbolTable() throws Exception {
    ArrayEncoding fsst = ArrayEncoding.newBuilder().setFsst(Fsst.newBuilder().setBinary(binary(U64, flat(8, 1), 3))
        .setSymbolTable(ByteString.copyFrom(new byte[16]))).build();
    assertFails(new SyntheticFile().field(STR).rows(1).page(0, 1, fsst, longs(2), bytes(1, 2)), 0, 1,
        "column 0 page 0: fsst symbol table: bad magic");
  }

  @Test
  void structHeaderWithAValuePage() throws Exception {
    Field s = field("s", ArrowType.Struct.INSTANCE, false, field("a", new ArrowType.Int(32, true), true));
    assertFails(new SyntheticFile().field(s).rows(1).page(0, 1, noNulls(flat(32, 0)), ints(1)).page(1, 1, noNulls(flat(32, 0)), ints(1)),
        0, 1, "column 0 page 0: a struct header column needs struct pages but this one is 'nullable'");
  }

  @Test
  void validFileBuiltTheSameWayDecodes() throws Exception {
    // The synthetic writer itself is right: the same shapes with consistent numbers decode.
    Path path = listFile(list(U64, 4, 3), longs(2, 4 + 2, 3), 3).rows(3).write(tmp.resolve("ok.lance"));
    try (LanceFileReader r = LanceFileReader.open(path)) {
      assertThat(r.readData(0, 0, 3).offsets()).containsExactly(0, 2, 2, 3);
      assertThat(r.readData(0, 0, 3).isValid(1)).isFalse();
      assertThat(r.readData(0, 1, 3).offsets()).containsExactly(0, 0, 1);
    }
  }

  /** A list<int32> file: one list page with the given offsets, one item page of {@code items} values. */
  private static SyntheticFile listFile(ArrayEncoding listEnc, byte[] offsets, int items) {
    int lists = offsets.length / 8;
    int[] values = new int[items];
    for (int i = 0; i < items; i++) {
      values[i] = 10 + i;
    }
    return new SyntheticFile().field(LIST).rows(lists).page(0, lists, listEnc, offsets).page(1, items, noNulls(flat(32, 0)), ints(values));
  }
}
