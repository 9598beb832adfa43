package dev.lancemerge.kernel.vector;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lancemerge.format.proto.index.Tensor;

/** How a segment stores its vectors: raw (FLAT), product-quantized (PQ) or scalar-quantized (SQ). */
public sealed interface Quantizer {
  /** Vector dimension. */
  int dimension();

  /** Bytes of one stored row of the vector column. */
  int codeBytes();

  /** The aux column holding the vectors or codes. */
  String column();

  /** Items per stored row of the column (vector dimension for FLAT and SQ, code bytes for PQ). */
  default int dimensionItems() {
    return this instanceof Pq ? codeBytes() : dimension();
  }

  /** FLAT: raw vectors of {@code elementBytes} each ({@code dim} JSON key). */
  record Flat(int dimension, int elementBytes) implements Quantizer {
    @Override
    public int codeBytes() {
      return dimension * elementBytes;
    }

    @Override
    public String column() {
      return "flat";
    }
  }

  /** PQ: {@code numSubVectors} codes of {@code nbits}, codebook as a tensor. */
  record Pq(int dimension, int numSubVectors, int nbits, boolean transposed, Tensor codebook) implements Quantizer {
    @Override
    public int codeBytes() {
      return numSubVectors * nbits / 8;
    }

    @Override
    public String column() {
      return "__pq_code";
    }
  }

  /** SQ: one code of {@code numBits} per dimension, values scaled from {@code [start, end]}. */
  record Sq(int dimension, int numBits, double start, double end) implements Quantizer {
    @Override
    public int codeBytes() {
      return dimension;
    }

    @Override
    public String column() {
      return "__sq_code";
    }
  }

  /** JSON of {@code FlatMetadata}. */
  record FlatJson(@JsonProperty("dim") int dim) {}

  /** JSON of {@code ProductQuantizationMetadata}, fields in Lance's order; codebook_tensor is a number array. */
  @JsonPropertyOrder({"codebook_position", "nbits", "num_sub_vectors", "dimension", "codebook_tensor", "transposed"})
  record PqJson(
      @JsonProperty("codebook_position") int codebookPosition,
      @JsonProperty("nbits") int nbits,
      @JsonProperty("num_sub_vectors") int numSubVectors,
      @JsonProperty("dimension") int dimension,
      @JsonProperty("codebook_tensor") int[] codebookTensor,
      @JsonProperty("transposed") boolean transposed) {}

  /** JSON of {@code ScalarQuantizationMetadata}. */
  @JsonPropertyOrder({"dim", "num_bits", "bounds"})
  record SqJson(@JsonProperty("dim") int dim, @JsonProperty("num_bits") int numBits, @JsonProperty("bounds") Bounds bounds) {}

  /** A serde {@code Range<f64>}. */
  @JsonPropertyOrder({"start", "end"})
  record Bounds(@JsonProperty("start") double start, @JsonProperty("end") double end) {}
}
