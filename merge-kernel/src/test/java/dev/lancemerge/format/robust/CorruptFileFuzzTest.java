package dev.lancemerge.format.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.lancemerge.format.proto.ColumnMetadata;
import dev.lancemerge.format.proto.FileDescriptor;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.format.robust.ReadEverything.Kind;
import dev.lancemerge.format.robust.ReadEverything.Outcome;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupts real Lance files thousands of times (seeded) and reads every mutant the way a consumer does
 * ({@link ReadEverything}): each must either read or fail with a {@link dev.lancemerge.format.LanceFormatException}
 * naming the file and the problem, within 5 seconds and without allocating far more than the clean file
 * needs. Mutations: bit flips anywhere, bit flips in the metadata (schema buffer, column metadata, tables,
 * footer), bit flips in the page structure (chunk metadata, chunk headers, offsets), truncations, random
 * byte overwrites, zeroed ranges, deleted or inserted ranges, one-field changes inside the protobuf messages
 * (schema, column metadata, page layouts), and targeted ones: wrong magic, unknown versions, footer offsets
 * and table entries outside the file or huge, garbage protobuf, pages claiming more rows or bytes than exist.
 * Prints the counts per source and strategy. A failure lists source, mutant number and what was changed;
 * {@code -Dfuzz.only=source#number} reruns just that mutant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorruptFileFuzzTest {
  /** {@code -Dfuzz.seed=N} explores other mutants; {@code -Dfuzz.scale=K} makes K times as many random ones. */
  private static final long SEED = Long.getLong("fuzz.seed", 0x1A2CE_F022L);
  private static final int SCALE = Integer.getInteger("fuzz.scale", 1);
  private static final long TIMEOUT_MILLIS = 5_000;
  private static final int DATA_ROWS = 800;
  /** Random mutants per source: more for the data files, which have the most page kinds. */
  private static final int RANDOM_PER_DATA_FILE = 800;
  private static final int RANDOM_PER_INDEX_FILE = 450;

  @TempDir static Path tmp;

  private final BufferAllocator root = new RootAllocator(3L << 30);
  private final Map<String, byte[]> sources = new LinkedHashMap<>();

  @BeforeAll
  void writeSources() throws IOException {
    Path dir = tmp.resolve("sources");
    Files.createDirectories(dir);
    for (String v : List.of("2.0", "2.1", "2.2")) {
      sources.put("data-" + v, Files.readAllBytes(RealSources.dataFile(dir, v, root, DATA_ROWS)));
    }
    for (String v : List.of("2.1", "2.2")) {
      sources.put("pages-" + v, Files.readAllBytes(RealSources.multiPageFile(dir, v, root)));
    }
    for (String v : List.of("2.1", "2.0")) {
      for (Map.Entry<String, Path> e : RealSources.indexFiles(dir, v, root).entrySet()) {
        sources.put(e.getKey(), Files.readAllBytes(e.getValue()));
      }
    }
  }

  @AfterAll
  void close() {
    root.close();
  }

  /** Logical types put on fields whose pages hold something else. */
  private static final List<String> STRANGE_TYPES = List.of("fixed_size_list:float:2147483647",
      "fixed_size_list:uint8:65536", "fixed_size_list:float", "fixed_size_list:", "fixed_size_list:int64:3", "int64",
      "int8", "bool", "string", "large_binary", "null", "halffloat", "fixed_size_binary:2147483647",
      "fixed_size_binary:3", "decimal:128:38:10", "decimal:256:76:0", "timestamp:ns:UTC", "date64:ms", "struct",
      "list", "", "time32:s", "duration:xs");

  /** One corrupted file and how it was made. */
  record Mutant(String strategy, String description, byte[] bytes) {}

  private record Failure(String source, int number, Mutant mutant, Outcome outcome) {}

  private static final class Counts {
    final AtomicLongArray n = new AtomicLongArray(3);

    void add(Kind k) {
      n.incrementAndGet(k.ordinal());
    }

    long total() {
      return n.get(0) + n.get(1) + n.get(2);
    }
  }

  @Test
  void everyMutantReadsOrFailsWithLanceFormatException() throws Exception {
    long started = System.nanoTime();
    String only = System.getProperty("fuzz.only");
    Map<String, Counts> byStrategy = new ConcurrentHashMap<>();
    Map<String, Counts> bySource = new ConcurrentHashMap<>();
    Map<String, Counts> problems = new ConcurrentHashMap<>();
    List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    Map<String, Long> caps = new LinkedHashMap<>();

    // Baseline: every clean source reads, and sets the allocation cap for its mutants.
    try (ReadEverything reader = new ReadEverything(root, TIMEOUT_MILLIS * 4)) {
      for (Map.Entry<String, byte[]> s : sources.entrySet()) {
        Path p = tmp.resolve("clean-" + s.getKey() + ".lance");
        Files.write(p, s.getValue());
        Outcome warm = reader.attempt(p, Long.MAX_VALUE, 1);
        Outcome clean = reader.attempt(p, Long.MAX_VALUE, 1);
        assertThat(clean.kind()).as("clean %s: %s", s.getKey(),
            describe(new Failure(s.getKey(), -1, new Mutant("none", "clean file", s.getValue()), clean)))
            .isEqualTo(Kind.OK);
        assertThat(warm.kind()).isEqualTo(Kind.OK);
        caps.put(s.getKey(), 16 * clean.allocatedBytes() + (64L << 20));
      }
    }

    List<String> names = new ArrayList<>(sources.keySet());
    int drivers = 2;
    ExecutorService pool = Executors.newFixedThreadPool(drivers);
    List<Future<?>> running = new ArrayList<>();
    for (int d = 0; d < drivers; d++) {
      final int shard = d;
      running.add(pool.submit(() -> {
        try (ReadEverything reader = new ReadEverything(root, TIMEOUT_MILLIS)) {
          for (String source : names) {
            Mutants mutants = new Mutants(source, sources.get(source));
            for (int i = shard; i < mutants.size(); i += drivers) {
              if (only != null && !only.equals(source + "#" + i)) {
                continue;
              }
              Mutant m = mutants.get(i);
              Path p = tmp.resolve("mutant-" + shard + "-" + i + ".lance");
              Files.write(p, m.bytes());
              Outcome o = reader.attempt(p, caps.get(source), SEED + i);
              Files.deleteIfExists(p);
              byStrategy.computeIfAbsent(m.strategy(), k -> new Counts()).add(o.kind());
              bySource.computeIfAbsent(source, k -> new Counts()).add(o.kind());
              if (o.kind() == Kind.TYPED) {
                problems.computeIfAbsent(shortProblem(o.detail()), k -> new Counts()).add(o.kind());
              } else if (o.kind() == Kind.BAD) {
                failures.add(new Failure(source, i, m, o));
              }
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();

    long total = 0;
    long ok = 0;
    long typed = 0;
    StringBuilder report = new StringBuilder();
    report.append(String.format("%-24s %8s %8s %8s %6s%n", "source / strategy", "mutants", "read ok", "typed", "bad"));
    for (Map<String, Counts> table : List.of(new TreeMap<>(bySource), new TreeMap<>(byStrategy))) {
      for (Map.Entry<String, Counts> e : table.entrySet()) {
        Counts c = e.getValue();
        report.append(String.format("%-24s %8d %8d %8d %6d%n", e.getKey(), c.total(), c.n.get(0), c.n.get(1), c.n.get(2)));
      }
      report.append('\n');
    }
    for (Counts c : bySource.values()) {
      total += c.total();
      ok += c.n.get(0);
      typed += c.n.get(1);
    }
    report.append("most frequent problems reported:\n");
    problems.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().total(), a.getValue().total()))
        .limit(12)
        .forEach(e -> report.append(String.format("  %6d  %s%n", e.getValue().total(), e.getKey())));
    System.out.printf("CorruptFileFuzzTest: %d mutants of %d real files: %d read fine, %d typed LanceFormatException, "
            + "%d other failures; %.1f s%n%s", total, sources.size(), ok, typed, failures.size(),
        (System.nanoTime() - started) / 1e9, report);

    StringBuilder why = new StringBuilder();
    failures.stream().limit(25).forEach(f -> why.append(describe(f)));
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + total + " mutants failed in a way other than a LanceFormatException:\n" + why);
    }
    if (only == null) {
      assertThat(total).isGreaterThan(4000);
    }
  }

  private static String shortProblem(String problem) {
    String p = problem.replaceAll("\\d+", "N");
    return p.length() > 110 ? p.substring(0, 110) + "..." : p;
  }

  private static String describe(Failure f) {
    StringWriter s = new StringWriter();
    s.append(String.format("%n- %s#%d [%s] %s%n  -> %s%n", f.source(), f.number(), f.mutant().strategy(),
        f.mutant().description(), f.outcome().detail()));
    if (f.outcome().error() != null) {
      StackTraceElement[] st = f.outcome().error().getStackTrace();
      for (int i = 0; i < Math.min(8, st.length); i++) {
        s.append("       at ").append(st[i].toString()).append('\n');
      }
      Throwable cause = f.outcome().error().getCause();
      if (cause != null) {
        s.append("     caused by ").append(cause.toString()).append('\n');
        StackTraceElement[] cst = cause.getStackTrace();
        for (int i = 0; i < Math.min(6, cst.length); i++) {
          s.append("       at ").append(cst[i].toString()).append('\n');
        }
      }
    }
    return s.toString();
  }

  /** The mutants of one source: targeted ones first, then seeded random ones; {@link #get} is deterministic. */
  static final class Mutants {
    private final String source;
    private final byte[] clean;
    private final LanceFileParts parts;
    private final List<IntFunction<Mutant>> targeted = new ArrayList<>();
    private final int random;
    /** Ranges (position, length) of the metadata: the schema buffer and everything from the column metadata on. */
    private final List<long[]> metaRegions = new ArrayList<>();
    /** Ranges of page structure: the first bytes of every page buffer (chunk metadata, chunk headers, offsets). */
    private final List<long[]> structRegions = new ArrayList<>();

    Mutants(String source, byte[] clean) {
      this.source = source;
      this.clean = clean;
      this.parts = LanceFileParts.parse(clean);
      this.random = SCALE * (source.startsWith("data-") || source.startsWith("pages-")
          ? RANDOM_PER_DATA_FILE : RANDOM_PER_INDEX_FILE);
      metaRegions.add(parts.globalBuffers.get(0).clone());
      metaRegions.add(new long[] {parts.columnMetaStart, clean.length - parts.columnMetaStart});
      for (long[] b : parts.pageBuffers()) {
        if (b[1] > 0) {
          structRegions.add(new long[] {b[0], Math.min(b[1], 96)});
        }
      }
      if (structRegions.isEmpty()) {
        structRegions.add(metaRegions.get(1));
      }
      addTargeted();
    }

    int size() {
      return targeted.size() + random;
    }

    Mutant get(int i) {
      if (i < targeted.size()) {
        return targeted.get(i).apply(i);
      }
      return randomMutant(new Random(SEED ^ (source.hashCode() * 0x9E3779B97F4A7C15L) ^ (i * 0xC2B2AE3D27D4EB4FL)));
    }

    // ---------------------------------------------------------------- targeted

    private void add(String strategy, String description, java.util.function.Supplier<byte[]> bytes) {
      targeted.add(i -> new Mutant(strategy, description, bytes.get()));
    }

    private void addTargeted() {
      long size = clean.length;
      for (int i = 0; i < 4; i++) {
        final int at = clean.length - 4 + i;
        add("magic", "magic byte " + i + " changed", () -> {
          byte[] b = clean.clone();
          b[at] ^= 0x20;
          return b;
        });
      }
      int[][] versions = {{2, 3}, {9, 9}, {0, 1}, {0, 2}, {1, 0}, {3, 0}, {0xFFFF, 0xFFFF}, {2, 2}, {0, 3}, {2, 0}, {2, 1}};
      for (int[] v : versions) {
        add("version", "footer version " + v[0] + "." + v[1], () -> parts.withFooterField(32, 4, v[0] | ((long) v[1] << 16)));
      }
      String[] footerLongs = {"column metadata start", "column metadata table", "global buffer table"};
      long[] original = {parts.columnMetaStart, parts.columnMetaOffsetsStart, parts.globalBufferOffsetsStart};
      for (int f = 0; f < 3; f++) {
        for (long v : new long[] {0, 40, size - 40, size - 39, size, size + 1, 1L << 40, Long.MAX_VALUE, -1,
            original[f] + 1, original[f] - 1, original[f] + 16, original[f] - 16}) {
          final int field = f;
          add("footer-offsets", footerLongs[f] + " := " + v, () -> parts.withFooterField(8 * field, 8, v));
        }
      }
      int[] counts = {parts.globalBuffers.size(), parts.numColumns()};
      String[] countNames = {"global buffer count", "column count"};
      for (int f = 0; f < 2; f++) {
        for (long v : new long[] {0, 1, counts[f] - 1, counts[f] + 1, Integer.MAX_VALUE, -1, 1 << 20, 1L << 31}) {
          final int field = f;
          add("footer-counts", countNames[f] + " := " + v, () -> parts.withFooterField(24 + 4 * field, 4, v));
        }
      }
      List<Integer> columns = sampleColumns();
      for (int table = 0; table < 2; table++) {
        boolean global = table == 0;
        List<Integer> entries = global ? range(parts.globalBuffers.size()) : columns;
        for (int e : entries) {
          long[] r = global ? parts.globalBuffers.get(e) : parts.columnRanges.get(e);
          long[][] values = {{size, 1}, {0, size * 2}, {Long.MAX_VALUE, Long.MAX_VALUE}, {-1, 8}, {r[0], r[1] + 1},
              {r[0] + 1, r[1]}, {r[0], 0}, {r[0] - 64, r[1]}, {size - 40, 40}, {r[0], 1L << 40}, {1L << 62, 16},
              {r[0], -1}, {r[0] + r[1], r[1]}};
          for (long[] v : values) {
            add(global ? "gbo-table" : "cmo-table", (global ? "global buffer " : "column metadata ") + e + " := ["
                + v[0] + ", +" + v[1] + ")", () -> parts.withTableEntry(global, e, v[0], v[1]));
          }
        }
      }
      // Protobuf that does not parse (or parses into nonsense).
      int schemaSize = (int) parts.globalBuffers.get(0)[1];
      add("garbage-proto", "schema buffer: random bytes", () -> parts.rebuild().global(0, randomBytes(schemaSize, 1)).build());
      add("garbage-proto", "schema buffer: all 0xFF", () -> parts.rebuild().global(0, filled(schemaSize, 0xFF)).build());
      add("garbage-proto", "schema buffer: cut in half", () -> parts.rebuild()
          .global(0, Arrays.copyOf(parts.globalBuffer(0), schemaSize / 2)).build());
      add("garbage-proto", "schema buffer: empty", () -> parts.rebuild().global(0, new byte[0]).build());
      for (int c : columns) {
        int len = parts.columnBytes(c).length;
        add("garbage-proto", "column " + c + " metadata: random bytes", () -> parts.rebuild().column(c, randomBytes(len, c)).build());
        add("garbage-proto", "column " + c + " metadata: all 0xFF", () -> parts.rebuild().column(c, filled(len, 0xFF)).build());
        add("garbage-proto", "column " + c + " metadata: truncated", () -> parts.rebuild()
            .column(c, Arrays.copyOf(parts.columnBytes(c), len - 1)).build());
        add("garbage-proto", "column " + c + " metadata: empty", () -> parts.rebuild().column(c, new byte[0]).build());
        if (parts.column(c).getPagesCount() > 0) {
          add("garbage-proto", "column " + c + " page 0 layout: random bytes", () -> withPage(c, 0,
              p -> LanceFileParts.withPageValue(p, ByteString.copyFrom(randomBytes(24, c)))));
          add("garbage-proto", "column " + c + " page 0 layout: truncated", () -> withPage(c, 0,
              p -> LanceFileParts.withPageValue(p, LanceFileParts.pageAny(p).getValue()
                  .substring(0, LanceFileParts.pageAny(p).getValue().size() / 2))));
          add("garbage-proto", "column " + c + " page 0 encoding: not an Any", () -> withPage(c, 0,
              p -> p.toBuilder().setEncoding(p.getEncoding().toBuilder().setDirect(p.getEncoding().getDirect()
                  .toBuilder().setEncoding(ByteString.copyFrom(filled(9, 0xFF))))).build()));
        }
      }
      // Fields whose type is not what their pages hold (or is not a type at all).
      FileDescriptor fd = parts.descriptor();
      for (int f = 0; f < fd.getSchema().getFieldsCount(); f++) {
        String type = fd.getSchema().getFields(f).getLogicalType();
        if (type.equals("list") || type.equals("struct")) {
          continue;
        }
        for (int j = f % 3; j < STRANGE_TYPES.size(); j += 3) {
          final int field = f;
          final String t = STRANGE_TYPES.get(j);
          add("schema-type", "field " + f + " type " + type + " := " + t, () -> {
            FileDescriptor.Builder b = parts.descriptor().toBuilder();
            b.getSchemaBuilder().getFieldsBuilder(field).setLogicalType(t);
            return parts.rebuild().descriptor(b.build()).build();
          });
        }
      }
      // Pages that claim more (or fewer) rows than exist.
      for (long k : new long[] {1, 1000, 1L << 31, 1L << 40, -1}) {
        add("page-rows", "every column's last page and the file claim " + k + " more rows", () -> moreRows(k, true));
      }
      for (int c : columns) {
        add("page-rows", "column " + c + " last page claims one more row than the file", () -> withLastPage(c,
            p -> p.toBuilder().setLength(p.getLength() + 1).build()));
        add("page-rows", "column " + c + " last page claims 2^40 rows", () -> withLastPage(c,
            p -> p.toBuilder().setLength(1L << 40).build()));
      }
      add("page-rows", "the file claims one more row than its pages", () -> parts.rebuild()
          .descriptor(parts.descriptor().toBuilder().setLength(parts.descriptor().getLength() + 1).build()).build());
      add("page-rows", "the file claims 2^63-1 rows", () -> parts.rebuild()
          .descriptor(parts.descriptor().toBuilder().setLength(Long.MAX_VALUE).build()).build());
      // Pages that claim more bytes than exist, or bytes elsewhere.
      for (int c : columns) {
        ColumnMetadata m = parts.column(c);
        if (m.getPagesCount() == 0 || m.getPages(0).getBufferSizesCount() == 0) {
          continue;
        }
        int nb = m.getPages(0).getBufferSizesCount();
        for (int b = 0; b < nb; b++) {
          final int buf = b;
          long[][] changes = {{0, 1}, {0, 64}, {0, size}, {0, 1L << 40}, {0, Long.MAX_VALUE}, {64, 0}, {size, 0},
              {Long.MAX_VALUE, 0}, {-64, 0}};
          for (long[] ch : changes) {
            add("page-bytes", "column " + c + " page 0 buffer " + b + ": offset +" + ch[0] + ", size +" + ch[1],
                () -> withPage(c, 0, p -> p.toBuilder()
                    .setBufferOffsets(buf, p.getBufferOffsets(buf) + ch[0])
                    .setBufferSizes(buf, p.getBufferSizes(buf) + ch[1]).build()));
          }
        }
        add("page-bytes", "column " + c + " page 0: one buffer fewer", () -> withPage(c, 0, p -> {
          ColumnMetadata.Page.Builder pb = p.toBuilder().clearBufferOffsets().clearBufferSizes();
          for (int b = 0; b < p.getBufferSizesCount() - 1; b++) {
            pb.addBufferOffsets(p.getBufferOffsets(b)).addBufferSizes(p.getBufferSizes(b));
          }
          return pb.build();
        }));
        add("page-bytes", "column " + c + " page 0: sizes without offsets", () -> withPage(c, 0,
            p -> p.toBuilder().clearBufferOffsets().build()));
      }
    }

    private List<Integer> sampleColumns() {
      int n = parts.numColumns();
      if (n <= 8) {
        return range(n);
      }
      List<Integer> out = new ArrayList<>();
      for (int c = 0; c < n; c += 3) {
        out.add(c);
      }
      if (!out.contains(n - 1)) {
        out.add(n - 1);
      }
      return out;
    }

    private static List<Integer> range(int n) {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(i);
      }
      return out;
    }

    private byte[] withPage(int c, int page, java.util.function.UnaryOperator<ColumnMetadata.Page> change) {
      ColumnMetadata m = parts.column(c);
      return parts.rebuild().column(c, m.toBuilder().setPages(page, change.apply(m.getPages(page))).build()).build();
    }

    private byte[] withLastPage(int c, java.util.function.UnaryOperator<ColumnMetadata.Page> change) {
      int pages = parts.column(c).getPagesCount();
      return pages == 0 ? clean.clone() : withPage(c, pages - 1, change);
    }

    /** Adds {@code k} rows to the last page of every column that counts rows, and to the file (consistent). */
    private byte[] moreRows(long k, boolean file) {
      LanceFileParts.Rebuild r = parts.rebuild();
      long rows = parts.descriptor().getLength();
      for (int c = 0; c < parts.numColumns(); c++) {
        ColumnMetadata m = parts.column(c);
        if (m.getPagesCount() == 0) {
          continue;
        }
        long held = m.getPagesList().stream().mapToLong(ColumnMetadata.Page::getLength).sum();
        if (held != rows) {
          continue; // a 2.0 list item column counts items, not rows
        }
        ColumnMetadata.Page last = m.getPages(m.getPagesCount() - 1);
        r.column(c, m.toBuilder().setPages(m.getPagesCount() - 1, last.toBuilder().setLength(last.getLength() + k)).build());
      }
      if (file) {
        r.descriptor(parts.descriptor().toBuilder().setLength(rows + k).build());
      }
      return r.build();
    }

    private static byte[] randomBytes(int n, long seed) {
      byte[] b = new byte[n];
      new Random(seed * 31 + n).nextBytes(b);
      return b;
    }

    private static byte[] filled(int n, int v) {
      byte[] b = new byte[n];
      Arrays.fill(b, (byte) v);
      return b;
    }

    // ---------------------------------------------------------------- random

    private Mutant randomMutant(Random rnd) {
      int w = rnd.nextInt(100);
      if (w < 14) {
        return flips("flip-anywhere", rnd, new long[][] {{0, clean.length}}, 1 + rnd.nextInt(4));
      } else if (w < 34) {
        return flips("flip-metadata", rnd, metaRegions.toArray(new long[0][]), 1 + rnd.nextInt(3));
      } else if (w < 48) {
        return flips("flip-page-structure", rnd, structRegions.toArray(new long[0][]), 1 + rnd.nextInt(3));
      } else if (w < 55) {
        int len = rnd.nextBoolean() ? rnd.nextInt(clean.length) : clean.length - 1 - rnd.nextInt(Math.min(clean.length, 2048));
        return new Mutant("truncate", "truncated to " + len + " of " + clean.length + " bytes", Arrays.copyOf(clean, len));
      } else if (w < 64) {
        byte[] b = clean.clone();
        int n = 1 + rnd.nextInt(16);
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < n; i++) {
          int at = (int) pick(rnd, rnd.nextBoolean() ? new long[][] {{0, b.length}} : metaRegions.toArray(new long[0][]));
          b[at] = (byte) rnd.nextInt(256);
          d.append(at).append(i + 1 < n ? "," : "");
        }
        return new Mutant("overwrite-bytes", n + " random bytes at " + d, b);
      } else if (w < 71) {
        byte[] b = clean.clone();
        int at = (int) pick(rnd, rnd.nextBoolean() ? new long[][] {{0, b.length}} : metaRegions.toArray(new long[0][]));
        int len = 1 + rnd.nextInt(Math.min(512, b.length - at));
        Arrays.fill(b, at, at + len, (byte) 0);
        return new Mutant("zero-range", "zeroed [" + at + ", " + (at + len) + ")", b);
      } else if (w < 75) {
        int at = rnd.nextInt(clean.length);
        int len = 1 + rnd.nextInt(Math.min(256, clean.length - at));
        if (rnd.nextBoolean()) {
          byte[] b = new byte[clean.length - len];
          System.arraycopy(clean, 0, b, 0, at);
          System.arraycopy(clean, at + len, b, at, clean.length - at - len);
          return new Mutant("splice", "deleted [" + at + ", " + (at + len) + ")", b);
        }
        byte[] b = new byte[clean.length + len];
        System.arraycopy(clean, 0, b, 0, at);
        byte[] ins = new byte[len];
        rnd.nextBytes(ins);
        System.arraycopy(ins, 0, b, at, len);
        System.arraycopy(clean, at, b, at + len, clean.length - at);
        return new Mutant("splice", "inserted " + len + " random bytes at " + at, b);
      } else {
        return protoMutant(rnd);
      }
    }

    private Mutant flips(String strategy, Random rnd, long[][] regions, int n) {
      byte[] b = clean.clone();
      StringBuilder d = new StringBuilder();
      for (int i = 0; i < n; i++) {
        long at = pick(rnd, regions);
        int bit = rnd.nextInt(8);
        b[(int) at] ^= (byte) (1 << bit);
        d.append(at).append('.').append(bit).append(i + 1 < n ? "," : "");
      }
      return new Mutant(strategy, "flipped bit(s) " + d, b);
    }

    /** A random position inside one of the regions, regions weighted by size. */
    private static long pick(Random rnd, long[][] regions) {
      long total = 0;
      for (long[] r : regions) {
        total += r[1];
      }
      long x = (long) (rnd.nextDouble() * total);
      for (long[] r : regions) {
        if (x < r[1]) {
          return r[0] + x;
        }
        x -= r[1];
      }
      return regions[0][0];
    }

    /** One change, sometimes two or three, inside one protobuf message of the file. */
    private static Message mutateSome(ProtoMutator pm, Message m, Random rnd, StringBuilder what) {
      int times = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(2) : 1;
      for (int i = 0; i < times; i++) {
        m = pm.mutate(m);
        what.append(i == 0 ? "" : "; ").append(pm.description());
      }
      return m;
    }

    private Mutant protoMutant(Random rnd) {
      ProtoMutator pm = new ProtoMutator(rnd);
      StringBuilder what = new StringBuilder();
      int w = rnd.nextInt(10);
      if (w < 2) {
        Message d = mutateSome(pm, parts.descriptor(), rnd, what);
        return new Mutant("proto-schema", what.toString(), parts.rebuild().global(0, d.toByteArray()).build());
      }
      int c = rnd.nextInt(parts.numColumns());
      ColumnMetadata m = parts.column(c);
      if (w < 5 || m.getPagesCount() == 0) {
        Message changed = mutateSome(pm, m, rnd, what);
        return new Mutant("proto-column", "column " + c + ": " + what,
            parts.rebuild().column(c, changed.toByteArray()).build());
      }
      int p = rnd.nextInt(m.getPagesCount());
      ColumnMetadata.Page page = m.getPages(p);
      Any any = LanceFileParts.pageAny(page);
      Message layout;
      try {
        layout = parts.structural() ? PageLayout.parseFrom(any.getValue()) : ArrayEncoding.parseFrom(any.getValue());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
      Message changed = mutateSome(pm, layout, rnd, what);
      ColumnMetadata.Page newPage = LanceFileParts.withPageValue(page, changed.toByteString());
      return new Mutant("proto-page-layout", "column " + c + " page " + p + ": " + what,
          parts.rebuild().column(c, m.toBuilder().setPages(p, newPage).build()).build());
    }
  }
}
