package dev.lancemerge.job;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.file.LanceFileWriter;

/**
 * Index-shaped sample files written with REAL Lance (lance-core's {@code LanceFileWriter}, format 2.1):
 * {@code _rowid} uint64 (as {@code (fragment << 32) | offset}, fragments of {@value #FRAGMENT_ROWS} rows)
 * and {@code vec} FixedSizeList&lt;float32&gt;[dim] with values in [-1, 1), a pure function of (seed, row).
 */
final class SampleFile {
  static final String ROWID = "_rowid";
  static final String VEC = "vec";
  static final long FRAGMENT_ROWS = 10_000;
  static final int BATCH_ROWS = 65_536;
  static final String LANCE_VERSION = "2.1";

  private SampleFile() {}

  static Schema schema(int dim) {
    Field item = new Field("item", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
    return new Schema(List.of(
        new Field(ROWID, FieldType.notNullable(new ArrowType.Int(64, false)), null),
        new Field(VEC, FieldType.notNullable(new ArrowType.FixedSizeList(dim)), List.of(item))));
  }

  /** Writes {@code rows} rows to {@code file} (replacing it) in batches, with {@code metadata} as schema metadata. */
  static void write(Path file, long rows, int dim, long seed, Map<String, String> metadata, BufferAllocator allocator)
      throws IOException, BadInputException {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (FileAlreadyExistsException e) {
      throw new BadInputException(file + ": cannot create it: " + e.getFile() + " exists and is not a directory");
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot create directory " + parent + ": " + reason(e));
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot replace it: " + reason(e));
    }
    LanceFileWriter writer;
    try {
      writer = LanceFileWriter.open(file.toAbsolutePath().toString(), allocator, null, Optional.of(LANCE_VERSION), Map.of());
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file + ": lance-core cannot create the file: " + e.getMessage(), e);
    }
    Exception failure = null;
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema(dim), allocator)) {
      for (long start = 0; start < rows; start += BATCH_ROWS) {
        int n = (int) Math.min(BATCH_ROWS, rows - start);
        fill(root, start, n, dim, seed);
        writer.write(root);
      }
      if (!metadata.isEmpty()) {
        writer.addSchemaMetadata(metadata);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      try {
        writer.close();
      } catch (Exception e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw new BadInputException(file + ": lance-core failed to write: " + failure.getMessage(), failure);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Fills {@code root} with rows {@code [start, start + n)}. */
  static void fill(VectorSchemaRoot root, long start, int n, int dim, long seed) {
    UInt8Vector rowid = (UInt8Vector) root.getVector(ROWID);
    FixedSizeListVector vec = (FixedSizeListVector) root.getVector(VEC);
    root.clear();
    rowid.allocateNew(n);
    vec.setInitialCapacity(n);
    vec.allocateNew();
    for (int i = 0; i < n; i++) {
      long row = start + i;
      rowid.set(i, ((row / FRAGMENT_ROWS) << 32) | (row % FRAGMENT_ROWS));
      vec.setNotNull(i);
    }
    // Write the floats straight into the child's buffers: 128 M calls to set() would dominate the bench's setup.
    Float4Vector values = (Float4Vector) vec.getDataVector();
    int total = Math.multiplyExact(n, dim);
    ArrowBuf data = values.getDataBuffer();
    ArrowBuf validity = values.getValidityBuffer();
    validity.setOne(0, (total + 7) / 8);
    for (int i = 0; i < n; i++) {
      long state = mix(seed ^ mix(start + i));
      long base = (long) i * dim * 4;
      for (int d = 0; d < dim; d++) {
        state += 0x9E3779B97F4A7C15L;
        data.setFloat(base + 4L * d, value(mix(state)));
      }
    }
    values.setValueCount(total);
    vec.setValueCount(n);
    rowid.setValueCount(n);
    root.setRowCount(n);
  }

  /** A float in [-1, 1) from 24 random bits. */
  private static float value(long bits) {
    return ((bits >>> 40) - (1 << 23)) / (float) (1 << 23);
  }

  /** SplitMix64's finalizer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
