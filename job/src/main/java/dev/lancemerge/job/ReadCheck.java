package dev.lancemerge.job;

import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/** Reads a file fully with our reader and with lance-core's, and compares row count and checksum. */
record ReadCheck(long oursRows, String oursChecksum, long lanceRows, String lanceChecksum) {

  static ReadCheck run(Path file, int batchRows, BufferAllocator allocator) throws Exception {
    Checksum ours = new Checksum();
    Checksum lance = new Checksum();
    long oursRows;
    long lanceRows;
    try (BufferAllocator a = allocator.newChildAllocator("ours", 0, Long.MAX_VALUE)) {
      oursRows = new OurScan().scan(file, batchRows, a, ours);
    }
    try (BufferAllocator a = allocator.newChildAllocator("lance-core", 0, Long.MAX_VALUE)) {
      lanceRows = new LanceCoreScan().scan(file, batchRows, a, lance);
    }
    return new ReadCheck(oursRows, ours.hex(), lanceRows, lance.hex());
  }

  boolean matches() {
    return oursRows == lanceRows && oursChecksum.equals(lanceChecksum);
  }

  /** One line, e.g. {@code read back: ours 5000 rows, checksum 1f..; lance-core 5000 rows, checksum 1f..: match}. */
  String line() {
    return "read back: ours " + oursRows + " rows, checksum " + oursChecksum
        + "; lance-core " + lanceRows + " rows, checksum " + lanceChecksum
        + ": " + (matches() ? "match" : "MISMATCH");
  }
}
