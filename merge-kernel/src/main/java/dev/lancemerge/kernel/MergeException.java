package dev.lancemerge.kernel;

import java.io.IOException;

/**
 * Inputs that cannot be merged: the message names the segment (or file) and the field that is
 * wrong, e.g. {@code segment /ds/_indices/1b2f...: distance_type is cosine, the first segment's is l2}.
 */
public class MergeException extends IOException {
  private final String segment;

  public MergeException(String segment, String problem) {
    super(segment == null ? problem : "segment " + segment + ": " + problem);
    this.segment = segment;
  }

  public MergeException(String segment, String problem, Throwable cause) {
    super(segment == null ? problem : "segment " + segment + ": " + problem, cause);
    this.segment = segment;
  }

  /** The offending segment, or null when the problem is not one segment's (e.g. an empty input). */
  public String segment() {
    return segment;
  }
}
