package dev.lancemerge.format.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FsstTest {

  /** Builds the symbol-table bytes by hand, exactly as Lance's FsstEncoder::export lays them out. */
  static byte[] handTable(boolean enabled, String... symbols) {
    ByteBuffer b = ByteBuffer.allocate(Fsst.SYMBOL_TABLE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    long header = (0x46535354L << 32) | ((enabled ? 1L : 0L) << 24) | (7L << 16) | (0x20L << 8) | symbols.length;
    b.putLong(header);
    for (String s : symbols) {
      byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
      long v = 0;
      for (int j = 0; j < bytes.length; j++) {
        v |= (bytes[j] & 0xFFL) << (8 * j);
      }
      b.putLong(v);
    }
    for (String s : symbols) {
      b.put((byte) s.length()); // lengths directly after the used symbols
    }
    return b.array();
  }

  static VariableData codes(int[]... values) {
    List<byte[]> l = new ArrayList<>();
    for (int[] v : values) {
      byte[] b = new byte[v.length];
      for (int i = 0; i < v.length; i++) {
        b[i] = (byte) v[i];
      }
      l.add(b);
    }
    return VariableData.of(l);
  }

  static final byte[] TABLE = handTable(true, "hello", " ", "world", "ab", "12345678");

  @Test
  void parsesHandBuiltTable() {
    Fsst.SymbolTable st = Fsst.SymbolTable.parse(TABLE);
    assertThat(st.enabled()).isTrue();
    assertThat(st.numSymbols()).isEqualTo(5);
    assertThat(new String(st.symbol(0), StandardCharsets.US_ASCII)).isEqualTo("hello");
    assertThat(new String(st.symbol(4), StandardCharsets.US_ASCII)).isEqualTo("12345678");
    assertThat(st.serialize()).hasSize(2312);
    // re-serialising gives the same table except suffixLim/terminator, which we keep too
    assertThat(st.serialize()).isEqualTo(TABLE);
  }

  @Test
  void decodesHandBuiltStringsIncludingEscapes() {
    VariableData in = codes(
        new int[] {0, 1, 2}, // "hello world"
        new int[] {255, 'X', 3}, // escaped 'X' then "ab"
        new int[] {255, 255}, // escape followed by literal 0xFF -> one byte 0xFF
        new int[] {}, // empty value
        new int[] {255, 0xFF, 255, 0x00, 0, 255, 5}, // 0xFF 0x00 "hello" 0x05
        new int[] {4, 4}, // 8-byte symbol twice
        new int[] {3, 3, 3, 255, 255, 3}); // escape in the middle of a 4-byte group
    VariableData out = Fsst.decompress(TABLE, in, 1 << 20);
    assertThat(out.count()).isEqualTo(7);
    assertThat(out.string(0)).isEqualTo("hello world");
    assertThat(out.string(1)).isEqualTo("Xab");
    assertThat(out.value(2)).containsExactly((byte) 0xFF);
    assertThat(out.value(3)).isEmpty();
    byte[] v4 = out.value(4);
    assertThat(v4).hasSize(8);
    assertThat(v4[0]).isEqualTo((byte) 0xFF);
    assertThat(v4[1]).isEqualTo((byte) 0);
    assertThat(new String(v4, 2, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
    assertThat(v4[7]).isEqualTo((byte) 5);
    assertThat(out.string(5)).isEqualTo("1234567812345678");
    assertThat(out.value(6)).containsExactly('a', 'b', 'a', 'b', 'a', 'b', (byte) 0xFF, 'a', 'b');
    assertThat(out.offsets()[0]).isZero();
    assertThat(out.offsets()[7]).isEqualTo(out.bytes().length);
  }

  @Test
  void disabledTableIsPassThrough() {
    byte[] table = handTable(false);
    VariableData in = VariableData.ofStrings("plain", "", "text");
    VariableData out = Fsst.decompress(table, in, 100);
    assertThat(out.string(0)).isEqualTo("plain");
    assertThat(out.string(2)).isEqualTo("text");
  }

  @Test
  void compressDecompressRoundTrip() {
    Random rnd = new Random(17);
    Fsst.SymbolTable st = Fsst.SymbolTable.of("the ".getBytes(StandardCharsets.US_ASCII),
        "ing".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {'e'});
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] v = new byte[rnd.nextInt(40)];
      for (int j = 0; j < v.length; j++) {
        int k = rnd.nextInt(10);
        v[j] = k < 3 ? (byte) 0xFF : k < 5 ? (byte) "the ing".charAt(rnd.nextInt(7)) : (byte) rnd.nextInt(256);
      }
      values.add(v);
    }
    VariableData plain = VariableData.of(values);
    VariableData compressed = Fsst.compress(st, plain);
    // through the serialized table and the mini-block variable layout, as a reader would see it
    byte[] chunk = VariableBlock.encodeMiniBlock(32, compressed);
    VariableData fromChunk = VariableBlock.decodeMiniBlock(32, ByteBuffer.wrap(chunk), values.size());
    VariableData out = Fsst.decompress(st.serialize(), fromChunk, Long.MAX_VALUE);
    assertThat(out.bytes()).isEqualTo(plain.bytes());
    assertThat(out.offsets()).isEqualTo(plain.offsets());
  }

  @Test
  void corruptInputs() {
    assertThatThrownBy(() -> Fsst.decompress(TABLE, codes(new int[] {0, 5}), 1000))
        .isInstanceOf(CodecException.class).hasMessageContaining("code 5 but the table has 5 symbols");
    assertThatThrownBy(() -> Fsst.decompress(TABLE, codes(new int[] {0, 255}), 1000))
        .isInstanceOf(CodecException.class).hasMessageContaining("lone escape");
    // escape at the end of one value may not borrow the next value's first byte
    assertThatThrownBy(() -> Fsst.decompress(TABLE, codes(new int[] {255}, new int[] {0}), 1000))
        .isInstanceOf(CodecException.class).hasMessageContaining("value 0 ends with a lone escape");
    assertThatThrownBy(() -> Fsst.decompress(TABLE, codes(new int[] {4, 4, 4}), 23))
        .isInstanceOf(CodecException.class).hasMessageContaining("limit");
    byte[] badMagic = TABLE.clone();
    badMagic[7] = 0;
    assertThatThrownBy(() -> Fsst.SymbolTable.parse(badMagic))
        .isInstanceOf(CodecException.class).hasMessageContaining("magic");
    assertThatThrownBy(() -> Fsst.SymbolTable.parse(java.util.Arrays.copyOf(TABLE, 8 + 5 * 9 - 1)))
        .isInstanceOf(CodecException.class).hasMessageContaining("need 53 bytes");
    assertThatThrownBy(() -> Fsst.SymbolTable.parse(new byte[3]))
        .isInstanceOf(CodecException.class);
    byte[] zeroLen = TABLE.clone();
    zeroLen[8 + 5 * 8 + 2] = 0;
    assertThatThrownBy(() -> Fsst.SymbolTable.parse(zeroLen))
        .isInstanceOf(CodecException.class).hasMessageContaining("symbol 2 has length 0");
    byte[] nineLen = TABLE.clone();
    nineLen[8 + 5 * 8] = 9;
    assertThatThrownBy(() -> Fsst.SymbolTable.parse(nineLen))
        .isInstanceOf(CodecException.class).hasMessageContaining("length 9");
  }
}
