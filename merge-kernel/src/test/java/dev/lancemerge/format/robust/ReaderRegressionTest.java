package dev.lancemerge.format.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.TestTables;
import dev.lancemerge.format.proto.ColumnMetadata;
import dev.lancemerge.format.proto.FileDescriptor;
import dev.lancemerge.format.proto.v21.FullZipLayout;
import dev.lancemerge.format.proto.v21.PageLayout;
import dev.lancemerge.oracle.RealLanceFiles;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One focused test per reader bug the corruption fuzz test found, each on a file real Lance wrote. */
class ReaderRegressionTest {
  @TempDir Path dir;
  private BufferAllocator alloc;

  @BeforeEach
  void open() {
    alloc = new RootAllocator();
  }

  @AfterEach
  void close() {
    alloc.close();
  }

  /**
   * Found by the fuzz test's clean baseline: real Lance writes a list column whose rows are only null lists,
   * empty lists and lists of null items as a "complex all-null" constant page with rep/def level buffers (raw
   * u16 in 2.1, RLE/flat compressed in 2.2); the reader refused it ("constant pages with rep/def levels or
   * buffers are not supported"). Now it reads what lance-core reads.
   */
  @ParameterizedTest
  @ValueSource(strings = {"2.1", "2.2"})
  void complexAllNullListPagesReadLikeLanceCore(String version) throws Exception {
    Schema schema = TestTables.allTypes(true, Map.of());
    Path file = dir.resolve("all-null-lists-" + version + ".lance");
    int n = 37;
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc)) {
      root.allocateNew();
      ListVector ints = (ListVector) root.getVector("ints");
      UnionListWriter w = ints.getWriter();
      for (int i = 0; i < n; i++) {
        ((UInt8Vector) root.getVector("_rowid")).setSafe(i, i);
        if (i % 3 == 0) {
          continue; // null list
        }
        w.setPosition(i);
        w.startList();
        for (int k = 0; k < (i % 3 - 1) * (1 + i % 4); k++) {
          w.writeNull(); // [] or [null, null, ...]
        }
        w.endList();
      }
      root.getFieldVectors().forEach(v -> v.setValueCount(n));
      root.setRowCount(n);
      RealLanceFiles.write(file, version, alloc, Map.of(), List.of(root));
    }
    try (RealLanceFiles.FileContents real = RealLanceFiles.read(file, alloc);
        LanceFileReader ours = LanceFileReader.open(file)) {
      int ints = ours.fieldIndex("ints");
      PageLayout layout = PageLayout.parseFrom(ours.pages(ours.schema().columnsOf(ints).get(0).index()).get(0).encoding());
      assertThat(layout.hasConstantLayout()).as("real Lance wrote a complex all-null page").isTrue();
      List<List<Object>> expected = real.rows();
      try (VectorSchemaRoot all = ours.readAll(alloc)) {
        for (int r = 0; r < n; r++) {
          assertThat(TestTables.row(all, r)).as("row %d", r).isEqualTo(normalize(expected.get(r)));
        }
      }
      try (VectorSchemaRoot part = ours.readRows(5, 23, alloc)) {
        for (int r = 0; r < part.getRowCount(); r++) {
          assertThat(TestTables.row(part, r)).as("row %d", r + 5).isEqualTo(normalize(expected.get(r + 5)));
        }
      }
    }
  }

  /**
   * Found by the fuzz test (data-2.1, proto-page-layout mutants {@code full_zip_layout.num_items := -1},
   * {@code := 2147483647}, {@code := -2147483648}): the full-zip decoder sized its level arrays from the page's
   * uint32 item counts unchecked, so a corrupt page gave NegativeArraySizeException or OutOfMemoryError. Now the
   * counts must fit the page's rows and data buffer, and the value width must be sane.
   */
  @Test
  void fullZipItemCountsAreCheckedAgainstThePage() throws Exception {
    LanceFileParts p = LanceFileParts.parse(Files.readAllBytes(RealSources.dataFile(dir, "2.1", alloc, 800)));
    Path original = dir.resolve("original.lance");
    Files.write(original, p.bytes);
    int variable = 0;
    int fixed = 0;
    try (LanceFileReader clean = LanceFileReader.open(original)) {
      for (int c = 0; c < p.numColumns(); c++) {
        ColumnMetadata m = p.column(c);
        PageLayout layout = PageLayout.parseFrom(LanceFileParts.pageAny(m.getPages(0)).getValue());
        if (!layout.hasFullZipLayout()) {
          continue;
        }
        FullZipLayout fz = layout.getFullZipLayout();
        boolean isVariable = fz.getDetailsCase() == FullZipLayout.DetailsCase.BITS_PER_OFFSET;
        variable += isVariable ? 1 : 0;
        fixed += isVariable ? 0 : 1;
        List<FullZipLayout> bad = new ArrayList<>(List.of(
            fz.toBuilder().setNumItems(-1).build(),
            fz.toBuilder().setNumItems(Integer.MAX_VALUE).build(),
            fz.toBuilder().setNumItems(Integer.MIN_VALUE).build()));
        if (isVariable) { // fixed-width pages without repetition are read by row and have no use for it
          bad.add(fz.toBuilder().setNumVisibleItems(Integer.MAX_VALUE).build());
          bad.add(fz.toBuilder().setNumVisibleItems(-1).build());
        } else {
          bad.add(fz.toBuilder().setBitsPerValue(-8).build()); // 2^32 - 8 bits: 512 MiB per value
        }
        int field = clean.schema().columns().get(c).topLevel();
        for (FullZipLayout z : bad) {
          ColumnMetadata.Page page = LanceFileParts.withPageValue(m.getPages(0),
              PageLayout.newBuilder().setFullZipLayout(z).build().toByteString());
          Path file = dir.resolve("fz-" + c + "-" + bad.indexOf(z) + ".lance");
          Files.write(file, p.rebuild().column(c, m.toBuilder().setPages(0, page).build()).build());
          assertRefusedCheaply(file, field, "page 0");
        }
      }
    }
    assertThat(variable).as("variable-width full-zip pages (FSST strings)").isPositive();
    assertThat(fixed).as("fixed-width full-zip pages (FSL of 128 floats)").isPositive();
  }

  /**
   * Found by the fuzz test (data-2.1/ivf_pq8-aux-2.1/ivf_pq4-aux-2.0/data-2.0, flip-metadata mutants): a
   * schema field typed {@code fixed_size_list:float} (a bit flip turned the last ':' into something else)
   * threw StringIndexOutOfBoundsException out of the schema parser. Now it is a LanceFormatException at open.
   */
  @ParameterizedTest
  @ValueSource(strings = {"fixed_size_list:float", "fixed_size_list:", "fixed_size_list:float;128"})
  void malformedFixedSizeListTypeIsRefusedAtOpen(String type) throws Exception {
    for (String version : List.of("2.1", "2.0")) {
      LanceFileParts p = LanceFileParts.parse(Files.readAllBytes(RealSources.dataFile(dir, version, alloc, 200)));
      Path file = dir.resolve("type-" + version + ".lance");
      Files.write(file, p.rebuild().descriptor(withType(p.descriptor(), "small_vec", type)).build());
      assertThatThrownBy(() -> LanceFileReader.open(file).close())
          .isInstanceOf(LanceFormatException.class)
          .hasMessageStartingWith(file + ": ")
          .hasMessageContaining("unsupported Lance logical type");
    }
  }

  /**
   * Found by the fuzz test (data-2.0 and zonemap_str-2.0 schema-type mutants, e.g. {@code int8 := list}): a
   * list field without an item field made the 2.0 decoder throw IndexOutOfBoundsException. The reader now
   * refuses lists and fixed-size lists without exactly one item field when it opens the file.
   */
  @ParameterizedTest
  @ValueSource(strings = {"2.0", "2.1"})
  void listWithoutItemFieldIsRefusedAtOpen(String version) throws Exception {
    LanceFileParts p = LanceFileParts.parse(Files.readAllBytes(RealSources.dataFile(dir, version, alloc, 200)));
    for (String name : List.of("i8", "name", "vec")) {
      Path file = dir.resolve("list-" + name + "-" + version + ".lance");
      Files.write(file, p.rebuild().descriptor(withType(p.descriptor(), name, "list")).build());
      assertThatThrownBy(() -> LanceFileReader.open(file).close())
          .isInstanceOf(LanceFormatException.class)
          .hasMessageStartingWith(file + ": ")
          .hasMessageContaining("field '" + name + "'")
          .hasMessageContaining("has 0 item fields");
    }
  }

  /**
   * Found by the fuzz test (data-2.2, page-bytes mutant "column 22 page 0 buffer 2: offset +64"): an
   * LZ4-compressed (2.2) buffer whose 4-byte size prefix is garbage made the reader allocate the declared size,
   * up to 1 GiB, before finding the block corrupt. LZ4 expands at most 255-fold, so a larger declared size is
   * refused before anything is allocated.
   */
  @Test
  void lz4SizePrefixIsBoundedByTheCompressedSize() throws Exception {
    LanceFileParts p = LanceFileParts.parse(Files.readAllBytes(RealSources.dataFile(dir, "2.2", alloc, 800)));
    Path original = dir.resolve("original-2.2.lance");
    Files.write(original, p.bytes);
    int found = 0;
    try (LanceFileReader clean = LanceFileReader.open(original)) {
      for (int c = 0; c < p.numColumns(); c++) {
        ColumnMetadata.Page page = p.column(c).getPages(0);
        PageLayout layout = PageLayout.parseFrom(LanceFileParts.pageAny(page).getValue());
        if (!layout.hasMiniBlockLayout() || !layout.getMiniBlockLayout().getDictionary().hasGeneral()) {
          continue;
        }
        found++;
        byte[] bytes = p.bytes.clone();
        int at = (int) page.getBufferOffsets(2);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (1 << 30) - 16);
        Path file = dir.resolve("lz4-" + c + ".lance");
        Files.write(file, bytes);
        assertRefusedCheaply(file, clean.schema().columns().get(c).topLevel(), "lz4");
      }
    }
    assertThat(found).as("2.2 pages with an LZ4-compressed dictionary").isPositive();
  }

  /** Reading {@code field} fails with a LanceFormatException naming {@code words}, allocating under 64 MiB. */
  private void assertRefusedCheaply(Path file, int field, String words) throws Exception {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    try (LanceFileReader r = LanceFileReader.open(file)) {
      assertThatThrownBy(() -> r.read(field, 0, r.numRows(), alloc).close())
          .isInstanceOf(LanceFormatException.class)
          .hasMessageStartingWith(file + ": ")
          .hasMessageContaining(words);
    }
    assertThat(mx.getCurrentThreadAllocatedBytes() - before).as("bytes allocated reading %s", file)
        .isLessThan(64L << 20);
  }

  private static FileDescriptor withType(FileDescriptor d, String field, String type) {
    FileDescriptor.Builder b = d.toBuilder();
    for (int i = 0; i < b.getSchema().getFieldsCount(); i++) {
      if (b.getSchema().getFields(i).getName().equals(field)) {
        b.getSchemaBuilder().getFieldsBuilder(i).setLogicalType(type);
        return b.build();
      }
    }
    throw new IllegalArgumentException("no field " + field);
  }

  private static List<Object> normalize(List<Object> row) {
    List<Object> out = new ArrayList<>();
    row.forEach(o -> out.add(TestTables.normalize(o)));
    return out;
  }
}
