package dev.lancemerge.format.v20;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import dev.lancemerge.format.proto.v20.Flat;
import java.io.IOException;

/**
 * {@code flat}: values stored back to back in one buffer, {@code bits_per_value} bits each. One bit
 * per value is a dense LSB-first bitmap (booleans and validity); otherwise whole bytes, little
 * endian. Only the bytes of the requested values are read, unless the buffer is compressed: Lance's
 * 2.0 writer compresses the bytes of a binary page when the field's metadata asks for it
 * ({@code lance-encoding:compression} = lz4 or zstd), and then the whole buffer is one compressed
 * block. lz4 is decompressed here; zstd is refused by name (no zstd decoder on our classpath).
 */
final class FlatDecoder implements ArrayDecoder {
  @Override
  public ColumnData decode(PageContext page, ArrayEncoding enc, ValueShape shape, Slice slice) throws IOException {
    Flat flat = enc.getFlat();
    if (!flat.hasBuffer()) {
      throw page.fail("flat encoding has no buffer");
    }
    String scheme = flat.hasCompression() ? flat.getCompression().getScheme() : "";
    if (!scheme.isEmpty() && !scheme.equals("none")) {
      return compressed(page, flat, scheme, shape, slice);
    }
    long bits = flat.getBitsPerValue();
    if (shape instanceof ValueShape.Bool) {
      if (bits != 1) {
        throw page.fail("flat values of " + Long.toUnsignedString(bits) + " bits cannot hold " + shape);
      }
      return bitmap(page, flat, slice);
    }
    if (shape instanceof ValueShape.Fixed f) {
      if (bits != 8L * f.width()) {
        throw page.fail("flat values of " + Long.toUnsignedString(bits) + " bits cannot hold " + shape);
      }
      return bytes(page, flat, f.width(), slice);
    }
    throw page.fail("a flat encoding of " + Long.toUnsignedString(bits) + "-bit values cannot hold " + shape);
  }

  private static ColumnData bitmap(PageContext page, Flat flat, Slice slice) throws IOException {
    if (slice.totalKnown()) {
      checkHolds(page, flat, slice.total() / 8 + (slice.total() % 8 == 0 ? 0 : 1), slice.total() + " bit-packed values");
    }
    int n = slice.count();
    if (n == 0) {
      return ColumnData.bools(0, new byte[0], null);
    }
    long firstByte = slice.from() >>> 3;
    long endByte = (slice.end() + 7) >>> 3;
    byte[] raw = page.read(flat.getBuffer(), firstByte, endByte - firstByte,
        "bit-packed values [" + slice.from() + ", " + slice.end() + ")");
    return ColumnData.bools(n, Validity.bits(raw, slice.from() & 7, n), null);
  }

  private static ColumnData bytes(PageContext page, Flat flat, int width, Slice slice) throws IOException {
    try {
      if (slice.totalKnown()) {
        checkHolds(page, flat, Math.multiplyExact(slice.total(), (long) width), slice.total() + " values of " + width + " bytes");
      }
      long start = Math.multiplyExact(slice.from(), (long) width);
      long length = Math.multiplyExact((long) slice.count(), (long) width);
      String what = width + "-byte values [" + slice.from() + ", " + slice.end() + ")";
      ArrayDecoders.checkAllocation(page, length, what);
      byte[] v = page.read(flat.getBuffer(), start, length, what);
      return ColumnData.fixed(slice.count(), width, v, null);
    } catch (ArithmeticException e) {
      throw page.fail("flat value positions overflow: " + slice.total() + " values of " + width + " bytes");
    }
  }

  /** A compressed buffer: decompress it whole, then take the requested values from the result. */
  private static ColumnData compressed(PageContext page, Flat flat, String scheme, ValueShape shape, Slice slice)
      throws IOException {
    if (!scheme.equals("lz4")) {
      throw page.fail("flat buffer is compressed with '" + scheme + "', which this reader does not decompress");
    }
    if (!(shape instanceof ValueShape.Fixed f) || flat.getBitsPerValue() != 8L * f.width()) {
      throw page.fail("a compressed flat of " + Long.toUnsignedString(flat.getBitsPerValue()) + "-bit values cannot hold " + shape);
    }
    long size = page.buffer(flat.getBuffer()).size();
    ArrayDecoders.checkAllocation(page, size, "compressed buffer " + flat.getBuffer().getBufferIndex());
    byte[] plain;
    try {
      plain = dev.lancemerge.format.codec.Lz4Block.decompressSizePrefixed(
          java.nio.ByteBuffer.wrap(page.read(flat.getBuffer(), 0, size, "compressed buffer")), LanceFileReader.MAX_BUFFER_BYTES);
    } catch (dev.lancemerge.format.codec.CodecException e) {
      throw page.fail(e.getMessage());
    }
    int w = f.width();
    long values = slice.totalKnown() ? slice.total() : slice.end();
    if (values > plain.length / w) {
      throw page.fail("decompressed buffer holds " + plain.length + " bytes, too short for " + values
          + " values of " + w + " bytes");
    }
    byte[] v = java.util.Arrays.copyOfRange(plain, (int) (slice.from() * w), (int) (slice.end() * w));
    return ColumnData.fixed(slice.count(), w, v, null);
  }

  /** The buffer must hold every value the encoding declares, not just the ones requested. */
  private static void checkHolds(PageContext page, Flat flat, long need, String what) throws IOException {
    long have = page.buffer(flat.getBuffer()).size();
    if (have < need) {
      throw page.fail("buffer " + flat.getBuffer().getBufferIndex() + " holds " + have + " bytes, too short for " + what
          + " (" + need + " bytes)");
    }
  }
}
