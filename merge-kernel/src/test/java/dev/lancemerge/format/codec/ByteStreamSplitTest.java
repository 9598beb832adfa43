package dev.lancemerge.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ByteStreamSplitTest {
  @Test
  void knownAnswerAndRoundTrip() {
    byte[] plain = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // three u32
    byte[] split = ByteStreamSplit.encode(32, plain, 0, 3);
    assertThat(split).containsExactly(1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12);
    assertThat(ByteStreamSplit.decode(32, ByteBuffer.wrap(split), 3)).isEqualTo(plain);
  }

  @Test
  void corrupt() {
    assertThatThrownBy(() -> ByteStreamSplit.decode(32, ByteBuffer.allocate(11), 3))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> ByteStreamSplit.decode(12, ByteBuffer.allocate(11), 3))
        .isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> ByteStreamSplit.decode(64, ByteBuffer.allocate(11), Integer.MAX_VALUE))
        .isInstanceOf(CodecException.class);
  }
}
