package dev.lancemerge.format.v20;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A field stored in one column whose pages each decode on their own: every non-nested type,
 * fixed-size lists included. Each page's encoding tree is decoded for the wanted part of the page
 * and the parts are concatenated.
 */
final class PrimitiveFieldReader implements FieldReader {
  private final LanceFileReader file;
  private final int column;
  private final ValueShape shape;
  private final List<PageInfo> pages;

  PrimitiveFieldReader(LanceFileReader file, int column, ValueShape shape) {
    this.file = file;
    this.column = column;
    this.shape = shape;
    this.pages = file.pages(column);
  }

  @Override
  public long rows() {
    return PageSpan.rows(pages);
  }

  @Override
  public ColumnData read(long from, long to) throws IOException {
    if (to > rows()) {
      throw new LanceFormatException(file.path(), "column " + column + " holds " + rows() + " values but values ["
          + from + ", " + to + ") are needed");
    }
    List<ColumnData> parts = new ArrayList<>();
    for (PageSpan span : PageSpan.overlapping(pages, from, to)) {
      PageContext page = new PageContext(file, span.page());
      parts.add(ArrayDecoders.decode(page, page.encoding(), shape, new Slice(span.page().rows(), span.from(), span.count())));
    }
    return parts.isEmpty() ? shape.empty() : ColumnDataOps.concat(parts);
  }
}
