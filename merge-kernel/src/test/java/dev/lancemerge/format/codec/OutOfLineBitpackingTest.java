package dev.lancemerge.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.format.codec.OutOfLineBitpacking.Tail;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutOfLineBitpackingTest {

  @Test
  void roundTripsAllModes() {
    Random rnd = new Random(11);
    for (int t : FastLanesTest.TS) {
      for (int cw : new int[] {0, 1, t / 2 - 1, t / 2, t - 1, t}) {
        for (int n : new int[] {0, 1, 100, 1023, 1024, 1025, 2048 + 5, 3 * 1024}) {
          long[] v = new long[n];
          for (int i = 0; i < n; i++) {
            v[i] = rnd.nextLong() & Words.mask(cw);
          }
          for (Tail mode : Tail.values()) {
            byte[] enc = OutOfLineBitpacking.encode(t, cw, v, 0, n, mode);
            assertThat((long) enc.length).isEqualTo(OutOfLineBitpacking.encodedSize(t, cw, n, mode));
            assertThat(OutOfLineBitpacking.decode(t, cw, ByteBuffer.wrap(enc), n))
                .as("T=%d cw=%d n=%d %s", t, cw, n, mode).isEqualTo(v);
          }
        }
      }
    }
  }

  @Test
  void lanceRawTailExample() {
    // Lance's own test: u32, width 8, 1025 values (i % 200): the tail of one value goes raw.
    long[] v = new long[1025];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 200;
    }
    byte[] enc = OutOfLineBitpacking.encode(32, 8, v, 0, v.length);
    assertThat(enc.length / 4).isEqualTo(256 + 1);
    assertThat(OutOfLineBitpacking.decode(32, 8, ByteBuffer.wrap(enc), v.length)).isEqualTo(v);
  }

  @Test
  void autoPacksALongTail() {
    // u16 at width 2, tail 1000: padding cost 2*24 < savings 14*1000 -> packed (128 words), not raw (1000)
    long[] v = new long[1024 + 1000];
    byte[] enc = OutOfLineBitpacking.encode(16, 2, v, 0, v.length);
    assertThat(enc.length / 2).isEqualTo(128 + 128);
  }

  @Test
  void ambiguousTailLengthIsRaw() {
    // u16, width 4: a packed chunk is 256 words; a tail of 256 values has the same length raw.
    Random rnd = new Random(5);
    long[] v = new long[1024 + 256];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextInt(16);
    }
    assertThat(OutOfLineBitpacking.packsTail(16, 4, 256, Tail.PACKED)).isFalse();
    byte[] enc = OutOfLineBitpacking.encode(16, 4, v, 0, v.length, Tail.PACKED);
    assertThat(OutOfLineBitpacking.decode(16, 4, ByteBuffer.wrap(enc), v.length)).isEqualTo(v);
  }

  @Test
  void positionIsNotMovedAndOffsetsWork() {
    long[] v = {3, 1, 2};
    byte[] enc = OutOfLineBitpacking.encode(64, 2, v, 0, 3, Tail.RAW);
    ByteBuffer in = ByteBuffer.wrap(enc);
    long[] out = new long[5];
    OutOfLineBitpacking.decode(64, 2, in, 3, out, 1);
    assertThat(out).containsExactly(0, 3, 1, 2, 0);
    assertThat(in.position()).isZero();
  }

  @Test
  void corruptInputs() {
    assertThatThrownBy(() -> OutOfLineBitpacking.decode(16, 17, ByteBuffer.allocate(100), 1))
        .isInstanceOf(CodecException.class).hasMessageContaining("bit width 17 > 16");
    // 2 whole chunks at u32 width 5 need 320 words
    assertThatThrownBy(() -> OutOfLineBitpacking.decode(32, 5, ByteBuffer.allocate(319 * 4), 2048))
        .isInstanceOf(CodecException.class).hasMessageContaining("need 320 words");
    assertThatThrownBy(() -> OutOfLineBitpacking.decode(32, 5, ByteBuffer.allocate(4), Integer.MAX_VALUE))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> OutOfLineBitpacking.decode(32, 5, ByteBuffer.allocate(4), -3))
        .isInstanceOf(CodecException.class);
    // a tail that is neither raw nor a whole packed chunk
    assertThatThrownBy(() -> OutOfLineBitpacking.decode(32, 5, ByteBuffer.allocate(7 * 4), 10))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void encoderRejectsValuesWiderThanWidth() {
    assertThatThrownBy(() -> OutOfLineBitpacking.encode(16, 3, new long[] {8}, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
