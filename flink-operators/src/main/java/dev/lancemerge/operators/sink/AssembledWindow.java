package dev.lancemerge.operators.sink;

import dev.lancemerge.operators.plan.MergeWindow;
import java.util.Objects;

/**
 * A window whose slices have all reached the assembler: ready to be written.
 *
 * @param window the merge
 * @param slices distinct slices received (equals {@link MergeWindow#expectedSlices()})
 * @param sliceRows rows the slices hold (IVF partition rows, or zone rows): the writer checks the kernel wrote as
 *     many
 */
public record AssembledWindow(MergeWindow window, long slices, long sliceRows) {
  public AssembledWindow {
    Objects.requireNonNull(window, "window");
  }
}
