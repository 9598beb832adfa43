package dev.lancemerge.job;

import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.file.LanceFileReader;

/** A full read with real Lance: lance-core's {@code LanceFileReader} (JNI). */
final class LanceCoreScan implements FileScan {
  @Override
  public String name() {
    return "lance-core";
  }

  @Override
  public long scan(Path file, int batchRows, BufferAllocator allocator, Checksum checksum) throws Exception {
    long rows = 0;
    try (LanceFileReader reader = LanceFileReader.open(file.toAbsolutePath().toString(), allocator);
        // null columns = all, including _rowid (naming it would drop it); null ranges = all rows.
        ArrowReader batches = reader.readAll(null, null, batchRows)) {
      while (batches.loadNextBatch()) {
        VectorSchemaRoot batch = batches.getVectorSchemaRoot();
        rows += batch.getRowCount();
        if (checksum != null) {
          checksum.add(batch);
        }
      }
    }
    return rows;
  }
}
