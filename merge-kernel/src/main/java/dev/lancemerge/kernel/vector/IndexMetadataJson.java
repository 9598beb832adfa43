package dev.lancemerge.kernel.vector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON strings Lance keeps in index file schema metadata, written the way serde reads them. */
final class IndexMetadataJson {
  private IndexMetadataJson() {}

  /** The quantizer metadata JSON ({@code FlatMetadata}, {@code ProductQuantizationMetadata}, {@code ScalarQuantizationMetadata}). */
  static String quantizer(Quantizer q, int codebookPosition) {
    Object json;
    if (q instanceof Quantizer.Pq pq) {
      // codebook_tensor must be a JSON number array (serde Vec<u8>), never Jackson's base64 for byte[].
      json = new Quantizer.PqJson(codebookPosition, pq.nbits(), pq.numSubVectors(), pq.dimension(), new int[0], pq.transposed());
    } else if (q instanceof Quantizer.Sq sq) {
      json = new Quantizer.SqJson(sq.dimension(), sq.numBits(), new Quantizer.Bounds(sq.start(), sq.end()));
    } else {
      json = new Quantizer.FlatJson(q.dimension());
    }
    return write(json);
  }

  /** {@code storage_metadata}: a JSON array holding the quantizer JSON as one string. */
  static String storageMetadata(String quantizerJson) {
    ArrayNode a = VectorSegment.JSON.createArrayNode();
    a.add(quantizerJson);
    return write(a);
  }

  /** {@code lance:index}: {"type":...,"distance_type":...}. */
  static String index(IndexType type, DistanceType distance) {
    ObjectNode o = VectorSegment.JSON.createObjectNode();
    o.put("type", type.name());
    o.put("distance_type", distance.text());
    return write(o);
  }

  /** {@code lance:flat}: one entry per partition; FlatIndex ignores the content. */
  static String flatSubIndex(int partitions) {
    ArrayNode a = VectorSegment.JSON.createArrayNode();
    for (int p = 0; p < partitions; p++) {
      a.add("{}");
    }
    return write(a);
  }

  private static String write(Object o) {
    try {
      return VectorSegment.JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
