package dev.lancemerge.format.v20;

import static dev.lancemerge.format.v20.LegacyTestData.field;
import static dev.lancemerge.format.v20.LegacyTestData.item;
import static dev.lancemerge.format.v20.SyntheticFile.flat;
import static dev.lancemerge.format.v20.SyntheticFile.ints;
import static dev.lancemerge.format.v20.SyntheticFile.list;
import static dev.lancemerge.format.v20.SyntheticFile.longs;
import static dev.lancemerge.format.v20.SyntheticFile.noNulls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Range reads touch only the pages holding the rows: a page that would fail to decode is put
 * outside the range, and the read must succeed (and fail as soon as the range covers it).
 */
class LegacyPageSelectionTest {
  private static final Field I32 = field("x", new ArrowType.Int(32, true), false);
  private static final Field LIST = field("l", ArrowType.List.INSTANCE, true, item(new ArrowType.Int(32, true)));
  private static final ArrayEncoding GOOD = noNulls(flat(32, 0));
  private static final ArrayEncoding BROKEN = noNulls(flat(32, 7)); // refers to a buffer the page does not have

  @TempDir Path tmp;

  @Test
  void primitiveReadsOnlyOverlappingPages() throws Exception {
    Path path = new SyntheticFile().field(I32).rows(12)
        .page(0, 4, GOOD, ints(0, 1, 2, 3))
        .page(0, 4, BROKEN, ints(4, 5, 6, 7))
        .page(0, 4, GOOD, ints(8, 9, 10, 11))
        .write(tmp.resolve("p.lance"));
    try (LanceFileReader r = LanceFileReader.open(path)) {
      assertThat(values(r.readData(0, 0, 4))).containsExactly(0, 1, 2, 3);
      assertThat(values(r.readData(0, 2, 4))).containsExactly(2, 3);
      assertThat(values(r.readData(0, 8, 12))).containsExactly(8, 9, 10, 11);
      assertThat(values(r.readData(0, 11, 12))).containsExactly(11);
      assertThatThrownBy(() -> r.readData(0, 3, 5)).isInstanceOf(LanceFormatException.class)
          .hasMessageContaining("column 0 page 1: encoding refers to page buffer 7");
    }
  }

  /** Lists: two list pages (ends 1,3,5 | 2,4) over item pages of 3, 2 and 4 items: lists 0-1 use item page 0, lists 3-4 item page 2. */
  private SyntheticFile lists(ArrayEncoding firstListPage, ArrayEncoding middleItemPage) {
    return new SyntheticFile().field(LIST).rows(5)
        .page(0, 3, firstListPage, longs(1, 3, 5))
        .page(0, 2, list(noNulls(flat(64, 0)), 5, 4), longs(2, 4))
        .page(1, 3, GOOD, ints(10, 11, 12))
        .page(1, 2, middleItemPage, ints(13, 14))
        .page(1, 4, GOOD, ints(15, 16, 17, 18));
  }

  @Test
  void listReadsOnlyTheItemPagesItsListsSpan() throws Exception {
    Path path = lists(list(noNulls(flat(64, 0)), 6, 5), BROKEN).write(tmp.resolve("items.lance"));
    try (LanceFileReader r = LanceFileReader.open(path)) {
      ColumnData first = r.readData(0, 0, 2);
      assertThat(first.offsets()).containsExactly(0, 1, 3);
      assertThat(values(first.child())).containsExactly(10, 11, 12);
      ColumnData last = r.readData(0, 3, 5);
      assertThat(last.offsets()).containsExactly(0, 2, 4);
      assertThat(values(last.child())).containsExactly(15, 16, 17, 18);
      assertThatThrownBy(() -> r.readData(0, 2, 3)).isInstanceOf(LanceFormatException.class)
          .hasMessageContaining("column 1 page 1: encoding refers to page buffer 7");
    }
  }

  @Test
  void listReadsOnlyTheListPagesOfItsRows() throws Exception {
    Path path = lists(list(noNulls(flat(64, 7)), 6, 5), GOOD).write(tmp.resolve("offsets.lance"));
    try (LanceFileReader r = LanceFileReader.open(path)) {
      ColumnData last = r.readData(0, 3, 5);
      assertThat(last.offsets()).containsExactly(0, 2, 4);
      assertThat(values(last.child())).containsExactly(15, 16, 17, 18);
      ColumnData one = r.readData(0, 4, 5);
      assertThat(one.offsets()).containsExactly(0, 2);
      assertThat(values(one.child())).containsExactly(17, 18);
      assertThatThrownBy(() -> r.readData(0, 2, 4)).isInstanceOf(LanceFormatException.class)
          .hasMessageContaining("column 0 page 0: encoding refers to page buffer 7");
    }
  }

  private static int[] values(ColumnData d) {
    ByteBuffer b = ByteBuffer.wrap(d.values()).order(ByteOrder.LITTLE_ENDIAN);
    int[] out = new int[d.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getInt(i * 4);
    }
    return out;
  }
}
