package dev.lancemerge.kernel.vector.oracle;

import static dev.lancemerge.kernel.vector.oracle.MergeOracle.ivfOf;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.json;
import static dev.lancemerge.kernel.vector.oracle.MergeOracle.metadataOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lancemerge.format.proto.index.IVF;
import dev.lancemerge.kernel.vector.MergeResult;
import dev.lancemerge.kernel.vector.Quantizer;
import dev.lancemerge.kernel.vector.VectorSegment;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Base;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Fixture;
import dev.lancemerge.kernel.vector.oracle.MergeOracle.Kind;
import dev.lancemerge.oracle.RealLanceFiles;
import dev.lancemerge.oracle.RealLanceFiles.FileContents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.lance.index.DistanceType;

/**
 * Structural checks of a segment our merger wrote: lance-core's own file reader opens both files, the rows are
 * exactly the dataset's rows (each once), the IVF buffers (named by {@code lance:ivf}) describe them, and every
 * key, IVF field and quantizer field Lance's merge writes is there with the same meaning.
 */
final class MergedFileChecks {
  private MergedFileChecks() {}

  static String distanceText(DistanceType dt) {
    return dt == DistanceType.L2 ? "l2" : dt == DistanceType.Cosine ? "cosine" : "dot";
  }

  /** What {@link MergeResult} says agrees with the inputs and with the files. */
  static void checkResult(MergeResult r, Kind kind, Base b, Path out) throws IOException {
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(r.outputDir()).as("outputDir").isEqualTo(out);
    soft.assertThat(r.indexType().name()).as("indexType").isEqualTo(kind.type().name());
    soft.assertThat(r.distanceType().text()).as("distanceType").isEqualTo(distanceText(kind.distance()));
    soft.assertThat(r.partitions()).as("partitions").isEqualTo(b.layout().nlist());
    soft.assertThat(r.rows()).as("rows").isEqualTo(b.layout().rows());
    soft.assertThat(r.fragments()).as("fragments").containsExactlyElementsOf(new TreeSet<>(b.fids()));
    long size = 0;
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          size += Files.size(p);
        }
      }
    }
    soft.assertThat(r.bytesWritten()).as("bytesWritten = size of the files in the output directory").isEqualTo(size);
    soft.assertThat(r.seconds()).as("seconds").isGreaterThanOrEqualTo(0);
    soft.assertAll();
  }

  /**
   * {@code ours}: our merged segment; {@code lance}: Lance's merge of the same segments (for a single input,
   * Lance returns that input itself, {@code lanceReallyMerged} false); {@code template}: one input segment.
   */
  static void check(Fixture fx, Kind kind, Base b, Path ours, Path lance, boolean lanceReallyMerged, Path template)
      throws IOException {
    int nlist = b.layout().nlist();
    int dim = b.layout().dim();
    long rows = b.layout().rows();
    String dist = distanceText(kind.distance());
    Path aux = ours.resolve("auxiliary.idx");
    Path idx = ours.resolve("index.idx");
    SoftAssertions soft = new SoftAssertions();
    try (Stream<Path> s = Files.list(ours)) {
      soft.assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).as("files of the output")
          .containsExactly("auxiliary.idx", "index.idx");
    }
    for (Path f : List.of(aux, idx)) {
      RealLanceFiles.Footer footer = RealLanceFiles.readFooter(f);
      soft.assertThat(List.of(footer.major(), footer.minor())).as("footer version of %s", f.getFileName())
          .containsExactly(2, 1);
    }

    // lance-core's own reader opens our files; the aux rows are the dataset's rows, each exactly once.
    String vcol = kind.isPq() ? "__pq_code" : kind.isSq() ? "__sq_code" : "flat";
    try (FileContents c = RealLanceFiles.read(aux, fx.alloc)) {
      soft.assertThat(c.numRows()).as("lance-core: auxiliary.idx rows").isEqualTo(rows);
      soft.assertThat(c.schema().getFields().stream().map(f -> f.getName()).toList())
          .as("lance-core: auxiliary.idx columns").containsExactly("_rowid", vcol);
      List<Long> ids = new ArrayList<>();
      for (List<Object> row : c.rows()) {
        ids.add(((Number) row.get(0)).longValue());
      }
      soft.assertThat(ids).as("lance-core: _rowid count").hasSize((int) rows);
      soft.assertThat(new HashSet<>(ids)).as("lance-core: _rowid set = every row of the dataset once")
          .isEqualTo(b.allRowAddresses());
      soft.assertThat(c.metadata()).as("lance-core: auxiliary.idx metadata")
          .containsKeys("distance_type", "lance:ivf", "storage_metadata", "lance:index");
    }
    try (FileContents c = RealLanceFiles.read(idx, fx.alloc)) {
      soft.assertThat(c.numRows()).as("lance-core: index.idx rows (FLAT sub-index)").isZero();
      soft.assertThat(c.metadata()).as("lance-core: index.idx metadata").containsKeys("lance:index", "lance:ivf",
          "lance:flat");
      JsonNode flat = json(c.metadata().getOrDefault("lance:flat", "[]"));
      soft.assertThat(flat.isArray() && flat.size() == nlist).as("lance:flat is a JSON array of %d entries: %s",
          nlist, flat).isTrue();
    }

    // Every key Lance's merge writes, we write; the type and distance agree.
    Map<String, String> auxMd = metadataOf(aux);
    Map<String, String> idxMd = metadataOf(idx);
    Map<String, String> lanceAuxMd = metadataOf(lance.resolve("auxiliary.idx"));
    Map<String, String> lanceIdxMd = metadataOf(lance.resolve("index.idx"));
    soft.assertThat(auxMd.keySet()).as("auxiliary.idx keys vs Lance's merge").containsAll(lanceAuxMd.keySet());
    soft.assertThat(idxMd.keySet()).as("index.idx keys vs Lance's merge").containsAll(lanceIdxMd.keySet());
    soft.assertThat(auxMd.get("distance_type")).as("aux distance_type").isEqualTo(dist);
    for (Map.Entry<String, Map<String, String>> e : Map.of("auxiliary.idx", auxMd, "index.idx", idxMd).entrySet()) {
      String li = e.getValue().get("lance:index");
      if (li != null) {
        JsonNode n = json(li);
        soft.assertThat(n.path("type").asText()).as("%s lance:index type", e.getKey()).isEqualTo(kind.type().name());
        soft.assertThat(n.path("distance_type").asText()).as("%s lance:index distance_type", e.getKey())
            .isEqualTo(dist);
      }
    }

    // IVF: aux lengths add up to the rows and equal Lance's; index.idx carries the same centroids.
    IVF auxIvf = ivfOf(aux);
    IVF lanceAuxIvf = ivfOf(lance.resolve("auxiliary.idx"));
    soft.assertThat(auxIvf.getLengthsCount()).as("aux IVF partitions").isEqualTo(nlist);
    soft.assertThat(auxIvf.getLengthsList().stream().mapToLong(Integer::toUnsignedLong).sum())
        .as("aux IVF lengths add up to the rows").isEqualTo(rows);
    soft.assertThat(auxIvf.getLengthsList()).as("aux IVF lengths vs Lance's merge").isEqualTo(lanceAuxIvf.getLengthsList());
    if (auxIvf.getOffsetsCount() > 0) {
      soft.assertThat(auxIvf.getOffsetsList()).as("aux IVF offsets are the cumulative lengths")
          .isEqualTo(cumulative(auxIvf.getLengthsList()));
    }
    IVF idxIvf = ivfOf(idx);
    IVF lanceIdxIvf = ivfOf(lance.resolve("index.idx"));
    soft.assertThat(idxIvf.hasCentroidsTensor()).as("index.idx IVF has centroids_tensor").isTrue();
    soft.assertThat(idxIvf.getCentroidsTensor().getShapeList()).as("centroids shape")
        .containsExactly(nlist, dim);
    soft.assertThat(idxIvf.getCentroidsTensor().getData()).as("centroids vs Lance's merge")
        .isEqualTo(lanceIdxIvf.getCentroidsTensor().getData());
    soft.assertThat(idxIvf.getCentroidsTensor().getDataType()).as("centroids data type")
        .isEqualTo(lanceIdxIvf.getCentroidsTensor().getDataType());
    if (lanceReallyMerged) {
      soft.assertThat(idxIvf.getLengthsList()).as("index.idx IVF lengths vs Lance's merged root")
          .isEqualTo(lanceIdxIvf.getLengthsList());
      soft.assertThat(idxIvf.getOffsetsList()).as("index.idx IVF offsets vs Lance's merged root")
          .isEqualTo(lanceIdxIvf.getOffsetsList());
    }

    // Quantizer metadata: storage_metadata[0] and lance:pq / lance:sq say the same, with Lance's fields.
    JsonNode storage = json(auxMd.getOrDefault("storage_metadata", "[]"));
    soft.assertThat(storage.isArray() && storage.size() == 1 && storage.get(0).isTextual())
        .as("storage_metadata is a JSON array of one string: %s", storage).isTrue();
    JsonNode inner = storage.size() > 0 ? json(storage.get(0).asText()) : json("{}");
    if (kind.isPq()) {
      JsonNode pq = json(auxMd.getOrDefault("lance:pq", "{}"));
      soft.assertThat(pq).as("lance:pq = storage_metadata[0]").isEqualTo(inner);
      soft.assertThat(pq.path("nbits").asInt()).as("nbits").isEqualTo(kind.pqBits());
      soft.assertThat(pq.path("num_sub_vectors").asInt()).as("num_sub_vectors").isEqualTo(kind.pqSubVectors());
      soft.assertThat(pq.path("dimension").asInt()).as("dimension").isEqualTo(dim);
      soft.assertThat(pq.path("transposed").asBoolean()).as("transposed (codes transposed per partition)").isTrue();
      soft.assertThat(pq.path("codebook_tensor").isArray()).as("codebook_tensor is a JSON number array: %s",
          pq.path("codebook_tensor")).isTrue();
      try (VectorSegment o = VectorSegment.open(ours); VectorSegment t = VectorSegment.open(template)) {
        Quantizer.Pq oq = (Quantizer.Pq) o.quantizer();
        Quantizer.Pq tq = (Quantizer.Pq) t.quantizer();
        soft.assertThat(oq.codebook().getShapeList()).as("codebook shape").isEqualTo(tq.codebook().getShapeList());
        soft.assertThat(oq.codebook().getData()).as("codebook data").isEqualTo(tq.codebook().getData());
      }
    } else if (kind.isSq()) {
      JsonNode sq = json(auxMd.getOrDefault("lance:sq", "{}"));
      soft.assertThat(sq).as("lance:sq = storage_metadata[0]").isEqualTo(inner);
      soft.assertThat(sq.path("dim").asInt()).as("sq dim").isEqualTo(dim);
      soft.assertThat(sq.path("num_bits").asInt()).as("sq num_bits").isEqualTo(8);
      soft.assertThat(sq.path("bounds").path("start").asDouble()).as("sq bounds start < end")
          .isLessThan(sq.path("bounds").path("end").asDouble());
    } else {
      soft.assertThat(inner.path("dim").asInt()).as("flat storage_metadata dim").isEqualTo(dim);
    }
    soft.assertAll();
  }

  private static List<Long> cumulative(List<Integer> lengths) {
    List<Long> out = new ArrayList<>();
    long s = 0;
    for (int l : lengths) {
      out.add(s);
      s += Integer.toUnsignedLong(l);
    }
    return out;
  }
}
