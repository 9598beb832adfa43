package dev.lancemerge.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastLanesTest {
  static final int[] TS = {8, 16, 32, 64};
  static final int[] FL_ORDER = {0, 4, 2, 6, 1, 5, 3, 7};

  /**
   * Independent bit-level model of the spec (doc §3.5): for each lane build the LSB-first bit stream of
   * the T values idx(0,l)..idx(T-1,l) masked to w bits, cut it into w words of T bits, and store word k
   * at word position LANES*k + l (little endian).
   */
  static byte[] referencePack(int t, int w, long[] v) {
    int lanes = 1024 / t;
    byte[] out = new byte[128 * w];
    for (int l = 0; l < lanes; l++) {
      boolean[] bits = new boolean[t * w];
      for (int r = 0; r < t; r++) {
        int idx = FL_ORDER[r / 8] * 16 + (r % 8) * 128 + l;
        for (int b = 0; b < w; b++) {
          bits[r * w + b] = ((v[idx] >>> b) & 1) != 0;
        }
      }
      for (int k = 0; k < w; k++) {
        int pos = lanes * k + l;
        for (int b = 0; b < t; b++) {
          if (bits[k * t + b]) {
            int byteIndex = pos * (t / 8) + b / 8;
            out[byteIndex] |= (byte) (1 << (b % 8));
          }
        }
      }
    }
    return out;
  }

  static long[] random(Random rnd, int n, int w) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextLong() & Words.mask(w);
    }
    return v;
  }

  static byte[] pack(int t, int w, long[] v) {
    ByteBuffer out = ByteBuffer.allocate(128 * w);
    FastLanes.pack(t, w, v, 0, out);
    assertThat(out.remaining()).isZero();
    return out.array();
  }

  static long[] unpack(int t, int w, byte[] packed) {
    long[] out = new long[1024];
    ByteBuffer in = ByteBuffer.wrap(packed);
    FastLanes.unpack(t, w, in, out, 0);
    assertThat(in.position()).isEqualTo(128 * w);
    return out;
  }

  @Test
  void knownAnswerT8W1Parity() {
    // T=8: idx(r,l) = r*128 + l, so value idx%2 = l%2 for every row of lane l. Lane l has one 8-bit
    // word at byte l whose 8 bits all equal l%2.
    long[] v = new long[1024];
    for (int i = 0; i < 1024; i++) {
      v[i] = i % 2;
    }
    byte[] expected = new byte[128];
    for (int l = 0; l < 128; l++) {
      expected[l] = (byte) (l % 2 == 1 ? 0xFF : 0x00);
    }
    assertThat(pack(8, 1, v)).isEqualTo(expected);
    assertThat(unpack(8, 1, expected)).isEqualTo(v);
  }

  @Test
  void knownAnswerT8W3Straddle() {
    // T=8, w=3, all values = 5 (0b101). Lane stream: 8 copies of 101 = 24 bits, LSB first:
    // bits 0..23 = 1,0,1,1,0,1,1,0,1,1,0,1,... word0 bits 0..7 = 1 0 1 1 0 1 1 0 -> 0b01101101 = 0x6D
    // word1 bits 8..15 = 1 1 0 1 1 0 1 1 -> 0b11011011 = 0xDB; word2 bits 16..23 = 0 1 1 0 1 1 0 1 -> 0xB6
    long[] v = new long[1024];
    java.util.Arrays.fill(v, 5);
    byte[] p = pack(8, 3, v);
    for (int l = 0; l < 128; l++) {
      assertThat(p[l] & 0xFF).isEqualTo(0x6D);
      assertThat(p[128 + l] & 0xFF).isEqualTo(0xDB);
      assertThat(p[256 + l] & 0xFF).isEqualTo(0xB6);
    }
    assertThat(unpack(8, 3, p)).isEqualTo(v);
  }

  @Test
  void knownAnswerFullWidthIsPermutedCopy() {
    long[] v = new long[1024];
    for (int i = 0; i < 1024; i++) {
      v[i] = 1000 + i;
    }
    ByteBuffer p16 = ByteBuffer.wrap(pack(16, 16, v)).order(ByteOrder.LITTLE_ENDIAN);
    // word position 64*r + l holds v[idx(r,l)]
    assertThat(p16.getShort(2 * (64 * 1 + 0))).isEqualTo((short) v[128]); // r=1: 0*16 + 1*128
    assertThat(p16.getShort(2 * (64 * 8 + 0))).isEqualTo((short) v[64]); // r=8: FL_ORDER[1]=4 -> 64
    assertThat(p16.getShort(2 * (64 * 9 + 5))).isEqualTo((short) v[64 + 128 + 5]);
    assertThat(p16.getShort(2 * (64 * 15 + 63))).isEqualTo((short) v[64 + 7 * 128 + 63]);
    ByteBuffer p64 = ByteBuffer.wrap(pack(64, 64, v)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(p64.getLong(8 * (16 * 8 + 3))).isEqualTo(v[67]); // r=8,l=3: 4*16 + 3
    assertThat(p64.getLong(8 * (16 * 16 + 0))).isEqualTo(v[32]); // r=16: FL_ORDER[2]=2 -> 32
    assertThat(p64.getLong(8 * (16 * 63 + 15))).isEqualTo(v[7 * 16 + 7 * 128 + 15]);
  }

  @Test
  void indexFormula() {
    assertThat(FastLanes.index(0, 0)).isZero();
    assertThat(FastLanes.index(8, 0)).isEqualTo(64);
    assertThat(FastLanes.index(63, 15)).isEqualTo(7 * 16 + 7 * 128 + 15);
    // every (row, lane) maps to a distinct index in 0..1023 for every T
    for (int t : TS) {
      boolean[] seen = new boolean[1024];
      for (int r = 0; r < t; r++) {
        for (int l = 0; l < 1024 / t; l++) {
          int idx = FastLanes.index(r, l);
          assertThat(seen[idx]).isFalse();
          seen[idx] = true;
        }
      }
    }
  }

  @Test
  void everyTAndWidthMatchesReferenceAndRoundTrips() {
    Random rnd = new Random(42);
    for (int t : TS) {
      for (int w = 0; w <= t; w++) {
        long[] v = random(rnd, 1024, w);
        byte[] p = pack(t, w, v);
        assertThat(p).as("T=%d w=%d", t, w).isEqualTo(referencePack(t, w, v));
        assertThat(unpack(t, w, p)).as("T=%d w=%d", t, w).isEqualTo(v);
      }
    }
  }

  @Test
  void packMasksWideValuesAndPadsBeyondCount() {
    long[] v = new long[1024];
    java.util.Arrays.fill(v, 0xFFFF);
    ByteBuffer out = ByteBuffer.allocate(128 * 4);
    FastLanes.pack(16, 4, v, 0, 10, out);
    long[] back = unpack(16, 4, out.array());
    for (int i = 0; i < 1024; i++) {
      assertThat(back[i]).isEqualTo(i < 10 ? 0xF : 0);
    }
  }

  @Test
  void unpackWithLimitWritesOnlyPrefix() {
    Random rnd = new Random(7);
    long[] v = random(rnd, 1024, 13);
    byte[] p = pack(32, 13, v);
    long[] out = new long[5 + 100 + 3];
    java.util.Arrays.fill(out, -1);
    ByteBuffer in = ByteBuffer.wrap(p);
    FastLanes.unpack(32, 13, in, out, 5, 100);
    assertThat(in.position()).isEqualTo(p.length);
    for (int i = 0; i < 100; i++) {
      assertThat(out[5 + i]).isEqualTo(v[i]);
    }
    assertThat(out[4]).isEqualTo(-1);
    assertThat(out[105]).isEqualTo(-1);
  }

  @Test
  void respectsPositionAndIgnoresBufferByteOrder() {
    Random rnd = new Random(3);
    long[] v = random(rnd, 1024, 37);
    byte[] p = pack(64, 37, v);
    byte[] shifted = new byte[p.length + 3];
    System.arraycopy(p, 0, shifted, 3, p.length);
    ByteBuffer in = ByteBuffer.wrap(shifted).order(ByteOrder.BIG_ENDIAN);
    in.position(3);
    long[] out = new long[1024];
    FastLanes.unpack(64, 37, in, out, 0);
    assertThat(out).isEqualTo(v);
    assertThat(in.position()).isEqualTo(shifted.length);
  }

  @Test
  void corruptInputs() {
    long[] out = new long[1024];
    assertThatThrownBy(() -> FastLanes.unpack(64, 70, ByteBuffer.allocate(10_000), out, 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("bit width 70 > 64");
    assertThatThrownBy(() -> FastLanes.unpack(8, 9, ByteBuffer.allocate(10_000), out, 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("bit width 9 > 8");
    assertThatThrownBy(() -> FastLanes.unpack(12, 3, ByteBuffer.allocate(10_000), out, 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("word size 12");
    assertThatThrownBy(() -> FastLanes.unpack(32, 5, ByteBuffer.allocate(128 * 5 - 1), out, 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("needs 640 bytes");
    assertThatThrownBy(() -> FastLanes.unpack(32, 5, ByteBuffer.allocate(640), new long[1000], 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("output array too small");
  }
}
