package dev.lancemerge.kernel.vector;

import dev.lancemerge.format.FileVersion;
import dev.lancemerge.format.LanceFileWriter;
import dev.lancemerge.format.proto.index.IVF;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes the root {@code index.idx} of a merged FLAT-based segment: no rows (the flat sub-index
 * needs none), the IVF model with centroids and the merged lengths, and the keys Lance requires to
 * open it ({@code lance:index}, {@code lance:ivf}, {@code lance:flat} with one entry per partition).
 */
final class RootIndexWriter {
  private RootIndexWriter() {}

  static void write(Path file, VectorMergePlan plan, boolean durable) throws IOException {
    VectorSegment first = plan.first();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("lance:index", IndexMetadataJson.index(first.type(), first.distance()));
    meta.put("lance:ivf", "1");
    meta.put("lance:flat", IndexMetadataJson.flatSubIndex(plan.partitions()));
    Schema schema = new Schema(
        List.of(new Field("__flat_marker", FieldType.notNullable(new ArrowType.Int(64, false)), null)), meta);
    IVF ivf = MergedAuxWriter.ivf(plan).toBuilder().setCentroidsTensor(plan.centroids()).build();
    try (LanceFileWriter w = LanceFileWriter.create(file, schema, FileVersion.V2_1)) {
      w.setSyncOnClose(durable);
      w.addGlobalBuffer(ivf.toByteArray());
    }
  }
}
