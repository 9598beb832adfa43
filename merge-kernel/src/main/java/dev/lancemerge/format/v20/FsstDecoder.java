package dev.lancemerge.format.v20;

import dev.lancemerge.format.LanceFileReader;
import dev.lancemerge.format.codec.CodecException;
import dev.lancemerge.format.codec.Fsst;
import dev.lancemerge.format.codec.VariableData;
import dev.lancemerge.format.data.ColumnData;
import dev.lancemerge.format.proto.v20.ArrayEncoding;
import java.io.IOException;

/**
 * {@code fsst}: a binary encoding whose values were each compressed with one FSST symbol table
 * (kept in the encoding itself). Lance's 2.0 writer only uses it when the field's metadata asks
 * for {@code lance-encoding:compression=fsst} (its automatic FSST choice starts at 2.1). The inner
 * binary gives compressed values and nulls; each value is decompressed on its own.
 */
final class FsstDecoder implements ArrayDecoder {
  @Override
  public ColumnData decode(PageContext page, ArrayEncoding enc, ValueShape shape, Slice slice) throws IOException {
    if (!(shape instanceof ValueShape.Variable)) {
      throw page.fail("an fsst encoding cannot hold " + shape);
    }
    if (!enc.getFsst().hasBinary()) {
      throw page.fail("fsst encoding has no inner binary encoding");
    }
    ColumnData compressed = ArrayDecoders.decode(page, enc.getFsst().getBinary(), shape, slice);
    if (slice.count() == 0) {
      return compressed;
    }
    try {
      VariableData plain = Fsst.decompress(enc.getFsst().getSymbolTable().toByteArray(),
          new VariableData(compressed.values(), compressed.offsets()), LanceFileReader.MAX_BUFFER_BYTES);
      return ColumnData.variable(slice.count(), plain.offsets(), plain.bytes(), compressed.validity());
    } catch (CodecException | IllegalArgumentException e) {
      throw page.fail(e.getMessage());
    }
  }
}
