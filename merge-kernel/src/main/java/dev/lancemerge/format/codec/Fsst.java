package dev.lancemerge.format.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * FSST decompression as Lance does it ({@code rust/compression/fsst}, {@code Fsst{values, symbol_table}}
 * in {@code encodings_v2_1.proto}).
 *
 * <p><b>Symbol table bytes</b> (Lance always stores a fixed {@value #SYMBOL_TABLE_SIZE}-byte buffer,
 * zero after the used part):
 * <ul>
 *   <li>bytes 0..8: u64 LE header = {@code "FSST"(0x46535354) << 32 | encoderSwitch << 24 |
 *       (suffixLim & 255) << 16 | (terminator & 255) << 8 | nSymbols};
 *   <li>then {@code nSymbols} u64 LE symbols (symbol byte {@code j} is bits {@code 8j..8j+7});
 *   <li>then {@code nSymbols} u8 symbol lengths (1..8), <i>directly after the used symbols</i>, not at a
 *       fixed offset.
 * </ul>
 * {@code encoderSwitch = 0} means the data was too small (< 32 KiB) and is stored uncompressed: the
 * decoder copies it. Only {@code nSymbols} and the switch matter to a decoder.
 *
 * <p><b>Compressed strings</b>: each value is compressed independently; byte {@code c < nSymbols} emits
 * symbol {@code c}; byte {@code 255} (escape) emits the next byte literally (which may itself be 255).
 * The encoder builds at most 255 symbols, so code 255 is never a symbol. A value cannot end on a lone
 * escape.
 */
public final class Fsst {
  /** Size of the symbol table buffer Lance writes: 8 + 256*8 + 256. */
  public static final int SYMBOL_TABLE_SIZE = 8 + 256 * 8 + 256;
  /** The magic in the high 32 bits of the header word. */
  public static final long MAGIC = 0x46535354L;
  /** The escape code. */
  public static final int ESCAPE = 255;

  private Fsst() {}

  /** A parsed symbol table. */
  public static final class SymbolTable {
    private final boolean enabled;
    private final int numSymbols;
    private final long[] symbols;
    private final byte[] lengths;
    private final int suffixLim;
    private final int terminator;

    private SymbolTable(boolean enabled, int numSymbols, long[] symbols, byte[] lengths, int suffixLim,
        int terminator) {
      this.enabled = enabled;
      this.numSymbols = numSymbols;
      this.symbols = symbols;
      this.lengths = lengths;
      this.suffixLim = suffixLim;
      this.terminator = terminator;
    }

    /**
     * Parses the serialized table. Lance requires exactly {@value #SYMBOL_TABLE_SIZE} bytes; this
     * accepts any length that holds the header and the used symbols.
     *
     * @throws CodecException on a bad magic, a truncated table or a symbol length outside 1..8
     */
    public static SymbolTable parse(byte[] table) {
      return parse(ByteBuffer.wrap(table));
    }

    /** Parses from {@code buf}'s position to its limit (position unchanged). */
    public static SymbolTable parse(ByteBuffer buf) {
      ByteBuffer le = Words.le(buf);
      int p = buf.position();
      int len = buf.remaining();
      if (len < 8) {
        throw new CodecException("fsst symbol table: " + len + " bytes, need at least 8");
      }
      long header = le.getLong(p);
      if ((header >>> 32) != MAGIC) {
        throw new CodecException("fsst symbol table: bad magic 0x" + Long.toHexString(header >>> 32));
      }
      boolean enabled = (header & (1L << 24)) != 0;
      int n = (int) (header & 0xFF);
      int need = 8 + 9 * n;
      if (len < need) {
        throw new CodecException("fsst symbol table: " + n + " symbols need " + need + " bytes, table has " + len);
      }
      long[] symbols = new long[n];
      byte[] lengths = new byte[n];
      for (int i = 0; i < n; i++) {
        symbols[i] = le.getLong(p + 8 + 8 * i);
      }
      for (int i = 0; i < n; i++) {
        int l = le.get(p + 8 + 8 * n + i) & 0xFF;
        if (l < 1 || l > 8) {
          throw new CodecException("fsst symbol table: symbol " + i + " has length " + l + " (need 1..8)");
        }
        lengths[i] = (byte) l;
      }
      return new SymbolTable(enabled, n, symbols, lengths, (int) (header >>> 16) & 0xFF, (int) (header >>> 8) & 0xFF);
    }

    /**
     * Builds an enabled table from explicit symbols (1..8 bytes each, at most 255 symbols); code
     * {@code i} is {@code symbols[i]}. For tests and for a writer that wants to emit FSST.
     */
    public static SymbolTable of(byte[]... syms) {
      if (syms.length > 255) {
        throw new IllegalArgumentException("fsst: at most 255 symbols, got " + syms.length);
      }
      long[] s = new long[syms.length];
      byte[] l = new byte[syms.length];
      for (int i = 0; i < syms.length; i++) {
        if (syms[i].length < 1 || syms[i].length > 8) {
          throw new IllegalArgumentException("fsst: symbol " + i + " has length " + syms[i].length);
        }
        long v = 0;
        for (int j = 0; j < syms[i].length; j++) {
          v |= (syms[i][j] & 0xFFL) << (8 * j);
        }
        s[i] = v;
        l[i] = (byte) syms[i].length;
      }
      return new SymbolTable(true, syms.length, s, l, 0, 0);
    }

    /** A table with the encoder switch off (data stored uncompressed), as Lance writes for small inputs. */
    public static SymbolTable disabled() {
      return new SymbolTable(false, 0, new long[0], new byte[0], 0, 0);
    }

    /** Serializes exactly as Lance does: {@value #SYMBOL_TABLE_SIZE} bytes. */
    public byte[] serialize() {
      ByteBuffer b = ByteBuffer.allocate(SYMBOL_TABLE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      long header = (MAGIC << 32) | ((enabled ? 1L : 0L) << 24) | ((long) (suffixLim & 255) << 16)
          | ((long) (terminator & 255) << 8) | (numSymbols & 255);
      b.putLong(header);
      for (int i = 0; i < numSymbols; i++) {
        b.putLong(symbols[i]);
      }
      b.put(lengths, 0, numSymbols);
      return b.array();
    }

    public boolean enabled() {
      return enabled;
    }

    public int numSymbols() {
      return numSymbols;
    }

    /** Bytes of symbol {@code code}. */
    public byte[] symbol(int code) {
      byte[] r = new byte[lengths[code]];
      for (int j = 0; j < r.length; j++) {
        r[j] = (byte) (symbols[code] >>> (8 * j));
      }
      return r;
    }
  }

  /** Parses {@code symbolTable} and decompresses; see {@link #decompress(SymbolTable, VariableData, long)}. */
  public static VariableData decompress(byte[] symbolTable, VariableData compressed, long maxOutputBytes) {
    return decompress(SymbolTable.parse(symbolTable), compressed, maxOutputBytes);
  }

  /**
   * Decompresses every value of {@code compressed} (e.g. the output of
   * {@link VariableBlock#decodeMiniBlock}). The exact output size is computed and validated in a first
   * pass, so at most {@code min(maxOutputBytes, 8 * compressed bytes)} bytes are allocated.
   *
   * @param maxOutputBytes caller's bound on the decompressed size
   * @throws CodecException on a code that is not a symbol, a value ending on an escape, or output above
   *     {@code maxOutputBytes}
   */
  public static VariableData decompress(SymbolTable st, VariableData compressed, long maxOutputBytes) {
    byte[] in = compressed.bytes();
    long[] inOff = compressed.offsets();
    int n = compressed.count();
    long limit = Math.min(maxOutputBytes, Integer.MAX_VALUE - 8);
    if (!st.enabled) {
      if (compressed.dataLength() > limit) {
        throw new CodecException("fsst: output of " + compressed.dataLength() + " bytes exceeds the limit "
            + maxOutputBytes);
      }
      return VariableBlockCopy.rebased(compressed);
    }
    byte[] lens = st.lengths;
    int ns = st.numSymbols;
    long total = 0;
    for (int i = 0; i < n; i++) {
      int end = (int) inOff[i + 1];
      for (int p = (int) inOff[i]; p < end; ) {
        int c = in[p] & 0xFF;
        if (c == ESCAPE) {
          if (p + 1 >= end) {
            throw new CodecException("fsst: value " + i + " ends with a lone escape byte");
          }
          total++;
          p += 2;
        } else if (c < ns) {
          total += lens[c];
          p++;
        } else {
          throw new CodecException("fsst: value " + i + " uses code " + c + " but the table has " + ns + " symbols");
        }
      }
      if (total > limit) {
        throw new CodecException("fsst: output exceeds the limit of " + maxOutputBytes + " bytes");
      }
    }
    byte[] out = new byte[(int) total];
    long[] offs = new long[n + 1];
    long[] syms = st.symbols;
    int o = 0;
    for (int i = 0; i < n; i++) {
      int end = (int) inOff[i + 1];
      for (int p = (int) inOff[i]; p < end; ) {
        int c = in[p] & 0xFF;
        if (c == ESCAPE) {
          out[o++] = in[p + 1];
          p += 2;
        } else {
          long s = syms[c];
          for (int j = 0, l = lens[c]; j < l; j++) {
            out[o++] = (byte) (s >>> (8 * j));
          }
          p++;
        }
      }
      offs[i + 1] = o;
    }
    return new VariableData(out, offs);
  }

  /**
   * Compresses with a given table, greedily taking the longest matching symbol at each position and
   * escaping bytes no symbol covers. Output decodes with {@link #decompress}; it is not byte-identical
   * to Lance's encoder (which builds its own table and uses hashed lookups). A disabled table copies.
   */
  public static VariableData compress(SymbolTable st, VariableData plain) {
    if (!st.enabled) {
      return VariableBlockCopy.rebased(plain);
    }
    byte[] in = plain.bytes();
    int n = plain.count();
    long worst = 2 * plain.dataLength();
    if (worst > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("fsst: input too large");
    }
    byte[] buf = new byte[(int) worst];
    long[] offs = new long[n + 1];
    int o = 0;
    for (int i = 0; i < n; i++) {
      int end = plain.end(i);
      for (int p = plain.start(i); p < end; ) {
        int best = -1;
        int bestLen = 0;
        for (int c = 0; c < st.numSymbols; c++) {
          int l = st.lengths[c];
          if (l > bestLen && p + l <= end && matches(st.symbols[c], l, in, p)) {
            best = c;
            bestLen = l;
          }
        }
        if (best < 0) {
          buf[o++] = (byte) ESCAPE;
          buf[o++] = in[p++];
        } else {
          buf[o++] = (byte) best;
          p += bestLen;
        }
      }
      offs[i + 1] = o;
    }
    return new VariableData(java.util.Arrays.copyOf(buf, o), offs);
  }

  private static boolean matches(long sym, int len, byte[] in, int p) {
    for (int j = 0; j < len; j++) {
      if (in[p + j] != (byte) (sym >>> (8 * j))) {
        return false;
      }
    }
    return true;
  }

  /** Copy helper: a rebased copy of a variable array. */
  private static final class VariableBlockCopy {
    static VariableData rebased(VariableData v) {
      long base = v.offsets()[0];
      byte[] b = java.util.Arrays.copyOfRange(v.bytes(), (int) base, (int) (base + v.dataLength()));
      long[] o = new long[v.count() + 1];
      for (int i = 0; i <= v.count(); i++) {
        o[i] = v.offsets()[i] - base;
      }
      return new VariableData(b, o);
    }
  }
}
