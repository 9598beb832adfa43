package dev.lancemerge.format.v20;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.LanceFormatException;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import java.io.IOException;

/**
 * Picks the decoder for one node of a 2.0 encoding tree. Only the families Lance's 2.0 writer
 * emits (and its 2.0 reader accepts) are decoded; the rest are named in the error so a file from
 * an unexpected writer is reported, not misread.
 */
final class ArrayDecoders {
  private static final ArrayDecoder NULLABLE = new NullableDecoder();
  private static final ArrayDecoder FLAT = new FlatDecoder();
  private static final ArrayDecoder FIXED_SIZE_LIST = new FixedSizeListDecoder();
  private static final ArrayDecoder BINARY = new BinaryDecoder();
  private static final ArrayDecoder DICTIONARY = new DictionaryDecoder();
  private static final ArrayDecoder FSST = new FsstDecoder();

  private ArrayDecoders() {}

  static ColumnData decode(PageContext page, ArrayEncoding enc, ValueShape shape, Slice slice) throws IOException {
    if (slice.from() < 0 || slice.count() < 0 || (slice.totalKnown() && slice.end() > slice.total())) {
      throw page.fail("values [" + slice.from() + ", " + slice.end() + ") requested from an encoding holding " + slice.total());
    }
    ArrayDecoder d;
    switch (enc.getArrayEncodingCase()) {
      case NULLABLE:
        d = NULLABLE;
        break;
      case FLAT:
        d = FLAT;
        break;
      case FIXED_SIZE_LIST:
        d = FIXED_SIZE_LIST;
        break;
      case BINARY:
        d = BINARY;
        break;
      case DICTIONARY:
        d = DICTIONARY;
        break;
      case FSST:
        d = FSST;
        break;
      case ARRAYENCODING_NOT_SET:
        throw page.fail("an encoding node is empty (no array_encoding set)");
      case LIST:
      case STRUCT:
        throw page.fail("a " + name(enc) + " encoding cannot hold " + shape + " (the page belongs to a column of another type)");
      default:
        throw page.fail("encoding '" + name(enc) + "' is not one Lance writes or reads in 2.0 files");
    }
    ColumnData out = d.decode(page, enc, shape, slice);
    if (out.length() != slice.count()) {
      throw new IllegalStateException(name(enc) + " decoded " + out.length() + " values, expected " + slice.count());
    }
    return out;
  }

  /** The proto name of the encoding's variant, e.g. {@code fixed_size_list}. */
  static String name(ArrayEncoding enc) {
    return enc.getArrayEncodingCase() == ArrayEncoding.ArrayEncodingCase.ARRAYENCODING_NOT_SET
        ? "(none)"
        : ArrayEncoding.getDescriptor().findFieldByNumber(enc.getArrayEncodingCase().getNumber()).getName();
  }

  /** Fails unless {@code bytes} fit in one Java array (checked before anything of that size is allocated). */
  static void checkAllocation(PageContext page, long bytes, String what) throws LanceFormatException {
    if (bytes < 0 || bytes > LanceFileReader.MAX_BUFFER_BYTES) {
      throw page.fail(what + " would need " + bytes + " bytes, more than one array can hold");
    }
  }
}
