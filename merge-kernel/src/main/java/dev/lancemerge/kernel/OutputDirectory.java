package dev.lancemerge.kernel;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A merged segment directory being written: files go to a hidden temporary sibling, and
 * {@link #publish()} renames it to the target in one step, so readers and a crash never see a
 * half-written segment under the real name; {@link #close()} removes whatever was not published.
 */
public final class OutputDirectory implements AutoCloseable {
  private final Path target;
  private Path tmp;

  private OutputDirectory(Path target, Path tmp) {
    this.target = target;
    this.tmp = tmp;
  }

  /** Fails unless {@code target} is free: checked again at {@link #create}, early by callers that want to fail fast. */
  public static void requireAbsent(Path target) throws MergeException {
    if (Files.exists(target)) {
      throw new MergeException(null, "output " + target + " already exists");
    }
  }

  /** Starts writing {@code target}, which must not exist yet. */
  public static OutputDirectory create(Path target) throws IOException {
    requireAbsent(target);
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    Files.createDirectory(tmp);
    return new OutputDirectory(target, tmp);
  }

  /** Where to write file {@code name} before publishing. */
  public Path file(String name) {
    return tmp.resolve(name);
  }

  /** Total size of the files written so far. */
  public long bytes() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      long n = 0;
      for (Path p : s.toList()) {
        n += Files.size(p);
      }
      return n;
    }
  }

  /** Renames the finished directory to its target. */
  public Path publish() throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new MergeException(null, "output " + target + " appeared while merging");
    }
    tmp = null;
    return target;
  }

  @Override
  public void close() {
    if (tmp == null) {
      return;
    }
    try {
      FileTrees.delete(tmp);
    } catch (IOException ignored) {
      // best effort: a leftover hidden temporary directory is never read as a segment
    }
    tmp = null;
  }
}
