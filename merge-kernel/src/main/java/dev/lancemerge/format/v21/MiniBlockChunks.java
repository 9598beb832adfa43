package dev.lancemerge.format.v21;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.proto.v21.MiniBlockLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Where the chunks of a mini-block page lie, for callers that copy chunk bytes without decoding. */
public final class MiniBlockChunks {
  private MiniBlockChunks() {}

  /** One chunk: its first item within the page, item count, and byte range within the page's data buffer. */
  public record Chunk(long firstItem, int items, long offset, int bytes) {}

  public static List<Chunk> of(LanceFileReader file, PageInfo page, MiniBlockLayout layout) throws IOException {
    try {
      List<Chunk> out = new ArrayList<>();
      for (MiniBlockPageDecoder.Chunk c : MiniBlockPageDecoder.chunks(file, page, layout,
          "column " + page.column() + " page " + page.pageIndex())) {
        out.add(new Chunk(c.firstItem(), c.items(), c.offset(), c.bytes()));
      }
      return out;
    } catch (StructuralException e) {
      throw new LanceFormatException(file.path(), e.getMessage(), e);
    }
  }
}
