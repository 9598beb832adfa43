package dev.lancemerge.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RleTest {

  static long[] runs(Random rnd, int w, int n) {
    long[] v = new long[n];
    long cur = 0;
    for (int i = 0; i < n; i++) {
      if (rnd.nextInt(40) == 0) {
        cur = rnd.nextLong() & Words.mask(w);
      }
      v[i] = cur;
    }
    return v;
  }

  @Test
  void lanceExample() {
    Rle.Encoded e = Rle.encode(32, new long[] {1, 1, 1, 2, 2, 3, 3, 3, 3}, 0, 9);
    assertThat(e.values()).hasSize(12);
    assertThat(e.runLengths()).containsExactly(3, 2, 4);
    assertThat(Rle.decodeMiniBlock(32, ByteBuffer.wrap(e.values()), ByteBuffer.wrap(e.runLengths()), 9))
        .containsExactly(1, 1, 1, 2, 2, 3, 3, 3, 3);
  }

  @Test
  void longRunsSplitAt255() {
    long[] v = new long[1300];
    java.util.Arrays.fill(v, 0, 1000, 42);
    java.util.Arrays.fill(v, 1000, 1300, 100);
    Rle.Encoded e = Rle.encode(32, v, 0, v.length);
    assertThat(e.runLengths()).containsExactly((byte) 255, (byte) 255, (byte) 255, (byte) 235, (byte) 255, (byte) 45);
    assertThat(Rle.decodeMiniBlock(32, ByteBuffer.wrap(e.values()), ByteBuffer.wrap(e.runLengths()), v.length))
        .isEqualTo(v);
    Rle.Encoded e16 = Rle.encode(32, 16, v, 0, v.length);
    assertThat(e16.runs()).isEqualTo(2);
    assertThat(Rle.decode(32, 16, ByteBuffer.wrap(e16.values()), ByteBuffer.wrap(e16.runLengths()), v.length, false))
        .isEqualTo(v);
  }

  @Test
  void roundTripsEveryWidth() {
    Random rnd = new Random(9);
    for (int w : FastLanesTest.TS) {
      for (int rl : new int[] {8, 16, 32}) {
        for (int n : new int[] {1, 2, 255, 256, 2048, 5000}) {
          long[] v = runs(rnd, w, n);
          Rle.Encoded e = Rle.encode(w, rl, v, 0, n);
          assertThat(Rle.decode(w, rl, ByteBuffer.wrap(e.values()), ByteBuffer.wrap(e.runLengths()), n, false))
              .isEqualTo(v);
          byte[] block = Rle.encodeBlock(w, rl, v, 0, n);
          assertThat(ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).getLong(0)).isEqualTo(e.values().length);
          assertThat(Rle.decodeBlock(w, rl, ByteBuffer.wrap(block), n)).isEqualTo(v);
        }
      }
    }
  }

  @Test
  void zeroValuesIgnoresBuffers() {
    assertThat(Rle.decodeMiniBlock(64, ByteBuffer.wrap(new byte[3]), ByteBuffer.allocate(0), 0)).isEmpty();
  }

  @Test
  void miniBlockClampsOverflowBlockRejectsIt() {
    Rle.Encoded e = Rle.encode(16, new long[] {7, 7, 7, 8, 8}, 0, 5);
    assertThat(Rle.decodeMiniBlock(16, ByteBuffer.wrap(e.values()), ByteBuffer.wrap(e.runLengths()), 4))
        .containsExactly(7, 7, 7, 8);
    byte[] block = Rle.encodeBlock(16, new long[] {7, 7, 7, 8, 8}, 0, 5);
    assertThatThrownBy(() -> Rle.decodeBlock(16, ByteBuffer.wrap(block), 4))
        .isInstanceOf(CodecException.class).hasMessageContaining("overflow");
  }

  @Test
  void corruptInputs() {
    ByteBuffer v4 = ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 2, 0, 0, 0});
    assertThatThrownBy(() -> Rle.decodeMiniBlock(32, v4.duplicate(), ByteBuffer.wrap(new byte[] {5}), 5))
        .isInstanceOf(CodecException.class).hasMessageContaining("2 values but 1 run lengths");
    assertThatThrownBy(() -> Rle.decodeMiniBlock(32, v4.duplicate(), ByteBuffer.wrap(new byte[] {5, 0}), 5))
        .isInstanceOf(CodecException.class).hasMessageContaining("run 1 has length 0");
    // an extra run after n values: dropped in mini-block form, an error in block form
    assertThat(Rle.decodeMiniBlock(32, v4.duplicate(), ByteBuffer.wrap(new byte[] {5, 1}), 5))
        .containsExactly(1, 1, 1, 1, 1);
    assertThatThrownBy(() -> Rle.decode(32, 8, v4.duplicate(), ByteBuffer.wrap(new byte[] {5, 1}), 5, false))
        .isInstanceOf(CodecException.class).hasMessageContaining("overflow");
    assertThatThrownBy(() -> Rle.decodeMiniBlock(32, v4.duplicate(), ByteBuffer.wrap(new byte[] {1, 1}), 5))
        .isInstanceOf(CodecException.class).hasMessageContaining("runs produce 2 values, expected 5");
    assertThatThrownBy(() -> Rle.decodeMiniBlock(32, ByteBuffer.wrap(new byte[7]), ByteBuffer.wrap(new byte[2]), 5))
        .isInstanceOf(CodecException.class).hasMessageContaining("not a multiple");
    assertThatThrownBy(() -> Rle.decodeMiniBlock(32, ByteBuffer.allocate(0), ByteBuffer.allocate(0), 5))
        .isInstanceOf(CodecException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> Rle.decodeMiniBlock(32, v4.duplicate(), ByteBuffer.wrap(new byte[] {1, 1}),
        Integer.MAX_VALUE)).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> Rle.decodeMiniBlock(12, v4.duplicate(), ByteBuffer.wrap(new byte[] {1, 1}), 2))
        .isInstanceOf(CodecException.class).hasMessageContaining("word size 12");
    ByteBuffer hdr = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 100);
    assertThatThrownBy(() -> Rle.decodeBlock(32, hdr, 1))
        .isInstanceOf(CodecException.class).hasMessageContaining("values size 100");
    ByteBuffer hdrNeg = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
    assertThatThrownBy(() -> Rle.decodeBlock(32, hdrNeg, 1)).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> Rle.decodeBlock(32, ByteBuffer.allocate(5), 1))
        .isInstanceOf(CodecException.class).hasMessageContaining("8-byte header");
  }
}
