package dev.lancemerge.job;

import dev.lancemerge.kernel.zonemap.ZoneMapInput;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which kernel merges a set of inputs, told apart by the files in them: a vector segment holds
 * {@code auxiliary.idx} (next to {@code index.idx}), or, in the older layout, is an index directory of
 * {@code partial_*} shards; ZoneMap input is what the ZoneMap kernel recognises
 * ({@link ZoneMapInput#looksLikeZoneMap}: a directory holding {@code zonemap.lance} or part files, or a
 * {@code ...zonemap.lance} file such as {@code part_<id>_zonemap.lance}).
 */
enum MergeKind {
  VECTOR("vector segment"),
  ZONEMAP("ZoneMap segment");

  static final String AUX = "auxiliary.idx";

  private final String noun;

  MergeKind(String noun) {
    this.noun = noun;
  }

  /** {@code vector segment} or {@code ZoneMap segment}. */
  String noun() {
    return noun;
  }

  /** The one kind of all {@code inputs}; fails naming the input that is missing, unrecognised or of another kind. */
  static MergeKind detect(List<Path> inputs) throws BadInputException {
    MergeKind kind = null;
    Path first = null;
    for (Path input : inputs) {
      MergeKind k = of(input);
      if (kind == null) {
        kind = k;
        first = input;
      } else if (k != kind) {
        throw new BadInputException(input + ": is a " + k.noun + " but " + first + " is a " + kind.noun
            + "; one merge takes segments of one kind");
      }
    }
    if (kind == null) {
      throw new IllegalArgumentException("no inputs");
    }
    return kind;
  }

  /** The kind of one input. */
  static MergeKind of(Path input) throws BadInputException {
    if (!Files.exists(input)) {
      throw new BadInputException(input + ": no such segment directory");
    }
    try {
      if (Files.isDirectory(input) && (Files.isRegularFile(input.resolve(AUX)) || hasPartialShards(input))) {
        return VECTOR;
      }
      if (ZoneMapInput.looksLikeZoneMap(input)) {
        return ZONEMAP;
      }
    } catch (IOException e) {
      throw new BadInputException(input + ": cannot list it: " + e.getMessage(), e);
    }
    if (Files.isRegularFile(input)) {
      throw new BadInputException(input + ": is a file, not a segment directory (a vector segment is a directory"
          + " holding " + AUX + " and index.idx)");
    }
    throw new BadInputException(input + ": not an index segment: it holds no " + AUX + " (vector segment), no"
        + " zonemap.lance (ZoneMap segment) and no partial_* shards");
  }

  private static boolean hasPartialShards(Path dir) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, "partial_*")) {
      for (Path c : children) {
        if (Files.isDirectory(c)) {
          return true;
        }
      }
    }
    return false;
  }
}
