package dev.lancemerge.operators.source;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.kernel.vector.VectorSegment;
import dev.lancemerge.kernel.zonemap.ZoneMapInput;
import dev.lancemerge.operators.lance.SegmentKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Opens one segment with the merge kernel and turns it into the records of its split: a {@link SegmentSeen}, then a
 * {@link PartitionSlice} per non-empty IVF partition (vector) or a {@link ZoneSlice} per zone (ZoneMap). Only
 * metadata is read for vectors (IVF lengths and offsets); for ZoneMaps the zonemap file, which is small. Anything
 * that keeps the segment from being read or merged (missing or truncated files, a corrupt footer, HNSW or RQ, a
 * kind other than the split says, a ZoneMap without the zonemap columns) gives one {@link SegmentRejected} instead.
 */
public final class SegmentScanner {
  static final List<String> ZONEMAP_COLUMNS =
      List.of("min", "max", "null_count", "nan_count", "fragment_id", "zone_start", "zone_length");
  private static final int ROW_ID_BYTES = 8;
  private static final int MAX_REASON = 1000;

  private SegmentScanner() {}

  /** Every record of {@code split} in emission order (whatever {@link SegmentSplit#recordsEmitted()} says). */
  public static List<SegmentRecord> read(SegmentSplit split) {
    try {
      return split.kind() == SegmentKind.VECTOR ? readVector(split) : readZoneMap(split);
    } catch (IOException | RuntimeException e) {
      return List.of(SegmentRecord.of(new SegmentRejected(split, reason(split, e))));
    }
  }

  private static List<SegmentRecord> readVector(SegmentSplit split) throws IOException {
    Path dir = split.directoryPath();
    try (VectorSegment seg = VectorSegment.open(dir)) {
      if (!seg.type().isMergeable()) {
        return List.of(SegmentRecord.of(new SegmentRejected(split,
            "segment " + split.segmentUuid() + " is " + seg.type() + ", not mergeable yet (IVF_FLAT, IVF_PQ, IVF_SQ)")));
      }
      long rowBytes = seg.quantizer().codeBytes() + (long) ROW_ID_BYTES;
      List<SegmentRecord> slices = new ArrayList<>();
      for (int p = 0; p < seg.partitions(); p++) {
        long n = seg.length(p);
        if (n > 0) {
          slices.add(SegmentRecord.of(new PartitionSlice(split.indexName(), split.segmentUuid(), p, seg.offset(p), n,
              n * rowBytes)));
        }
      }
      List<SegmentRecord> out = new ArrayList<>(slices.size() + 1);
      out.add(SegmentRecord.of(new SegmentSeen(split, seg.rows(), seg.partitions(), slices.size(), bytesOf(split))));
      out.addAll(slices);
      return out;
    }
  }

  private static List<SegmentRecord> readZoneMap(SegmentSplit split) throws IOException {
    List<ZoneMapInput> inputs = ZoneMapInput.resolve(List.of(split.directoryPath()));
    try {
      List<SegmentRecord> zones = new ArrayList<>();
      long rows = 0;
      for (ZoneMapInput in : inputs) {
        LanceFileReader r = in.reader();
        List<String> names = r.schema().arrow().getFields().stream().map(Field::getName).toList();
        if (!names.equals(ZONEMAP_COLUMNS)) {
          throw new IOException(in.label() + " has columns " + names + ", a ZoneMap has " + ZONEMAP_COLUMNS);
        }
        long n = r.numRows();
        ColumnData min = r.readData(0, 0, n);
        ColumnData max = r.readData(1, 0, n);
        long[] nulls = unsigned(r.readData(2, 0, n), 4, "null_count", in);
        long[] nans = unsigned(r.readData(3, 0, n), 4, "nan_count", in);
        long[] frag = unsigned(r.readData(4, 0, n), 8, "fragment_id", in);
        long[] start = unsigned(r.readData(5, 0, n), 8, "zone_start", in);
        long[] len = unsigned(r.readData(6, 0, n), 8, "zone_length", in);
        UUID uuid = split.segmentUuid();
        for (int i = 0; i < n; i++) {
          zones.add(SegmentRecord.of(new ZoneSlice(split.indexName(), uuid, frag[i], start[i], len[i],
              value(min, i, in), value(max, i, in), nulls[i], nans[i])));
          rows += len[i];
        }
      }
      List<SegmentRecord> out = new ArrayList<>(zones.size() + 1);
      out.add(SegmentRecord.of(new SegmentSeen(split, rows, 0, zones.size(), bytesOf(split))));
      out.addAll(zones);
      return out;
    } finally {
      for (ZoneMapInput in : inputs) {
        in.close();
      }
    }
  }

  /** A u32/u64 column without nulls as longs. */
  private static long[] unsigned(ColumnData d, int width, String column, ZoneMapInput in) throws IOException {
    if (d.kind() != ColumnData.Kind.FIXED || d.byteWidth() != width) {
      throw new IOException(in.label() + " column " + column + " is not a " + (width * 8) + "-bit integer column");
    }
    if (d.nullCount() > 0) {
      throw new IOException(in.label() + " column " + column + " has nulls");
    }
    ByteBuffer b = ByteBuffer.wrap(d.values()).order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[d.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = width == 8 ? b.getLong(i * 8) : Integer.toUnsignedLong(b.getInt(i * 4));
    }
    return out;
  }

  /** Slot {@code i} of a min/max column as bytes (see {@link ZoneSlice#min()}), null when null. */
  private static byte[] value(ColumnData d, int i, ZoneMapInput in) throws IOException {
    if (d.kind() == ColumnData.Kind.NULL || !d.isValid(i)) {
      return null;
    }
    return switch (d.kind()) {
      case FIXED -> Arrays.copyOfRange(d.values(), i * d.byteWidth(), (i + 1) * d.byteWidth());
      case BOOL -> new byte[] {(byte) (d.values()[i >>> 3] >>> (i & 7) & 1)};
      case VARIABLE -> Arrays.copyOfRange(d.values(), Math.toIntExact(d.offsets()[i]),
          Math.toIntExact(d.offsets()[i + 1]));
      default -> throw new IOException(in.label() + " holds " + d.kind() + " zone values, which this reader does not read");
    };
  }

  private static long bytesOf(SegmentSplit split) throws IOException {
    long total = 0;
    try (var files = Files.list(split.directoryPath())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
    }
    return total;
  }

  private static String reason(SegmentSplit split, Throwable e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String r = "segment " + split.segmentUuid() + " (" + split.kind() + ", " + split.directory() + ") cannot be read: "
        + msg;
    r = r.replaceAll("[\\r\\n]+", " ");
    return r.length() > MAX_REASON ? r.substring(0, MAX_REASON) + "..." : r;
  }
}
