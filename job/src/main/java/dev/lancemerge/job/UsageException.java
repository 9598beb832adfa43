package dev.lancemerge.job;

/** The command line is wrong (exit code 2); the message says what and how to get help. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
