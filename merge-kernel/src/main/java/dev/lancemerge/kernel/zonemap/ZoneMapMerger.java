package dev.lancemerge.kernel.zonemap;

import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.data.ColumnDataOps;
import dev.lancemerge.kernel.MergeException;
import dev.lancemerge.kernel.OutputDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Merges ZoneMap segments and distributed-build part files into one {@code zonemap.lance} that
 * Lance loads: zones ordered by (fragment_id, zone_start) whatever the input order, the inputs'
 * schema and schema metadata ({@code rows_per_zone} included) kept exactly. Refuses inputs that
 * disagree on {@code rows_per_zone} or the value type, that cover the same fragment (a later input
 * must never silently replace an earlier one), or whose zones of one fragment overlap.
 */
public final class ZoneMapMerger {
  static final String ROWS_PER_ZONE = "rows_per_zone";
  private static final List<String> COLUMNS =
      List.of("min", "max", "null_count", "nan_count", "fragment_id", "zone_start", "zone_length");
  private static final ArrowType U32 = new ArrowType.Int(32, false);
  private static final ArrowType U64 = new ArrowType.Int(64, false);

  private ZoneMapMerger() {}

  /** Merges {@code inputs} (segment directories, zonemap files, part files) into {@code outputDir}, which must not exist. */
  public static ZoneMapMergeResult merge(List<Path> inputs, Path outputDir) throws IOException {
    long start = System.nanoTime();
    if (inputs.isEmpty()) {
      throw new MergeException(null, "no ZoneMap inputs to merge");
    }
    List<ZoneMapInput> in = ZoneMapInput.resolve(inputs);
    try (OutputDirectory out = OutputDirectory.create(outputDir)) {
      return write(in, out, outputDir, start);
    } catch (LanceFormatException e) {
      // A page that only fails when its data is read: still the input's fault, named as such.
      throw new MergeException(e.file(), e.problem(), e);
    } finally {
      for (ZoneMapInput i : in) {
        i.close();
      }
    }
  }

  /**
   * Whether the ZoneMap segment {@code candidate} could be merged with {@code reference}: same columns, value type
   * and metadata ({@code rows_per_zone}). Fragment coverage is the caller's to check.
   */
  public static void checkCompatible(Path reference, Path candidate) throws IOException {
    List<ZoneMapInput> in = ZoneMapInput.resolve(List.of(reference, candidate));
    try {
      checkSchemas(in);
    } finally {
      for (ZoneMapInput i : in) {
        i.close();
      }
    }
  }

  private static ZoneMapMergeResult write(List<ZoneMapInput> in, OutputDirectory out, Path outputDir, long start)
      throws IOException {
    Schema schema = checkSchemas(in);
    List<Zone> zones = zones(in);
    SortedSet<Integer> fragments = new TreeSet<>();
    for (Zone z : zones) {
      fragments.add((int) z.fragment);
    }
    try (LanceFileWriter w = LanceFileWriter.create(out.file(ZoneMapInput.SEGMENT_FILE), schema, FileVersion.V2_1)) {
      writeSorted(in, zones, w);
    }
    long bytes = out.bytes();
    out.publish();
    return new ZoneMapMergeResult(outputDir, in.size(), zones.size(), fragments,
        schema.getCustomMetadata().get(ROWS_PER_ZONE), schema.getFields().get(0).getType().toString(), bytes,
        (System.nanoTime() - start) / 1e9);
  }

  /** The first input's schema, after checking every input has the same columns, types and metadata. */
  private static Schema checkSchemas(List<ZoneMapInput> in) throws MergeException {
    ZoneMapInput first = in.get(0);
    Schema s0 = first.reader().schema().arrow();
    requireColumns(first, s0);
    Map<String, String> m0 = first.reader().metadata();
    for (ZoneMapInput i : in.subList(1, in.size())) {
      Schema s = i.reader().schema().arrow();
      requireColumns(i, s);
      if (!s.getFields().get(0).getType().equals(s0.getFields().get(0).getType())) {
        throw new MergeException(i.label(), "min/max are " + s.getFields().get(0).getType() + ", but "
            + first.label() + " has " + s0.getFields().get(0).getType());
      }
      Map<String, String> m = i.reader().metadata();
      if (!Objects.equals(m.get(ROWS_PER_ZONE), m0.get(ROWS_PER_ZONE))) {
        throw new MergeException(i.label(), "rows_per_zone is " + m.get(ROWS_PER_ZONE) + ", but " + first.label()
            + " has " + m0.get(ROWS_PER_ZONE));
      }
      if (!m.equals(m0)) {
        throw new MergeException(i.label(), "schema metadata " + m + " differs from " + first.label() + "'s " + m0);
      }
      if (!s.getFields().equals(s0.getFields())) {
        throw new MergeException(i.label(), "columns " + s.getFields() + " differ from " + first.label() + "'s " + s0.getFields());
      }
    }
    return new Schema(s0.getFields(), m0);
  }

