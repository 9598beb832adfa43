package dev.lancemerge.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The fixed 40-byte tail of every Lance v2 file. */
public record Footer(
    long columnMetaStart,
    long columnMetaOffsetsStart,
    long globalBufferOffsetsStart,
    int numGlobalBuffers,
    int numColumns,
    FileVersion version) {

  public static final int SIZE = 40;
  static final byte[] MAGIC = "LANC".getBytes(StandardCharsets.US_ASCII);

  /** Parses and validates the footer against the file size: every table must lie inside the file. */
  static Footer parse(ByteBuffer tail, long fileSize, Path file) throws LanceFormatException {
    if (tail.remaining() != SIZE) {
      throw new LanceFormatException(file, "file is " + fileSize + " bytes, too short for a Lance footer");
    }
    ByteBuffer b = tail.slice().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4; i++) {
      if (b.get(36 + i) != MAGIC[i]) {
        throw new LanceFormatException(file, "not a Lance file, or truncated: the last 4 bytes are not the magic 'LANC'");
      }
    }
    long cmStart = b.getLong(0);
    long cmoStart = b.getLong(8);
    long gboStart = b.getLong(16);
    long nGlobal = Integer.toUnsignedLong(b.getInt(24));
    long nCols = Integer.toUnsignedLong(b.getInt(28));
    int major = Short.toUnsignedInt(b.getShort(32));
    int minor = Short.toUnsignedInt(b.getShort(34));
    FileVersion version = FileVersion.fromFooter(major, minor, file);
    long footerStart = fileSize - SIZE;
    if (nGlobal < 1) {
      throw new LanceFormatException(file, "footer declares no global buffers (the schema buffer is required)");
    }
    if (gboStart < 0 || gboStart > footerStart || nGlobal * 16 > footerStart - gboStart) {
      throw new LanceFormatException(
          file,
          "global buffer table (" + nGlobal + " entries at " + gboStart + ") lies outside the file of "
              + fileSize + " bytes");
    }
    if (cmoStart < 0 || cmoStart > gboStart || nCols * 16 != gboStart - cmoStart) {
      throw new LanceFormatException(
          file,
          "column metadata table (" + nCols + " entries at " + cmoStart
              + ") does not end where the global buffer table starts (" + gboStart + ")");
    }
    if (cmStart < 0 || cmStart > cmoStart) {
      throw new LanceFormatException(
          file, "column metadata start " + cmStart + " is after the column metadata table at " + cmoStart);
    }
    return new Footer(cmStart, cmoStart, gboStart, (int) nGlobal, (int) nCols, version);
  }

  /** Serializes this footer. */
  ByteBuffer toBytes() {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(columnMetaStart).putLong(columnMetaOffsetsStart).putLong(globalBufferOffsetsStart);
    b.putInt(numGlobalBuffers).putInt(numColumns);
    b.putShort((short) version.major()).putShort((short) version.minor());
    b.put(MAGIC);
    return b.flip();
  }
}
