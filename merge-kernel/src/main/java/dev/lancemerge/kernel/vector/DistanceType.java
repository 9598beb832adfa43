package dev.lancemerge.kernel.vector;

import java.util.Locale;

/** Distance types, written as Lance writes them ({@code l2}, {@code cosine}, {@code dot}, {@code hamming}). */
public enum DistanceType {
  L2("l2"),
  COSINE("cosine"),
  DOT("dot"),
  HAMMING("hamming");

  private final String text;

  DistanceType(String text) {
    this.text = text;
  }

  /** The string Lance writes. */
  public String text() {
    return text;
  }

  /** Case-insensitive; {@code euclidean} is l2, as in Lance. */
  public static DistanceType parse(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    if (t.equals("euclidean")) {
      return L2;
    }
    for (DistanceType d : values()) {
      if (d.text.equals(t)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown distance type '" + s + "'");
  }
}
