package dev.lancemerge.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InlineBitpackingTest {

  /** Values whose width varies per chunk, including 0 and T. */
  static long[] data(Random rnd, int t, int n) {
    long[] v = new long[n];
    for (int c = 0; c * 1024 < n; c++) {
      int w = c % 3 == 0 ? 0 : c % 3 == 1 ? t : rnd.nextInt(t + 1);
      for (int i = c * 1024; i < Math.min(n, (c + 1) * 1024); i++) {
        v[i] = rnd.nextLong() & Words.mask(w);
      }
    }
    return v;
  }

  @Test
  void roundTripsEveryTAndEdgeSizes() {
    Random rnd = new Random(1);
    for (int t : FastLanesTest.TS) {
      for (int n : new int[] {0, 1, 2, 1023, 1024, 1025, 2048, 3000, 5 * 1024 + 7}) {
        long[] v = data(rnd, t, n);
        byte[] enc = InlineBitpacking.encode(t, v, 0, n);
        assertThat((long) enc.length).isEqualTo(InlineBitpacking.encodedSize(t, v, 0, n));
        ByteBuffer in = ByteBuffer.wrap(enc);
        assertThat(InlineBitpacking.decode(t, in, n)).as("T=%d n=%d", t, n).isEqualTo(v);
        assertThat(in.hasRemaining()).isFalse();
      }
    }
  }

  @Test
  void roundTripsEveryWidthInOneChunk() {
    Random rnd = new Random(2);
    for (int t : FastLanesTest.TS) {
      for (int w = 0; w <= t; w++) {
        long[] v = new long[700];
        for (int i = 0; i < v.length; i++) {
          v[i] = rnd.nextLong() & Words.mask(w);
        }
        if (w > 0) {
          v[3] = Words.mask(w); // make w the exact minimal width
        }
        byte[] enc = InlineBitpacking.encode(t, v, 0, v.length);
        assertThat(enc.length).isEqualTo(t / 8 + 128 * w);
        assertThat(Words.get(ByteBuffer.wrap(enc).order(ByteOrder.LITTLE_ENDIAN), 0, t)).isEqualTo(w);
        assertThat(InlineBitpacking.decode(t, ByteBuffer.wrap(enc), v.length)).isEqualTo(v);
      }
    }
  }

  @Test
  void knownLayoutOfASingleValue() {
    // u64 value 5 -> one chunk of width 3: u64 header 3, then 384 bytes. Value 0 is idx(0,0): bits
    // 0..2 of word position 0.
    byte[] enc = InlineBitpacking.encode(64, new long[] {5}, 0, 1);
    assertThat(enc).hasSize(8 + 384);
    ByteBuffer le = ByteBuffer.wrap(enc).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(le.getLong(0)).isEqualTo(3);
    assertThat(le.getLong(8)).isEqualTo(5);
    for (int i = 16; i < enc.length; i++) {
      assertThat(enc[i]).isZero();
    }
    assertThat(InlineBitpacking.decode(64, ByteBuffer.wrap(enc), 1)).containsExactly(5);
  }

  @Test
  void decodesIntoOffsetAndLeavesTrailingPadding() {
    long[] v = {1, 2, 3, 4, 5, 6, 7};
    byte[] enc = InlineBitpacking.encode(16, v, 0, v.length);
    byte[] padded = java.util.Arrays.copyOf(enc, enc.length + 6);
    ByteBuffer in = ByteBuffer.wrap(padded);
    long[] out = new long[10];
    InlineBitpacking.decode(16, in, 7, out, 2);
    assertThat(out).containsExactly(0, 0, 1, 2, 3, 4, 5, 6, 7, 0);
    assertThat(in.remaining()).isEqualTo(6);
  }

  @Test
  void corruptInputs() {
    ByteBuffer bad = ByteBuffer.allocate(8 + 128 * 70).order(ByteOrder.LITTLE_ENDIAN);
    bad.putLong(0, 70);
    assertThatThrownBy(() -> InlineBitpacking.decode(64, bad.duplicate(), 10))
        .isInstanceOf(CodecException.class).hasMessageContaining("inline bitpacking chunk 0: bit width 70 > 64");
    ByteBuffer neg = ByteBuffer.allocate(8 + 128).order(ByteOrder.LITTLE_ENDIAN);
    neg.putLong(0, -1L);
    assertThatThrownBy(() -> InlineBitpacking.decode(64, neg, 10))
        .isInstanceOf(CodecException.class).hasMessageContaining("bit width 18446744073709551615 > 64");
    ByteBuffer b8 = ByteBuffer.wrap(new byte[] {9, 0, 0});
    assertThatThrownBy(() -> InlineBitpacking.decode(8, b8, 3))
        .isInstanceOf(CodecException.class).hasMessageContaining("bit width 9 > 8");

    byte[] enc = InlineBitpacking.encode(32, new long[] {1000, 2000, 3000}, 0, 3);
    ByteBuffer truncated = ByteBuffer.wrap(enc, 0, enc.length - 1).slice();
    assertThatThrownBy(() -> InlineBitpacking.decode(32, truncated, 3))
        .isInstanceOf(CodecException.class).hasMessageContaining("truncated");
    // n needs a second chunk that is not there
    assertThatThrownBy(() -> InlineBitpacking.decode(32, ByteBuffer.wrap(enc), 1025))
        .isInstanceOf(CodecException.class);
    // absurd n is rejected before allocating
    assertThatThrownBy(() -> InlineBitpacking.decode(32, ByteBuffer.wrap(enc), Integer.MAX_VALUE))
        .isInstanceOf(CodecException.class).hasMessageContaining("chunk headers");
    assertThatThrownBy(() -> InlineBitpacking.decode(32, ByteBuffer.wrap(enc), -1))
        .isInstanceOf(CodecException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> InlineBitpacking.decode(24, ByteBuffer.wrap(enc), 1))
        .isInstanceOf(CodecException.class).hasMessageContaining("word size 24");
    assertThat(InlineBitpacking.decode(32, ByteBuffer.allocate(0), 0)).isEmpty();
  }

  @Test
  void encoderRejectsValuesWiderThanT() {
    assertThatThrownBy(() -> InlineBitpacking.encode(8, new long[] {256}, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
