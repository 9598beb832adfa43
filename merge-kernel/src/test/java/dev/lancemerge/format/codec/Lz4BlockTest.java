package dev.lancemerge.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hand-assembled LZ4 blocks: literals, overlapping matches, long lengths, and corrupt input. */
class Lz4BlockTest {
  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void literalsOnly() {
    byte[] block = bytes(0x50, 'h', 'e', 'l', 'l', 'o');
    assertThat(new String(Lz4Block.decompress(block, 5), StandardCharsets.US_ASCII)).isEqualTo("hello");
  }

  @Test
  void overlappingMatchRepeatsThePattern() {
    // "abc" then a match of 9 bytes at offset 3, then literal "!"
    byte[] block = bytes(0x35, 'a', 'b', 'c', 3, 0, 0x10, '!');
    assertThat(new String(Lz4Block.decompress(block, 13), StandardCharsets.US_ASCII)).isEqualTo("abcabcabcabc!");
  }

  @Test
  void longLengthsUseExtensionBytes() {
    // one literal 'x', then a match of 4 + 15 + 255 + 10 = 284 bytes at offset 1
    byte[] block = bytes(0x1F, 'x', 1, 0, 255, 10);
    byte[] out = Lz4Block.decompress(block, 285);
    for (byte b : out) {
      assertThat(b).isEqualTo((byte) 'x');
    }
  }

  @Test
  void sizePrefixIsHonoured() {
    ByteBuffer b = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putInt(5).put(bytes(0x50, 'h', 'e', 'l', 'l', 'o')).flip();
    assertThat(Lz4Block.decompressSizePrefixed(b, 100)).hasSize(5);
    assertThatThrownBy(() -> Lz4Block.decompressSizePrefixed(b, 4)).isInstanceOf(CodecException.class).hasMessageContaining("exceeds");
  }

  @Test
  void corruptBlocksAreRefused() {
    assertThatThrownBy(() -> Lz4Block.decompress(bytes(0x35, 'a', 'b', 'c', 9, 0), 12))
        .isInstanceOf(CodecException.class).hasMessageContaining("before the start");
    assertThatThrownBy(() -> Lz4Block.decompress(bytes(0x50, 'h', 'e'), 5))
        .isInstanceOf(CodecException.class).hasMessageContaining("past the input");
    assertThatThrownBy(() -> Lz4Block.decompress(bytes(0x50, 'h', 'e', 'l', 'l', 'o'), 3))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> Lz4Block.decompress(bytes(0x30, 'a', 'b', 'c', 1), 8))
        .isInstanceOf(CodecException.class).hasMessageContaining("offset runs past");
  }
}
