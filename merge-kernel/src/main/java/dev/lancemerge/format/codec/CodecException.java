package dev.lancemerge.format.codec;

/**
 * Thrown by the codecs in this package when encoded input is malformed: truncated buffers,
 * impossible bit widths, inconsistent offsets or run lengths, and so on. The message names the
 * codec and says what is wrong, e.g. {@code "inline bitpacking chunk 3: bit width 70 > 64"}.
 *
 * <p>Decoders throw this instead of letting {@link ArrayIndexOutOfBoundsException},
 * {@link NegativeArraySizeException} or {@link OutOfMemoryError} escape on corrupt input.
 */
public final class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
