package dev.lancemerge.kernel.vector;

/**
 * Moves 8-bit SQ codes from one segment's bounds to wider bounds. A code {@code c} under bounds
 * {@code [s, e]} stands for values in {@code [s + c*step, s + (c+1)*step)}, step = (e-s)/255, as
 * Lance truncates when it quantizes; re-encoding the middle of that cell with the new bounds, again
 * by truncation, keeps the error within one new step.
 */
final class SqCodes {
  private SqCodes() {}

  static byte[] requantize(byte[] codes, Quantizer.Sq from, Quantizer.Sq to) {
    if (from.start() == to.start() && from.end() == to.end()) {
      return codes;
    }
    double fromStep = (from.end() - from.start()) / 255.0;
    double toRange = to.end() - to.start();
    byte[] table = new byte[256];
    for (int c = 0; c < 256; c++) {
      double v = from.end() == from.start() ? from.start() : from.start() + (c + 0.5) * fromStep;
      table[c] = toRange == 0 ? 0 : saturate((v - to.start()) * 255.0 / toRange);
    }
    byte[] out = new byte[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = table[codes[i] & 0xFF];
    }
    return out;
  }

  /** Rust's {@code as u8}: truncation toward zero, saturating, NaN to 0. */
  private static byte saturate(double v) {
    if (!(v > 0)) {
      return 0;
    }
    return v >= 255 ? (byte) 255 : (byte) (int) v;
  }
}
