package dev.lancemerge.format.robust;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.util.ValueVectorUtility;

/**
 * What a consumer does with a Lance file, run against possibly corrupt input: open it, read every global
 * buffer, read every column (all rows, and one random row range) as Arrow vectors and check each vector is
 * valid Arrow. The contract under test: this either succeeds or throws a {@link LanceFormatException} whose
 * message starts with the file path and says what is wrong; never any other throwable, never a hang (each
 * attempt runs on a worker thread with a time limit), never an allocation far beyond what the file justifies.
 */
final class ReadEverything implements AutoCloseable {
  /** How one attempt ended. */
  enum Kind { OK, TYPED, BAD }

  /** Outcome of one attempt; {@code detail} is the problem text (TYPED) or what went wrong (BAD). */
  record Outcome(Kind kind, String detail, Throwable error, long allocatedBytes) {}

  private final BufferAllocator root;
  private final long timeoutMillis;
  private ExecutorService worker;

  ReadEverything(BufferAllocator root, long timeoutMillis) {
    this.root = root;
    this.timeoutMillis = timeoutMillis;
    this.worker = newWorker();
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "lance-fuzz-worker");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Reads {@code file} on the worker thread; {@code allocationCap} bytes of heap allocation (measured for the
   * worker thread) is the most the attempt may use, {@code rangeSeed} picks the extra row range.
   */
  Outcome attempt(Path file, long allocationCap, long rangeSeed) {
    Future<Outcome> f = worker.submit(() -> readOnThisThread(file, allocationCap, rangeSeed));
    try {
      return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      worker.shutdownNow();
      worker = newWorker();
      return new Outcome(Kind.BAD, "did not finish within " + timeoutMillis + " ms (hang or runaway loop)", null, -1);
    } catch (ExecutionException e) {
      return new Outcome(Kind.BAD, "harness: " + e.getCause(), e.getCause(), -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Outcome readOnThisThread(Path file, long allocationCap, long rangeSeed) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    Outcome outcome;
    BufferAllocator alloc = root.newChildAllocator("mutant", 0, 1L << 30);
    try {
      readAll(file, alloc, new Random(rangeSeed));
      outcome = new Outcome(Kind.OK, "", null, 0);
    } catch (LanceFormatException e) {
      String msg = String.valueOf(e.getMessage());
      if (!msg.startsWith(file + ": ")) {
        outcome = new Outcome(Kind.BAD, "LanceFormatException whose message does not start with the file path: " + msg, e, 0);
      } else if (e.problem() == null || e.problem().isBlank()) {
        outcome = new Outcome(Kind.BAD, "LanceFormatException without a problem description", e, 0);
      } else {
        outcome = new Outcome(Kind.TYPED, e.problem(), e, 0);
      }
    } catch (Throwable t) { // every other throwable is a bug: AIOOBE, NegativeArraySize, NPE, OOM, StackOverflow, ...
      outcome = new Outcome(Kind.BAD, t.toString(), t, 0);
    }
    try {
      alloc.close();
    } catch (RuntimeException leak) {
      if (outcome.kind() != Kind.BAD) {
        outcome = new Outcome(Kind.BAD, "Arrow memory leaked: " + leak.getMessage(), leak, 0);
      }
    }
    long used = mx.getCurrentThreadAllocatedBytes() - before;
    if (outcome.kind() != Kind.BAD && used > allocationCap) {
      outcome = new Outcome(Kind.BAD, "allocated " + (used >> 20) + " MiB of heap (cap " + (allocationCap >> 20)
          + " MiB): a size taken from the file was not checked (" + outcome.kind() + " " + outcome.detail() + ")",
          outcome.error(), used);
    }
    return new Outcome(outcome.kind(), outcome.detail(), outcome.error(), used);
  }

  /** Open, global buffers, every column fully and over one random row range, each vector validated. */
  static void readAll(Path file, BufferAllocator alloc, Random rnd) throws IOException {
    try (LanceFileReader r = LanceFileReader.open(file)) {
      r.metadata();
      r.pageCounts();
      for (int i = 0; i < r.globalBuffers().size(); i++) {
        r.readGlobalBuffer(i);
      }
      long n = r.numRows();
      int fields = r.schema().arrow().getFields().size();
      for (int f = 0; f < fields; f++) {
        readRange(r, f, 0, n, alloc);
        if (n > 1) {
          long a = (long) (rnd.nextDouble() * n);
          long b = a + (long) (rnd.nextDouble() * (n - a));
          readRange(r, f, a, b, alloc);
        }
      }
    }
  }

  private static void readRange(LanceFileReader r, int field, long from, long to, BufferAllocator alloc)
      throws IOException {
    final long batch = 1 << 16;
    for (long a = from; a < to || a == from; a += batch) {
      long b = Math.min(to, a + batch);
      try (FieldVector v = r.read(field, a, b, alloc)) {
        if (v.getValueCount() != b - a) {
          throw new IllegalStateException("vector of " + v.getValueCount() + " values for rows [" + a + ", " + b + ")");
        }
        validate(v);
      }
      if (b >= to) {
        break;
      }
    }
  }

  /**
   * Arrow's full validation (buffer sizes, offsets, child lengths) minus the UTF-8 check of string data: a
   * flipped bit inside a string value is corrupt data, not corrupt structure, and no reader notices it (as with
   * a flipped bit inside a float). Arrow 18.3's validator also asks a fixed-size list for an offset buffer it
   * does not have, so fixed-size lists, lists and strings are checked here and their children recursively.
   */
  static void validate(FieldVector v) {
    if (v instanceof FixedSizeListVector fsl) {
      long need = (long) fsl.getValueCount() * fsl.getListSize();
      if (fsl.getDataVector().getValueCount() < need) {
        throw new IllegalStateException("fixed-size list of " + fsl.getValueCount() + " x " + fsl.getListSize()
            + " has a child of " + fsl.getDataVector().getValueCount() + " values");
      }
      if (fsl.getValidityBuffer().capacity() * 8 < fsl.getValueCount()) {
        throw new IllegalStateException("fixed-size list validity buffer too small");
      }
      validate((FieldVector) fsl.getDataVector());
    } else if (v instanceof BaseVariableWidthVector || v instanceof BaseLargeVariableWidthVector) {
      ValueVectorUtility.validate(v);
      boolean large = v instanceof BaseLargeVariableWidthVector;
      checkOffsets(v, v.getOffsetBuffer(), large, v.getDataBuffer().capacity(), "data bytes");
    } else if (v instanceof ListVector || v instanceof LargeListVector) {
      FieldVector child = v.getChildrenFromFields().get(0);
      checkOffsets(v, v.getOffsetBuffer(), v instanceof LargeListVector, child.getValueCount(), "child values");
      validate(child);
    } else if (v instanceof Float2Vector) {
      // Arrow 18.3's type validator does not know Float2Vector; check the buffer sizes it would have checked.
      if (v.getDataBuffer().capacity() < 2L * v.getValueCount() || v.getValidityBuffer().capacity() * 8 < v.getValueCount()) {
        throw new IllegalStateException(v.getName() + ": buffers too small for " + v.getValueCount() + " half floats");
      }
    } else {
      ValueVectorUtility.validateFull(v);
    }
  }

  private static void checkOffsets(FieldVector v, ArrowBuf offsets, boolean large, long limit, String what) {
    int n = v.getValueCount();
    int w = large ? 8 : 4;
    if (n == 0 && offsets.capacity() == 0) {
      return;
    }
    if (offsets.capacity() < (long) (n + 1) * w) {
      throw new IllegalStateException(v.getName() + ": offset buffer too small for " + n + " values");
    }
    long prev = large ? offsets.getLong(0) : offsets.getInt(0);
    if (prev < 0) {
      throw new IllegalStateException(v.getName() + ": negative first offset");
    }
    for (int i = 1; i <= n; i++) {
      long o = large ? offsets.getLong((long) i * w) : offsets.getInt((long) i * w);
      if (o < prev) {
        throw new IllegalStateException(v.getName() + ": offset " + i + " decreases");
      }
      prev = o;
    }
    if (prev > limit) {
      throw new IllegalStateException(v.getName() + ": last offset " + prev + " beyond " + limit + " " + what);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
