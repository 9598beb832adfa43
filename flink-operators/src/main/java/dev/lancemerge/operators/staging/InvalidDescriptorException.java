package dev.lancemerge.operators.staging;

/**
 * A staged segment descriptor broke a rule. {@link #getMessage()} is {@code "<descriptor file name>: <reason>"},
 * one line, fit for a log line and for the quarantine reason file.
 */
public final class InvalidDescriptorException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final String reason;

  public InvalidDescriptorException(String fileName, String reason) {
    super(Untrusted.oneLine(fileName + ": " + reason));
    this.fileName = fileName;
    this.reason = reason;
  }

  /** The descriptor's file name. */
  public String fileName() {
    return fileName;
  }

  /** The reason, without the file name. */
  public String reason() {
    return reason;
  }
}
