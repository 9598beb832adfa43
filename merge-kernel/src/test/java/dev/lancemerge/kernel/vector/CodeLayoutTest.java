package dev.lancemerge.kernel.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** PQ transposition round trips; SQ re-quantization keeps values within one step of the new grid. */
class CodeLayoutTest {
  @Test
  void transposeIsColumnMajorAndInvertible() {
    byte[] rows = {1, 2, 3, 4, 5, 6}; // 3 rows of 2 bytes
    assertThat(PqCodes.transpose(rows, 3, 2)).containsExactly(1, 3, 5, 2, 4, 6);
    Random r = new Random(1);
    byte[] big = new byte[1000 * 24];
    r.nextBytes(big);
    assertThat(PqCodes.untranspose(PqCodes.transpose(big, 1000, 24), 1000, 24)).isEqualTo(big);
    // Blocked transposition with tails in both directions equals the definition, byte by byte.
    for (int[] shape : new int[][] {{1003, 20}, {7, 16}, {64, 3}, {9, 9}, {1, 1}}) {
      int n = shape[0];
      int w = shape[1];
      byte[] codes = new byte[n * w];
      r.nextBytes(codes);
      byte[] t = PqCodes.transpose(codes, n, w);
      for (int i = 0; i < n; i++) {
        for (int b = 0; b < w; b++) {
          assertThat(t[b * n + i]).as("n %d width %d row %d byte %d", n, w, i, b).isEqualTo(codes[i * w + b]);
        }
      }
    }
  }

  @Test
  void sqRequantizationStaysWithinOneNewStep() {
    Quantizer.Sq from = new Quantizer.Sq(4, 8, -0.5, 0.75);
    Quantizer.Sq to = new Quantizer.Sq(4, 8, -1.25, 1.5);
    double fromStep = 1.25 / 255;
    double toStep = 2.75 / 255;
    byte[] codes = new byte[256];
    for (int c = 0; c < 256; c++) {
      codes[c] = (byte) c;
    }
    byte[] out = SqCodes.requantize(codes, from, to);
    for (int c = 0; c < 256; c++) {
      double value = -0.5 + (c + 0.5) * fromStep;
      double decoded = -1.25 + ((out[c] & 0xFF) + 0.5) * toStep;
      assertThat(Math.abs(decoded - value)).as("code %d", c).isLessThanOrEqualTo(toStep / 2 + 1e-12);
    }
    assertThat(SqCodes.requantize(codes, from, from)).isSameAs(codes);
  }

  @Test
  void sqGridIsTheLargestSegmentsUnlessRangesDifferTooMuch() {
    Quantizer.Sq small = new Quantizer.Sq(8, 8, -1.05, 1.0);
    Quantizer.Sq large = new Quantizer.Sq(8, 8, -1.0, 0.98);
    assertThat(VectorMergePlan.sqGrid(java.util.List.of(small, large), new long[] {100, 5000})).isEqualTo(large);
    // A segment whose values lie far outside the largest one's range: cover both rather than saturate.
    Quantizer.Sq shifted = new Quantizer.Sq(8, 8, 2.0, 4.0);
    Quantizer.Sq covering = VectorMergePlan.sqGrid(java.util.List.of(large, shifted), new long[] {5000, 100});
    assertThat(covering.start()).isEqualTo(-1.0);
    assertThat(covering.end()).isEqualTo(4.0);
  }
}
