package dev.lancemerge.operators;

import java.util.function.BiConsumer;

/**
 * Named points of the job where recovery tests inject failures (a hook that throws), within one JVM (a mini
 * cluster). Without a hook, {@link #at} does nothing. A hook that throws an {@link Error} fails the task wherever it
 * is; a {@link RuntimeException} at the commit points is treated like a failed commit call (checked and retried).
 */
public final class FaultInjection {
  /** The job's phases. */
  public enum Point {
    /** A source reader is about to read a segment. */
    READ,
    /** The slice buffer is about to buffer a slice. */
    BUFFER,
    /** A writer is about to write a merged segment. */
    WRITE,
    /** The committer is about to commit a merged segment. */
    BEFORE_COMMIT,
    /** The committer has just committed a merged segment (its checkpoint's commit is not acknowledged yet). */
    AFTER_COMMIT
  }

  private static volatile BiConsumer<Point, String> hook;

  private FaultInjection() {}

  /** Installs {@code h} (null removes it). */
  public static void install(BiConsumer<Point, String> h) {
    hook = h;
  }

  /** Calls the hook, if any, with the point and what is being handled there. */
  public static void at(Point point, String detail) {
    BiConsumer<Point, String> h = hook;
    if (h != null) {
      h.accept(point, detail);
    }
  }
}
