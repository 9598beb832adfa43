package dev.lancemerge.format.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.proto.ColumnMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kinds of bad input the reader must refuse clearly, one test each, on real-Lance-written files (2.1 and
 * 2.0): every case ends in a {@link LanceFormatException} whose message starts with the file path and names
 * the problem.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorruptFileCasesTest {
  @TempDir static Path tmp;

  private final BufferAllocator alloc = new RootAllocator();
  private LanceFileParts v21;
  private LanceFileParts v20;

  @BeforeAll
  void writeRealFiles() throws IOException {
    v21 = LanceFileParts.parse(Files.readAllBytes(RealSources.dataFile(tmp, "2.1", alloc, 300)));
    v20 = LanceFileParts.parse(Files.readAllBytes(RealSources.dataFile(tmp, "2.0", alloc, 300)));
  }

  @AfterAll
  void close() {
    alloc.close();
  }

  private int counter;

  /** Writes the bytes to a new file and returns the exception opening and reading it everything gives. */
  private LanceFormatException refused(byte[] bytes, String... expectedWords) throws IOException {
    Path file = tmp.resolve("case-" + (counter++) + ".lance");
    Files.write(file, bytes);
    LanceFormatException e = catchThrowableOfType(LanceFormatException.class,
        () -> ReadEverything.readAll(file, alloc, new Random(1)));
    assertThat(e).as("reading %s must fail", file).isNotNull();
    assertThat(e.getMessage()).startsWith(file + ": ");
    assertThat(e.file()).isEqualTo(file.toString());
    for (String w : expectedWords) {
      assertThat(e.problem()).contains(w);
    }
    return e;
  }

  @Test
  void truncatedFile() throws IOException {
    for (LanceFileParts parts : new LanceFileParts[] {v21, v20}) {
      byte[] b = parts.bytes;
      refused(new byte[0], "0 bytes", "too short");
      refused(Arrays.copyOf(b, 39), "39 bytes", "too short");
      for (int len : new int[] {40, 41, b.length / 2, b.length - 41, b.length - 1}) {
        refused(Arrays.copyOf(b, len), "magic");
      }
      // Cut in the middle but the footer kept: everything the footer points at is now elsewhere or past the end.
      byte[] cut = new byte[b.length - 4096];
      System.arraycopy(b, 0, cut, 0, b.length - 4096 - 40);
      System.arraycopy(b, b.length - 40, cut, cut.length - 40, 40);
      refused(cut);
    }
  }

  @Test
  void wrongMagic() throws IOException {
    for (LanceFileParts parts : new LanceFileParts[] {v21, v20}) {
      byte[] b = parts.bytes.clone();
      b[b.length - 1] = 'X'; // "LANX"
      refused(b, "not a Lance file", "magic");
      byte[] lower = parts.bytes.clone();
      System.arraycopy("lanc".getBytes(), 0, lower, lower.length - 4, 4);
      refused(lower, "magic");
    }
  }

  @Test
  void unknownVersion() throws IOException {
    refused(v21.withFooterField(32, 4, 2 | (3L << 16)), "unknown Lance file version 2.3");
    refused(v21.withFooterField(32, 4, 9 | (9L << 16)), "unknown Lance file version 9.9");
    refused(v20.withFooterField(32, 4, 9 | (9L << 16)), "unknown Lance file version 9.9");
    refused(v21.withFooterField(32, 4, 0 | (1L << 16)), "legacy Lance v1");
  }

  @Test
  void offsetsAndSizesOutsideTheFile() throws IOException {
    for (LanceFileParts p : new LanceFileParts[] {v21, v20}) {
      long size = p.bytes.length;
      // Footer offsets.
      refused(p.withFooterField(0, 8, size + 100), "column metadata start");
      refused(p.withFooterField(16, 8, size), "global buffer table");
      refused(p.withFooterField(16, 8, Long.MAX_VALUE), "global buffer table");
      refused(p.withFooterField(8, 8, -1), "column metadata table");
      // Footer counts that make the tables run past the end.
      refused(p.withFooterField(24, 4, Integer.MAX_VALUE), "global buffer table");
      refused(p.withFooterField(28, 4, -1), "column metadata table");
      // Table entries.
      refused(p.withTableEntry(true, 0, size + 64, 100), "global buffer 0", "outside the file");
      refused(p.withTableEntry(true, 0, 0, Long.MAX_VALUE), "global buffer 0", "outside the file");
      refused(p.withTableEntry(false, 3, p.columnRanges.get(3)[0], 1L << 40), "column metadata 3", "outside the file");
      refused(p.withTableEntry(false, 3, -64, 8), "column metadata 3", "outside the file");
      refused(p.withTableEntry(false, 3, 0, 8), "column 3 metadata", "outside the column metadata region");
      // A page buffer past the end of the file.
      ColumnMetadata m = p.column(5);
      ColumnMetadata.Page page = m.getPages(0);
      refused(p.rebuild().column(5, m.toBuilder().setPages(0, page.toBuilder().setBufferOffsets(0, size * 2)).build())
          .build(), "column 5 page 0 buffer 0", "outside the data region");
    }
  }

  @Test
  void protobufThatDoesNotParse() throws IOException {
    for (LanceFileParts p : new LanceFileParts[] {v21, v20}) {
      byte[] garbage = new byte[(int) p.globalBuffers.get(0)[1]];
      new Random(3).nextBytes(garbage);
      garbage[0] = (byte) 0xFF; // an invalid tag (field 31, wire type 7)
      refused(p.rebuild().global(0, garbage).build(), "schema (global buffer 0)");
      byte[] meta = p.columnBytes(2);
      Arrays.fill(meta, (byte) 0xFF);
      refused(p.rebuild().column(2, meta).build(), "column 2 metadata does not parse");
      byte[] half = Arrays.copyOf(p.columnBytes(2), p.columnBytes(2).length / 2);
      refused(p.rebuild().column(2, half).build(), "column 2 metadata does not parse");
      // The page's encoding: not an Any at all, then an Any whose layout is garbage.
      ColumnMetadata m = p.column(5);
      ColumnMetadata.Page page = m.getPages(0);
      ColumnMetadata.Page notAny = page.toBuilder().setEncoding(page.getEncoding().toBuilder().setDirect(
          page.getEncoding().getDirect().toBuilder().setEncoding(ByteString.copyFrom(new byte[] {(byte) 0xFF, 1, 2}))))
          .build();
      refused(p.rebuild().column(5, m.toBuilder().setPages(0, notAny).build()).build(), "column 5 page 0 encoding does not parse");
      ColumnMetadata.Page badLayout = LanceFileParts.withPageValue(page, ByteString.copyFrom(new byte[] {(byte) 0xFF, 0x7F, 0x13}));
      refused(p.rebuild().column(5, m.toBuilder().setPages(0, badLayout).build()).build(), "column 5", "page 0");
    }
  }

  @Test
  void pageThatClaimsMoreRowsThanExist() throws IOException {
    for (LanceFileParts p : new LanceFileParts[] {v21, v20}) {
      long rows = p.descriptor().getLength();
      ColumnMetadata m = p.column(5);
      ColumnMetadata.Page page = m.getPages(0);
      // More rows than the file has.
      refused(p.rebuild().column(5, m.toBuilder().setPages(0, page.toBuilder().setLength(rows + 1)).build()).build(),
          "column 5 page 0 ends at row " + (rows + 1) + " but the file has " + rows + " rows");
      // More rows than the page's data holds, consistently with the file: every column's page and the file
      // claim 100 rows more. Opening works; reading a column whose page stores values fails, naming the page.
      LanceFileParts.Rebuild r = p.rebuild();
      for (int c = 0; c < p.numColumns(); c++) {
        ColumnMetadata cm = p.column(c);
        ColumnMetadata.Page pg = cm.getPages(0);
        if (pg.getLength() == rows) {
          r.column(c, cm.toBuilder().setPages(0, pg.toBuilder().setLength(rows + 100)).build());
        }
      }
      byte[] bytes = r.descriptor(p.descriptor().toBuilder().setLength(rows + 100).build()).build();
      Path file = tmp.resolve("more-rows-" + p.major + ".lance");
      Files.write(file, bytes);
      try (LanceFileReader reader = LanceFileReader.open(file)) {
        assertThat(reader.numRows()).isEqualTo(rows + 100);
        for (String name : new String[] {"i32", "f64", "name", "vec", "ints"}) {
          int field = reader.fieldIndex(name);
          LanceFormatException e = catchThrowableOfType(LanceFormatException.class, () -> {
            try (FieldVector v = reader.read(field, 0, rows + 100, alloc)) {
              assertThat(v).as("%s read %d rows from a page that holds %d", name, rows + 100, rows).isNull();
            }
          });
          assertThat(e).as("reading %s (%s)", name, p.major).isNotNull();
          assertThat(e.getMessage()).startsWith(file + ": ");
          assertThat(e.problem()).contains("page 0");
        }
      }
    }
  }

  @Test
  void pageThatClaimsMoreBytesThanExist() throws IOException {
    for (LanceFileParts p : new LanceFileParts[] {v21, v20}) {
      long size = p.bytes.length;
      ColumnMetadata m = p.column(13);
      ColumnMetadata.Page page = m.getPages(0);
      int last = page.getBufferSizesCount() - 1;
      // Past the end of the file, into the metadata, and an absurd size.
      for (long bytes : new long[] {size, p.columnMetaStart - page.getBufferOffsets(last) + 1, Long.MAX_VALUE, 1L << 40}) {
        ColumnMetadata.Page bigger = page.toBuilder().setBufferSizes(last, bytes).build();
        refused(p.rebuild().column(13, m.toBuilder().setPages(0, bigger).build()).build(),
            "column 13 page 0 buffer " + last, "outside the data region");
      }
      // The global schema buffer claiming bytes past the end.
      refused(p.withTableEntry(true, 0, p.globalBuffers.get(0)[0], size), "global buffer 0");
    }
  }

  @Test
  void cleanFilesStillRead() {
    for (LanceFileParts p : new LanceFileParts[] {v21, v20}) {
      assertThatCode(() -> {
        Path file = tmp.resolve("clean-" + p.major + ".lance");
        Files.write(file, p.bytes);
        ReadEverything.readAll(file, alloc, new Random(2));
      }).doesNotThrowAnyException();
    }
  }
}