  private static void requireColumns(ZoneMapInput in, Schema s) throws MergeException {
    List<String> names = s.getFields().stream().map(Field::getName).toList();
    if (!names.equals(COLUMNS)) {
      throw new MergeException(in.label(), "columns are " + names + ", a ZoneMap has " + COLUMNS);
    }
    if (!s.getFields().get(0).getType().equals(s.getFields().get(1).getType())) {
      throw new MergeException(in.label(), "min is " + s.getFields().get(0).getType() + " but max is " + s.getFields().get(1).getType());
    }
    for (int c = 2; c < 7; c++) {
      ArrowType want = c < 4 ? U32 : U64;
      if (!s.getFields().get(c).getType().equals(want)) {
        throw new MergeException(in.label(), "column " + COLUMNS.get(c) + " is " + s.getFields().get(c).getType() + ", not " + want);
      }
    }
  }

  /** One zone: where it lives (input, row) and what orders it. */
  private record Zone(long fragment, long start, long length, int input, int row) {}

  private static List<Zone> zones(List<ZoneMapInput> in) throws IOException {
    List<Zone> zones = new ArrayList<>();
    Map<Long, Integer> owner = new HashMap<>();
    for (int i = 0; i < in.size(); i++) {
      LanceFileReader r = in.get(i).reader();
      long[] frag = longs(r, 4);
      long[] start = longs(r, 5);
      long[] len = longs(r, 6);
      for (int row = 0; row < frag.length; row++) {
        Integer other = owner.putIfAbsent(frag[row], i);
        if (other != null && other != i) {
          throw new MergeException(in.get(i).label(), "covers fragment " + frag[row] + ", which "
              + in.get(other).label() + " also covers (one input would replace the other's zones)");
        }
        zones.add(new Zone(frag[row], start[row], len[row], i, row));
      }
    }
    zones.sort((a, b) -> a.fragment != b.fragment ? Long.compareUnsigned(a.fragment, b.fragment)
        : Long.compareUnsigned(a.start, b.start));
    for (int k = 1; k < zones.size(); k++) {
      Zone a = zones.get(k - 1);
      Zone b = zones.get(k);
      if (a.fragment == b.fragment && Long.compareUnsigned(a.start + a.length, b.start) > 0) {
        throw new MergeException(in.get(b.input).label(), "zones of fragment " + a.fragment + " overlap: [" + a.start
            + ", " + (a.start + a.length) + ") and [" + b.start + ", " + (b.start + b.length) + ")");
      }
    }
    return zones;
  }

  private static long[] longs(LanceFileReader r, int field) throws IOException {
    ColumnData d = r.readData(field, 0, r.numRows());
    if (d.nullCount() > 0) {
      throw new MergeException(String.valueOf(r.path()), "column " + COLUMNS.get(field) + " has nulls");
    }
    long[] out = new long[d.length()];
    ByteBuffer b = ByteBuffer.wrap(d.values()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getLong(i * 8);
    }
    return out;
  }

  /** Writes every column in zone order, copying runs of zones that are consecutive in one input. */
  private static void writeSorted(List<ZoneMapInput> in, List<Zone> zones, LanceFileWriter w) throws IOException {
    List<int[]> runs = new ArrayList<>();
    for (Zone z : zones) {
      int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last[0] == z.input && last[2] == z.row) {
        last[2]++;
      } else {
        runs.add(new int[] {z.input, z.row, z.row + 1});
      }
    }
    for (int f = 0; f < COLUMNS.size(); f++) {
      ColumnData[] columns = new ColumnData[in.size()];
      List<ColumnData> parts = new ArrayList<>();
      for (int[] run : runs) {
        if (columns[run[0]] == null) {
          LanceFileReader r = in.get(run[0]).reader();
          columns[run[0]] = r.readData(f, 0, r.numRows());
        }
        parts.add(ColumnDataOps.slice(columns[run[0]], run[1], run[2]));
      }
      if (!parts.isEmpty()) {
        w.write(f, ColumnDataOps.concat(parts));
      }
    }
  }
}
