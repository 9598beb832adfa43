package dev.lancemerge.job;

import dev.lancemerge.format.LanceFileReader;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** A full read with our own {@link LanceFileReader}. */
final class OurScan implements FileScan {
  @Override
  public String name() {
    return "ours";
  }

  @Override
  public long scan(Path file, int batchRows, BufferAllocator allocator, Checksum checksum) throws Exception {
    long rows = 0;
    try (LanceFileReader reader = LanceFileReader.open(file)) {
      for (long from = 0; from < reader.numRows(); from += batchRows) {
        long to = Math.min(reader.numRows(), from + batchRows);
        try (VectorSchemaRoot batch = reader.readRows(from, to, allocator)) {
          rows += batch.getRowCount();
          if (checksum != null) {
            checksum.add(batch);
          }
        }
      }
    }
    return rows;
  }
}
