package dev.lancemerge.oracle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;
import org.lance.file.LanceFileReader;
import org.lance.file.LanceFileWriter;

/**
 * Oracle helpers: write and read single Lance data files with real lance-core 7.0.0 (JNI), so our own
 * Java reader/writer can be checked against the reference implementation. See NOTES.md.
 */
public final class RealLanceFiles {

  private RealLanceFiles() {}

  /** Lance file format versions the oracle writes; {@code name} is the string lance-core's writer takes. */
  public enum FormatVersion {
    /** Lance 2.0: footer version (0, 3). */
    V2_0("2.0", 0, 3),
    /** Lance 2.1: footer version (2, 1); also what lance-core 7.0.0 writes when no version is given. */
    V2_1("2.1", 2, 1);

    public final String name;
    public final int footerMajor;
    public final int footerMinor;

    FormatVersion(String name, int footerMajor, int footerMinor) {
      this.name = name;
      this.footerMajor = footerMajor;
      this.footerMinor = footerMinor;
    }
  }

  /** The fixed 40-byte tail of a Lance v2 file (all little-endian), for cheap structural assertions. */
  public record Footer(
      long columnMetaStart,
      long columnMetaOffsetsStart,
      long globalBufferOffsetsStart,
      int numGlobalBuffers,
      int numColumns,
      int major,
      int minor) {}

  /** Everything lance-core's reader reports for a file; owns the copied batches, so close it. */
  public record FileContents(
      Schema schema, Map<String, String> metadata, long numRows, List<VectorSchemaRoot> batches)
      implements AutoCloseable {

    /** All rows as lists of {@code getObject} values (FSL/list cells are JsonStringArrayList), easy to compare. */
    public List<List<Object>> rows() {
      List<List<Object>> out = new ArrayList<>();
      for (VectorSchemaRoot b : batches) {
        for (int r = 0; r < b.getRowCount(); r++) {
          List<Object> row = new ArrayList<>(b.getFieldVectors().size());
          for (FieldVector v : b.getFieldVectors()) {
            row.add(v.getObject(r));
          }
          out.add(row);
        }
      }
      return out;
    }

    @Override
    public void close() {
      batches.forEach(VectorSchemaRoot::close);
    }
  }

  /** Writes {@code batches} (same schema) to {@code file} with lance-core's writer; schema metadata taken from the first batch's Arrow schema. */
  public static void write(Path file, FormatVersion version, BufferAllocator allocator, VectorSchemaRoot... batches)
      throws IOException {
    Map<String, String> md = batches.length == 0 || batches[0].getSchema().getCustomMetadata() == null
        ? Map.of() : batches[0].getSchema().getCustomMetadata();
    write(file, version, allocator, md, List.of(batches));
  }

  /**
   * Writes {@code batches} to {@code file} as Lance {@code version} with {@code schemaMetadata}; the metadata
   * must be passed through {@code addSchemaMetadata} because lance-core drops the Arrow schema's own metadata.
   */
  public static void write(
      Path file, FormatVersion version, BufferAllocator allocator, Map<String, String> schemaMetadata,
      List<VectorSchemaRoot> batches) throws IOException {
    write(file, version.name, allocator, schemaMetadata, batches);
  }

  /**
   * As above with lance-core's version string, e.g. "2.2", for versions the {@link FormatVersion}
   * enum leaves out because our writer does not produce them.
   */
  public static void write(
      Path file, String version, BufferAllocator allocator, Map<String, String> schemaMetadata,
      List<VectorSchemaRoot> batches) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    LanceFileWriter w = LanceFileWriter.open(
        file.toAbsolutePath().toString(), allocator, null, Optional.of(version), Map.of());
    try {
      for (VectorSchemaRoot b : batches) {
        w.write(b);
      }
      if (!schemaMetadata.isEmpty()) {
        w.addSchemaMetadata(schemaMetadata);
      }
    } finally {
      closeQuietly(w);
    }
  }

  /** Reads all columns (including {@code _rowid}) and all rows of {@code file} with lance-core's reader, copying every batch. */
  public static FileContents read(Path file, BufferAllocator allocator) throws IOException {
    return read(file, allocator, 8192);
  }

  /** Like {@link #read(Path, BufferAllocator)} with an explicit reader batch size. */
  public static FileContents read(Path file, BufferAllocator allocator, int batchSize) throws IOException {
    LanceFileReader reader = LanceFileReader.open(file.toAbsolutePath().toString(), allocator);
    List<VectorSchemaRoot> copies = new ArrayList<>();
    try {
      Schema schema = reader.schema();
      long numRows = reader.numRows();
      // null columns = all columns; naming _rowid explicitly makes lance-core drop it (7.0.0 quirk).
      try (ArrowReader ar = reader.readAll(null, null, batchSize)) {
        while (ar.loadNextBatch()) {
          copies.add(copyOf(ar.getVectorSchemaRoot(), allocator));
        }
      }
      Map<String, String> md = schema.getCustomMetadata() == null
          ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(schema.getCustomMetadata()));
      return new FileContents(schema, md, numRows, copies);
    } catch (IOException | RuntimeException e) {
      copies.forEach(VectorSchemaRoot::close);
      throw e;
    } finally {
      closeQuietly(reader);
    }
  }

  /** Parses the last 40 bytes of a Lance v2 file (offsets, buffer/column counts, version, checks magic "LANC"). */
  public static Footer readFooter(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 40) {
        throw new IOException("file too small for a Lance footer: " + file);
      }
      ByteBuffer bb = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(bb, size - 40);
      bb.flip();
      if (bb.get(36) != 'L' || bb.get(37) != 'A' || bb.get(38) != 'N' || bb.get(39) != 'C') {
        throw new IOException("no LANC magic at end of " + file);
      }
      return new Footer(bb.getLong(0), bb.getLong(8), bb.getLong(16), bb.getInt(24), bb.getInt(28),
          Short.toUnsignedInt(bb.getShort(32)), Short.toUnsignedInt(bb.getShort(34)));
    }
  }

  /** Copies a reader-owned batch into a root that survives the reader's next {@code loadNextBatch}. */
  static VectorSchemaRoot copyOf(VectorSchemaRoot src, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>();
    for (FieldVector v : src.getFieldVectors()) {
      TransferPair tp = v.getTransferPair(allocator);
      tp.splitAndTransfer(0, src.getRowCount());
      vectors.add((FieldVector) tp.getTo());
    }
    return new VectorSchemaRoot(src.getSchema(), vectors, src.getRowCount());
  }

  static void closeQuietly(AutoCloseable c) throws IOException {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
