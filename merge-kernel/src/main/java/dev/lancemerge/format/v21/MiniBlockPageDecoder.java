package dev.lancemerge.format.v21;

import dev.lancemerge.format.BufferRange;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.PageInfo;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
import dev.lancemerge.format.proto.v21.MiniBlockLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Decodes a mini-block page: chunk metadata words locate each chunk in the data buffer; only the
 * chunks that hold the wanted items are read (all of them when the column has repetition, because
 * rows then do not map to chunks without the repetition index).
 */
final class MiniBlockPageDecoder {
  private static final int ALIGN = 8;

  private MiniBlockPageDecoder() {}

  /** A chunk's place: its first item, item count, and byte range within the data buffer. */
  record Chunk(long firstItem, int items, long offset, int bytes) {}

  static List<Chunk> chunks(LanceFileReader file, PageInfo page, MiniBlockLayout layout, String where) throws IOException {
    if (page.buffers().size() < 2) {
      throw new StructuralException(where + ": mini-block page has " + page.buffers().size() + " buffers, needs 2");
    }
    BufferRange metaRange = page.buffers().get(0);
    BufferRange dataRange = page.buffers().get(1);
    int wordBytes = layout.getHasLargeChunk() ? 4 : 2;
    if (metaRange.size() % wordBytes != 0) {
      throw new StructuralException(where + ": chunk metadata of " + metaRange.size() + " bytes is not a whole number of words");
    }
    ByteBuffer meta = file.read(metaRange);
    int count = (int) (metaRange.size() / wordBytes);
    long items = layout.getNumItems();
    List<Chunk> out = new ArrayList<>(count);
    long item = 0;
    long offset = 0;
    for (int i = 0; i < count; i++) {
      long word = wordBytes == 2 ? Short.toUnsignedInt(meta.getShort()) : Integer.toUnsignedLong(meta.getInt());
      int log = (int) (word & 0xF);
      long bytes = ((word >>> 4) + 1) * ALIGN;
      long n;
      if (i < count - 1) {
        if (log == 0) {
          throw new StructuralException(where + ": chunk " + i + " of " + count + " declares no values");
        }
        n = 1L << log;
      } else {
        n = items - item;
      }
      if (n < 0 || item + n > items) {
        throw new StructuralException(where + ": chunks hold more than the page's " + items + " items");
      }
      if (offset + bytes > dataRange.size()) {
        throw new StructuralException(where + ": chunk " + i + " [" + offset + ", +" + bytes + ") runs past the data buffer of " + dataRange.size() + " bytes");
      }
      out.add(new Chunk(item, (int) n, offset, (int) bytes));
      item += n;
      offset += bytes;
    }
    if (item != items) {
      throw new StructuralException(where + ": chunks hold " + item + " items, the page declares " + items);
    }
    return out;
  }

  /**
   * Decodes items {@code [from, to)} (rows, when there is no repetition) or, with repetition, the
   * whole page.
   */
  static PageData decode(LanceFileReader file, PageInfo page, MiniBlockLayout layout, Field leaf,
      long from, long to, String where) throws IOException {
    List<Chunk> chunks = chunks(file, page, layout, where);
    boolean hasRep = layout.hasRepCompression();
    if (hasRep) {
      from = 0;
      to = layout.getNumItems();
    }
    ColumnData dictionary = null;
    if (layout.hasDictionary()) {
      if (page.buffers().size() < 3) {
        throw new StructuralException(where + ": dictionary page without a dictionary buffer");
      }
      long n = layout.getNumDictionaryItems();
      if (n < 0 || n > page.buffers().get(2).size() * 8 + 8) {
        throw new StructuralException(where + ": dictionary claims " + n + " items in " + page.buffers().get(2).size() + " bytes");
      }
      dictionary = ValueDecoder.dictionary(layout.getDictionary(), file.read(page.buffers().get(2)), (int) n, leaf, where);
    }
    BufferRange data = page.buffers().get(1);
    List<ColumnData> parts = new ArrayList<>();
    List<int[]> reps = new ArrayList<>();
    List<int[]> defs = new ArrayList<>();
    int levels = 0;
    int first = 0;
    while (first < chunks.size() && chunks.get(first).firstItem() + chunks.get(first).items() <= from) {
      first++;
    }
    int last = first;
    while (last < chunks.size() && chunks.get(last).firstItem() < to) {
      last++;
    }
    // The wanted chunks lie back to back: one read for all of them (a read per chunk of a few KiB
    // costs more in calls than in bytes). Their bytes are about those of the values decoded from them.
    long spanStart = first < last ? chunks.get(first).offset() : 0;
    long spanEnd = first < last ? chunks.get(last - 1).offset() + chunks.get(last - 1).bytes() : 0;
    ByteBuffer span = file.readAt(data.position() + spanStart, spanEnd - spanStart);
    for (int c = first; c < last; c++) {
      Chunk chunk = chunks.get(c);
      long end = chunk.firstItem() + chunk.items();
      ByteBuffer bytes = span.slice((int) (chunk.offset() - spanStart), chunk.bytes());
      DecodedChunk d = decodeChunk(bytes, layout, leaf, dictionary, chunk.items(), where + " chunk " + c);
      int a = (int) Math.max(0, from - chunk.firstItem());
      int b = (int) (Math.min(to, end) - chunk.firstItem());
      if (hasRep) {
        parts.add(d.items());
        reps.add(d.rep());
        defs.add(d.def());
        levels += d.rep().length;
      } else {
        parts.add(ColumnDataOps.slice(d.items(), a, b));
        defs.add(d.def() == null ? null : java.util.Arrays.copyOfRange(d.def(), a, b));
        levels += b - a;
      }
    }
    ColumnData items = parts.isEmpty()
        ? dev.lancemerge.format.data.NullFill.forField(leaf, 0)
        : ColumnDataOps.concat(parts);
    int[] def = joinLevels(defs, parts, levels);
    int[] rep = hasRep ? joinLevels(reps, parts, levels) : null;
    return new PageData(rep, def, items, layout.getLayersList(), levels);
  }

