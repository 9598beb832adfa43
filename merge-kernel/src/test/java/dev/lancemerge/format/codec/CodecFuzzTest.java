package dev.lancemerge.format.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Mutated and truncated encodings must decode or fail with CodecException, never anything else. */
class CodecFuzzTest {

  static void fuzz(Random rnd, byte[] valid, Consumer<ByteBuffer> decoder) {
    for (int iter = 0; iter < 300; iter++) {
      byte[] b;
      int mode = rnd.nextInt(3);
      if (mode == 0 && valid.length > 0) {
        b = java.util.Arrays.copyOf(valid, rnd.nextInt(valid.length));
      } else {
        b = valid.clone();
        int flips = 1 + rnd.nextInt(4);
        for (int f = 0; f < flips && b.length > 0; f++) {
          int pos = rnd.nextInt(Math.min(b.length, mode == 1 ? 24 : b.length));
          b[pos] = (byte) rnd.nextInt(256);
        }
      }
      try {
        decoder.accept(ByteBuffer.wrap(b));
      } catch (CodecException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void fuzzDecoders() {
    Random rnd = new Random(123);
    for (int t : FastLanesTest.TS) {
      long[] v = InlineBitpackingTest.data(rnd, t, 2500);
      fuzz(rnd, InlineBitpacking.encode(t, v, 0, v.length), in -> InlineBitpacking.decode(t, in, 2500));
      long[] small = new long[1500];
      for (int i = 0; i < small.length; i++) {
        small[i] = rnd.nextInt(8);
      }
      fuzz(rnd, OutOfLineBitpacking.encode(t, 3, small, 0, small.length),
          in -> OutOfLineBitpacking.decode(t, 3, in, 1500));
      long[] r = RleTest.runs(rnd, t, 3000);
      fuzz(rnd, Rle.encodeBlock(t, r, 0, r.length), in -> Rle.decodeBlock(t, in, 3000));
    }
    VariableData strings = VariableData.ofStrings("alpha", "", "beta gamma", "delta");
    for (int bits : new int[] {32, 64}) {
      fuzz(rnd, VariableBlock.encodeBlock(bits, strings), in -> VariableBlock.decodeBlock(in));
      fuzz(rnd, VariableBlock.encodeMiniBlock(bits, strings), in -> VariableBlock.decodeMiniBlock(bits, in, 4));
    }
    Fsst.SymbolTable st = Fsst.SymbolTable.of("al".getBytes(), "pha".getBytes(), "ta".getBytes());
    byte[] compressed = VariableBlock.encodeMiniBlock(32, Fsst.compress(st, strings));
    fuzz(rnd, compressed, in -> Fsst.decompress(st, VariableBlock.decodeMiniBlock(32, in, 4), 1 << 16));
    fuzz(rnd, st.serialize(), in -> Fsst.decompress(Fsst.SymbolTable.parse(in), strings, 1 << 16));
  }
}
