package dev.lancemerge.kernel.vector;

import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.kernel.MergeException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The fragments ({@code _rowid >> 32}) each segment's rows come from, collected from the row ids as
 * the merge copies them (so they are decoded once, not once more in a pre-pass), and the check that
 * no fragment is covered by two segments, made before the merged output is published.
 */
final class FragmentCoverage {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final Map<VectorSegment, SortedSet<Integer>> seen = new IdentityHashMap<>();

  /** Records the fragments of row ids {@code ids} of segment {@code s}. */
  void add(VectorSegment s, ColumnData ids) throws MergeException {
    scan(s, ids, seen.computeIfAbsent(s, k -> new TreeSet<>()), Long.MAX_VALUE);
  }

  /**
   * Adds the fragments of row ids {@code ids} (a 64-bit column of segment {@code s}) to {@code out}
   * and returns the smaller (unsigned) of {@code min} and the smallest id.
   */
  static long scan(VectorSegment s, ColumnData ids, SortedSet<Integer> out, long min) throws MergeException {
    if (ids.kind() != ColumnData.Kind.FIXED || ids.byteWidth() != 8) {
      throw s.fail("auxiliary.idx _rowid is not a 64-bit column");
    }
    byte[] v = ids.values();
    int last = -1;
    for (int i = 0; i < ids.length(); i++) {
      long id = (long) LONGS.get(v, i * 8);
      min = Long.compareUnsigned(id, min) < 0 ? id : min;
      int frag = (int) (id >>> 32);
      if (frag != last) {
        out.add(frag); // rows of one fragment come in runs: one set insertion per run
        last = frag;
      }
    }
    return min;
  }

  /**
   * Every fragment of {@code segments} (in merge order, all of whose rows were added), or a failure
   * naming the first segment that covers a fragment an earlier one covers.
   */
  SortedSet<Integer> check(List<VectorSegment> segments) throws MergeException {
    SortedSet<Integer> fragments = new TreeSet<>();
    Map<Integer, String> owner = new HashMap<>();
    for (VectorSegment s : segments) {
      for (int f : seen.getOrDefault(s, Collections.emptySortedSet())) {
        String other = owner.putIfAbsent(f, s.name());
        if (other != null) {
          throw s.fail("covers fragment " + f + ", which segment " + other + " also covers");
        }
        fragments.add(f);
      }
    }
    return Collections.unmodifiableSortedSet(fragments);
  }
}
