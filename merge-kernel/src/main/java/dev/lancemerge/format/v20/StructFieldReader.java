package dev.lancemerge.format.v20;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A struct in 2.0: a header column whose pages carry only a row count and the empty
 * {@code struct} encoding (Lance writes exactly one), then one field per child. 2.0 stores no
 * struct-level validity, so every struct row reads back valid, as in Lance.
 */
final class StructFieldReader implements FieldReader {
  private final LanceFileReader file;
  private final int column;
  private final List<FieldReader> children;
  private final List<PageInfo> pages;

  StructFieldReader(LanceFileReader file, int column, List<FieldReader> children) {
    this.file = file;
    this.column = column;
    this.children = List.copyOf(children);
    this.pages = file.pages(column);
  }

  @Override
  public long rows() {
    return PageSpan.rows(pages);
  }

  @Override
  public ColumnData read(long from, long to) throws IOException {
    if (to > rows()) {
      throw new LanceFormatException(file.path(), "column " + column + " holds " + rows() + " struct rows but rows ["
          + from + ", " + to + ") are needed");
    }
    for (PageSpan span : PageSpan.overlapping(pages, from, to)) {
      PageContext page = new PageContext(file, span.page());
      ArrayEncoding enc = page.encoding();
      if (enc.getArrayEncodingCase() != ArrayEncoding.ArrayEncodingCase.STRUCT) {
        throw page.fail("a struct header column needs struct pages but this one is '" + ArrayDecoders.name(enc) + "'");
      }
    }
    List<ColumnData> kids = new ArrayList<>();
    for (FieldReader child : children) {
      kids.add(child.read(from, to));
    }
    return ColumnData.struct((int) (to - from), kids, null);
  }
}
