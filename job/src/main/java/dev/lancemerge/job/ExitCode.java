package dev.lancemerge.job;

/** Process exit codes of the command line. */
public final class ExitCode {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** Bad input: a file that is missing or not a readable Lance file, or results that do not agree. */
  public static final int BAD_INPUT = 1;
  /** Bad usage: unknown command or option, missing or extra arguments. */
  public static final int USAGE = 2;
  /** A bug: an exception nobody expected. */
  public static final int INTERNAL = 3;

  private ExitCode() {}
}
