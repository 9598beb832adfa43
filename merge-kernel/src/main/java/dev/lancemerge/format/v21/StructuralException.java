package dev.lancemerge.format.v21;

/** A structural page that contradicts itself; turned into a LanceFormatException naming the file. */
final class StructuralException extends RuntimeException {
  StructuralException(String message) {
    super(message);
  }
}
