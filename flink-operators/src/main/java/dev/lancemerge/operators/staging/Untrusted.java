package dev.lancemerge.operators.staging;

/** Rendering untrusted text (descriptor values, file names) into reasons: quoted, escaped, cut short. */
final class Untrusted {
  /** Longest untrusted value echoed in a reason. */
  static final int MAX_ECHO = 80;
  /** Longest reason line. */
  static final int MAX_LINE = 1000;

  private Untrusted() {}

  /** {@code 'value'} with control and non-ASCII characters escaped as {@code \\uXXXX}, cut after {@link #MAX_ECHO}. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("'");
    int n = Math.min(s.length(), MAX_ECHO);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('\'');
    if (s.length() > n) {
      b.append("... (").append(s.length()).append(" chars)");
    }
    return b.toString();
  }

  /** {@code s} on one line: line breaks and other control characters become spaces; cut after {@link #MAX_LINE}. */
  static String oneLine(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_LINE));
    for (int i = 0; i < s.length() && b.length() < MAX_LINE; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    if (s.length() > MAX_LINE) {
      b.append("...");
    }
    return b.toString();
  }
}
