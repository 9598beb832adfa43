package dev.lancemerge.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VariableBlockTest {

  static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void knownBlock32() {
    byte[] expected = bytes(32, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 'a', 'b', 'c');
    assertThat(VariableBlock.encodeBlock(32, VariableData.ofStrings("ab", "c"))).isEqualTo(expected);
    VariableData d = VariableBlock.decodeBlock(ByteBuffer.wrap(expected), 2);
    assertThat(d.count()).isEqualTo(2);
    assertThat(d.string(0)).isEqualTo("ab");
    assertThat(d.string(1)).isEqualTo("c");
  }

  @Test
  void knownBlock64AndLegacy() {
    ByteBuffer b = ByteBuffer.allocate(16 + 24 + 3).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(64).putLong(40).putLong(0).putLong(2).putLong(3).put(bytes('a', 'b', 'c'));
    assertThat(VariableBlock.encodeBlock(64, VariableData.ofStrings("ab", "c"))).isEqualTo(b.array());
    assertThat(VariableBlock.decodeBlock(ByteBuffer.wrap(b.array())).string(0)).isEqualTo("ab");
    // legacy header: u8 32, u32 n, u32 bytes start, offsets
    ByteBuffer old = ByteBuffer.allocate(9 + 12 + 3).order(ByteOrder.LITTLE_ENDIAN);
    old.put((byte) 32).putInt(2).putInt(21).putInt(0).putInt(2).putInt(3).put(bytes('a', 'b', 'c'));
    VariableData d = VariableBlock.decodeBlock(ByteBuffer.wrap(old.array()), 2);
    assertThat(d.string(1)).isEqualTo("c");
    ByteBuffer old64 = ByteBuffer.allocate(17 + 24 + 3).order(ByteOrder.LITTLE_ENDIAN);
    old64.put((byte) 64).putLong(2).putLong(41).putLong(0).putLong(2).putLong(3).put(bytes('a', 'b', 'c'));
    assertThat(VariableBlock.decodeBlock(ByteBuffer.wrap(old64.array())).string(0)).isEqualTo("ab");
  }

  @Test
  void blockOffsetsNeedNotStartAtZero() {
    // offsets [1, 3, 4] into bytes "xabc": values "ab", "c"
    ByteBuffer b = ByteBuffer.allocate(8 + 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(32).putInt(20).putInt(1).putInt(3).putInt(4).put(bytes('x', 'a', 'b', 'c'));
    VariableData d = VariableBlock.decodeBlock(ByteBuffer.wrap(b.array()));
    assertThat(d.offsets()).containsExactly(0, 2, 3);
    assertThat(d.string(0)).isEqualTo("ab");
  }

  @Test
  void knownMiniBlock32() {
    // offsets relative to the buffer start: 12, 14, 15; then "abc"; pad to 16 with 0x48
    byte[] expected = bytes(12, 0, 0, 0, 14, 0, 0, 0, 15, 0, 0, 0, 'a', 'b', 'c', 0x48);
    assertThat(VariableBlock.encodeMiniBlock(32, VariableData.ofStrings("ab", "c"))).isEqualTo(expected);
    VariableData d = VariableBlock.decodeMiniBlock(32, ByteBuffer.wrap(expected), 2);
    assertThat(d.string(0)).isEqualTo("ab");
    assertThat(d.string(1)).isEqualTo("c");
    assertThat(d.bytes()).hasSize(3);
  }

  @Test
  void roundTrips() {
    Random rnd = new Random(4);
    for (int n : new int[] {0, 1, 7, 500}) {
      List<byte[]> vals = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] v = new byte[rnd.nextInt(20)];
        rnd.nextBytes(v);
        vals.add(v);
      }
      VariableData data = VariableData.of(vals);
      for (int bits : new int[] {32, 64}) {
        byte[] mb = VariableBlock.encodeMiniBlock(bits, data);
        assertThat(mb.length % (bits / 8)).isZero();
        VariableData d1 = VariableBlock.decodeMiniBlock(bits, ByteBuffer.wrap(mb), n);
        assertThat(d1.bytes()).isEqualTo(data.bytes());
        assertThat(d1.offsets()).isEqualTo(data.offsets());
        VariableData d2 = VariableBlock.decodeBlock(ByteBuffer.wrap(VariableBlock.encodeBlock(bits, data)), n);
        assertThat(d2.bytes()).isEqualTo(data.bytes());
        assertThat(d2.offsets()).isEqualTo(data.offsets());
      }
    }
  }

  @Test
  void corruptInputs() {
    byte[] good = VariableBlock.encodeBlock(32, VariableData.ofStrings("ab", "c"));
    assertThatThrownBy(() -> VariableBlock.decodeBlock(ByteBuffer.wrap(good), 3))
        .isInstanceOf(CodecException.class).hasMessageContaining("expected 3 values");
    byte[] decreasing = good.clone();
    decreasing[12] = 3; // offsets 0, 3, 2
    decreasing[16] = 2;
    assertThatThrownBy(() -> VariableBlock.decodeBlock(ByteBuffer.wrap(decreasing)))
        .isInstanceOf(CodecException.class).hasMessageContaining("offset 2");
    byte[] beyond = good.clone();
    beyond[16] = 9;
    assertThatThrownBy(() -> VariableBlock.decodeBlock(ByteBuffer.wrap(beyond)))
        .isInstanceOf(CodecException.class).hasMessageContaining("data length 3");
    byte[] startBeyond = good.clone();
    startBeyond[4] = 100;
    assertThatThrownBy(() -> VariableBlock.decodeBlock(ByteBuffer.wrap(startBeyond)))
        .isInstanceOf(CodecException.class).hasMessageContaining("bytes start 100");
    byte[] oddStart = good.clone();
    oddStart[4] = 19;
    assertThatThrownBy(() -> VariableBlock.decodeBlock(ByteBuffer.wrap(oddStart)))
        .isInstanceOf(CodecException.class).hasMessageContaining("not a multiple");
    byte[] badBits = good.clone();
    badBits[0] = 16;
    assertThatThrownBy(() -> VariableBlock.decodeBlock(ByteBuffer.wrap(badBits)))
        .isInstanceOf(CodecException.class).hasMessageContaining("bits per offset 16");
    assertThatThrownBy(() -> VariableBlock.decodeBlock(ByteBuffer.wrap(good, 0, 6).slice()))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> VariableBlock.decodeBlock(ByteBuffer.allocate(2)))
        .isInstanceOf(CodecException.class);

    byte[] mb = VariableBlock.encodeMiniBlock(32, VariableData.ofStrings("ab", "c"));
    assertThatThrownBy(() -> VariableBlock.decodeMiniBlock(32, ByteBuffer.wrap(mb), 5))
        .isInstanceOf(CodecException.class).hasMessageContaining("need 24 bytes of offsets");
    byte[] overlap = mb.clone();
    overlap[0] = 4; // first offset inside the offsets
    assertThatThrownBy(() -> VariableBlock.decodeMiniBlock(32, ByteBuffer.wrap(overlap), 2))
        .isInstanceOf(CodecException.class).hasMessageContaining("first offset 4");
    byte[] huge = VariableBlock.encodeMiniBlock(64, VariableData.ofStrings("ab", "c"));
    huge[8 + 7] = (byte) 0x80; // offset 1 negative as signed
    assertThatThrownBy(() -> VariableBlock.decodeMiniBlock(64, ByteBuffer.wrap(huge), 2))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> VariableBlock.decodeMiniBlock(32, ByteBuffer.wrap(mb), Integer.MAX_VALUE))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> VariableBlock.decodeMiniBlock(16, ByteBuffer.wrap(mb), 1))
        .isInstanceOf(CodecException.class);
  }
}
