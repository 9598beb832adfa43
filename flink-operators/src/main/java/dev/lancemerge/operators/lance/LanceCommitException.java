package dev.lancemerge.operators.lance;

/**
 * A merged segment could not be committed: Lance refused it for another reason than a race, or the race
 * persisted over every attempt. Nothing was committed by the failing call (checked by merge id before giving
 * up), so after a restart the same committable can be committed again.
 */
public final class LanceCommitException extends RuntimeException {
  public LanceCommitException(String message, Throwable cause) {
    super(message, cause);
  }
}
