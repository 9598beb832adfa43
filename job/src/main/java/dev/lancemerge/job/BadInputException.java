package dev.lancemerge.job;

/** The input is wrong or the results disagree (exit code 1); the message names the file and the problem. */
public final class BadInputException extends Exception {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