  private record DecodedChunk(int[] rep, int[] def, ColumnData items) {}

  private static DecodedChunk decodeChunk(ByteBuffer chunk, MiniBlockLayout layout, Field leaf,
      ColumnData dictionary, int items, String where) {
    ByteBuffer b = chunk.order(ByteOrder.LITTLE_ENDIAN);
    int numBuffers = (int) layout.getNumBuffers();
    if (numBuffers < 1 || numBuffers > 16) {
      throw new StructuralException(where + ": " + layout.getNumBuffers() + " value buffers per chunk");
    }
    int header = 2 + (layout.hasRepCompression() ? 2 : 0) + (layout.hasDefCompression() ? 2 : 0)
        + numBuffers * (layout.getHasLargeChunk() ? 4 : 2);
    need(b, 0, header, where);
    int numLevels = Short.toUnsignedInt(b.getShort(0));
    int at = 2;
    int repSize = 0;
    int defSize = 0;
    if (layout.hasRepCompression()) {
      repSize = Short.toUnsignedInt(b.getShort(at));
      at += 2;
    }
    if (layout.hasDefCompression()) {
      defSize = Short.toUnsignedInt(b.getShort(at));
      at += 2;
    }
    int[] sizes = new int[numBuffers];
    for (int i = 0; i < numBuffers; i++) {
      if (layout.getHasLargeChunk()) {
        sizes[i] = b.getInt(at);
        at += 4;
      } else {
        sizes[i] = Short.toUnsignedInt(b.getShort(at));
        at += 2;
      }
      if (sizes[i] < 0) {
        throw new StructuralException(where + ": negative buffer size");
      }
    }
    at = pad(at);
    int[] rep = null;
    int[] def = null;
    if (layout.hasRepCompression()) {
      rep = LevelDecoder.decode(layout.getRepCompression(), slice(b, at, repSize, where), numLevels, where + " rep");
      at = pad(at + repSize);
    }
    if (layout.hasDefCompression()) {
      def = LevelDecoder.decode(layout.getDefCompression(), slice(b, at, defSize, where), numLevels, where + " def");
      at = pad(at + defSize);
    }
    List<ByteBuffer> buffers = new ArrayList<>(numBuffers);
    for (int i = 0; i < numBuffers; i++) {
      buffers.add(slice(b, at, sizes[i], where));
      at = pad(at + sizes[i]);
    }
    ColumnData values;
    if (dictionary != null) {
      ColumnData indices = ValueDecoder.miniBlock(layout.getValueCompression(), buffers, items, indexField(layout), where);
      values = DictionaryLookup.apply(dictionary, indices, rep == null ? def : new int[0], where);
    } else {
      values = ValueDecoder.miniBlock(layout.getValueCompression(), buffers, items, leaf, where);
    }
    if (rep == null && def != null && def.length != items) {
      throw new StructuralException(where + ": " + def.length + " def levels for " + items + " items");
    }
    return new DecodedChunk(rep, def, values);
  }

  private static Field indexField(MiniBlockLayout layout) {
    int bits = 32;
    var enc = layout.getValueCompression();
    if (enc.hasFlat()) {
      bits = (int) enc.getFlat().getBitsPerValue();
    } else if (enc.hasInlineBitpacking()) {
      bits = (int) enc.getInlineBitpacking().getUncompressedBitsPerValue();
    } else if (enc.hasRle() && enc.getRle().getValues().hasFlat()) {
      bits = (int) enc.getRle().getValues().getFlat().getBitsPerValue();
    }
    return Field.notNullable("index", new org.apache.arrow.vector.types.pojo.ArrowType.Int(bits, false));
  }

  private static int[] joinLevels(List<int[]> parts, List<ColumnData> items, int total) {
    boolean any = false;
    for (int[] p : parts) {
      any |= p != null;
    }
    if (!any) {
      return null;
    }
    int[] out = new int[total];
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      int[] p = parts.get(i);
      int n = p != null ? p.length : items.get(i).length();
      if (p != null) {
        System.arraycopy(p, 0, out, at, n);
      }
      at += n;
    }
    return out;
  }

  private static ByteBuffer slice(ByteBuffer b, int at, int size, String where) {
    need(b, at, size, where);
    return b.slice(at, size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void need(ByteBuffer b, int at, long size, String where) {
    if (at < 0 || at + size > b.limit()) {
      throw new StructuralException(where + ": needs bytes [" + at + ", " + (at + size) + ") of a " + b.limit() + "-byte chunk");
    }
  }

  private static int pad(int at) {
    return (at + ALIGN - 1) / ALIGN * ALIGN;
  }
}
