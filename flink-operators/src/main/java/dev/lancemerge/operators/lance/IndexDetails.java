package dev.lancemerge.operators.lance;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the type URL out of an index's details. lance-core 7.0.0 returns {@code Index.indexDetails()} as a
 * serialized protobuf {@code google.protobuf.Any}: field 1 (tag {@code 0x0a}) the type URL, e.g.
 * {@code /lance.index.pb.VectorIndexDetails}, field 2 (tag {@code 0x12}) the message bytes.
 */
final class IndexDetails {
  private IndexDetails() {}

  /** The {@code Any.type_url} of {@code any}, or empty if the bytes are not a well-formed {@code Any}. */
  static Optional<String> typeUrl(byte[] any) {
    if (any == null) {
      return Optional.empty();
    }
    int pos = 0;
    while (pos < any.length) {
      long[] key = varint(any, pos);
      if (key == null) {
        return Optional.empty();
      }
      pos = (int) key[1];
      int field = (int) (key[0] >>> 3);
      int wire = (int) (key[0] & 7);
      switch (wire) {
        case 0 -> {
          long[] v = varint(any, pos);
          if (v == null) {
            return Optional.empty();
          }
          pos = (int) v[1];
        }
        case 1 -> pos += 8;
        case 5 -> pos += 4;
        case 2 -> {
          long[] len = varint(any, pos);
          if (len == null || len[0] < 0 || len[1] + len[0] > any.length) {
            return Optional.empty();
          }
          int start = (int) len[1];
          int n = (int) len[0];
          if (field == 1) {
            return Optional.of(new String(any, start, n, StandardCharsets.UTF_8));
          }
          pos = start + n;
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** {value, next position}, or null if truncated or longer than 10 bytes. */
  private static long[] varint(byte[] b, int pos) {
    long value = 0;
    for (int shift = 0; shift < 70 && pos < b.length; shift += 7) {
      int x = b[pos++] & 0xff;
      value |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return new long[] {value, pos};
      }
    }
    return null;
  }
}
