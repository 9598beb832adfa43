package dev.lancemerge.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting a directory tree: the one place the project does it (segment outputs, cleanup, scratch space). */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code dir} and everything under it; nothing happens if it does not exist. Symbolic links inside are
   * deleted, never followed.
   */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
