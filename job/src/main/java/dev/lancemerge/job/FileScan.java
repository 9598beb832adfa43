package dev.lancemerge.job;

import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/** Reads every row of every column of a Lance file, batch by batch, with one particular reader. */
interface FileScan {
  /** Who reads, for the output: {@code ours} or {@code lance-core}. */
  String name();

  /**
   * Reads the whole file in batches of {@code batchRows}; feeds each batch to {@code checksum} if it is not null.
   *
   * @return the number of rows read
   */
  long scan(Path file, int batchRows, BufferAllocator allocator, Checksum checksum) throws Exception;
}
