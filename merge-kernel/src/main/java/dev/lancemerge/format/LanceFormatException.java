package dev.lancemerge.format;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A Lance file that cannot be read or is not what it claims to be. The message always names the
 * file and what is wrong, so a user can act on one log line.
 */
public class LanceFormatException extends IOException {
  private final String file;
  private final String problem;

  public LanceFormatException(Path file, String problem) {
    this(String.valueOf(file), problem, null);
  }

  public LanceFormatException(Path file, String problem, Throwable cause) {
    this(String.valueOf(file), problem, cause);
  }

  public LanceFormatException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file that is broken. */
  public String file() {
    return file;
  }

  /** What is wrong with it, without the file name. */
  public String problem() {
    return problem;
  }
}
