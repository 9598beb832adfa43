package dev.lancemerge.format.v20;

/**
 * Which values of an encoding to decode: {@code count} values starting at {@code from}, out of the
 * {@code total} values the encoding holds ({@link #UNKNOWN} when only the parent knows, e.g. the
 * bytes behind a binary page, which are bounded by the buffer alone).
 */
record Slice(long total, long from, int count) {
  static final long UNKNOWN = -1;

  long end() {
    return from + count;
  }

  boolean totalKnown() {
    return total >= 0;
  }

  /** The same rows seen {@code dimension} items at a time (fixed-size list items); null on overflow. */
  Slice expand(long dimension) {
    try {
      long t = totalKnown() ? Math.multiplyExact(total, dimension) : UNKNOWN;
      long f = Math.multiplyExact(from, dimension);
      long c = Math.multiplyExact((long) count, dimension);
      if (c > Integer.MAX_VALUE) {
        return null;
      }
      return new Slice(t, f, (int) c);
    } catch (ArithmeticException e) {
      return null;
    }
  }
}
