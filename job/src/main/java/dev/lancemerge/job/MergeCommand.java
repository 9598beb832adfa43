package dev.lancemerge.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lancemerge.kernel.vector.MergeOptions;
import dev.lancemerge.kernel.vector.MergeResult;
import dev.lancemerge.kernel.vector.SegmentOrder;
import dev.lancemerge.kernel.vector.VectorSegmentMerger;
import dev.lancemerge.kernel.zonemap.ZoneMapMergeResult;
import dev.lancemerge.kernel.zonemap.ZoneMapMerger;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code merge}: merges index segments into one new segment directory with the merge kernel, in one
 * process: the same kernel code the streaming job runs. The kind of the inputs ({@link MergeKind}) picks
 * the kernel: vector segments go to {@link VectorSegmentMerger}, ZoneMap segments and part files to
 * {@link ZoneMapMerger}.
 */
final class MergeCommand implements Command {

  /** What every kernel gets besides its inputs and output. */
  record Settings(SegmentOrder order, long memoryBytes) {}

  /** One merge kernel driven from the command line: merges {@code inputs} into {@code output}, returns the JSON to print. */
  @FunctionalInterface
  interface Kernel {
    ObjectNode merge(List<Path> inputs, Path output, Settings settings) throws Exception;
  }

  private final Map<MergeKind, Kernel> kernels = new EnumMap<>(MergeKind.class);

  MergeCommand() {
    kernels.put(MergeKind.VECTOR, MergeCommand::mergeVectors);
    kernels.put(MergeKind.ZONEMAP, MergeCommand::mergeZoneMaps);
  }

  @Override
  public String name() {
    return "merge";
  }

  @Override
  public String summary() {
    return "merge vector index segments (IVF_FLAT, IVF_PQ, IVF_SQ) into one new segment";
  }

  @Override
  public String help() {
    return "Usage: " + Main.JAR + " merge --output OUT_DIR [--order given|uuid] [--memory BYTES] SEGMENT_DIR...\n\n"
        + "Merges vector index segments into one new segment directory OUT_DIR that real Lance opens\n"
        + "and searches. A segment is a directory holding index.idx and auxiliary.idx, as Lance 4.x to 7.x\n"
        + "writes them under <dataset>/_indices/<uuid>/ (per-fragment segments, or segments that are\n"
        + "themselves merged, by Lance or by this command); an older index directory holding partial_*\n"
        + "shards is accepted too. Types: IVF_FLAT, IVF_PQ (8 and 4 bits) and IVF_SQ; HNSW and RQ segments\n"
        + "are refused. Each IVF partition of the output holds the segments' rows of that partition,\n"
        + "segment by segment in the merge order, each segment's rows in their original order. The merge\n"
        + "streams partition windows: heap use is bounded by --memory, not by the size of the index.\n"
        + "Before any byte is written, the segments are checked against each other (distance type,\n"
        + "partitions, centroids, dimension, quantizer, codebook, duplicates, overlapping fragments);\n"
        + "a failed merge leaves no OUT_DIR behind. OUT_DIR is not committed to the dataset: copy it to\n"
        + "<dataset>/_indices/<fresh uuid>/ (or write it there) and commit it with lance-core's\n"
        + "commitExistingIndexSegments, covering the fragments listed in the output.\n"
        + "ZoneMap inputs (segment directories holding zonemap.lance, or part_<id>_zonemap.lance files\n"
        + "from a distributed build, in any mix) are merged into one zonemap.lance with zones ordered by\n"
        + "(fragment_id, zone_start) and rows_per_zone kept; inputs covering the same fragment, with\n"
        + "different rows_per_zone or value types, or with overlapping zones are refused. Its JSON line:\n"
        + "  {\"indexType\":\"ZONEMAP\",\"valueType\":\"Int(32, true)\",\"rowsPerZone\":\"8192\",\"inputs\":4,\n"
        + "   \"zones\":12,\"bytesWritten\":4096,\"seconds\":0.02,\"output\":\"OUT_DIR\",\"fragments\":[...]}\n\n"
        + "On success prints one JSON object (one line):\n"
        + "  {\"indexType\":\"IVF_PQ\",\"distanceType\":\"l2\",\"partitions\":256,\"rows\":1000000,\n"
        + "   \"bytesWritten\":25330688,\"seconds\":0.41,\"output\":\"OUT_DIR\",\"fragments\":[0,1,...]}\n"
        + "(bytesWritten: bytes of the files written; seconds: the merge's own time; fragments: the\n"
        + "dataset fragments the merged rows come from).\n\n"
        + "Arguments:\n"
        + "  SEGMENT_DIR...      one or more segment directories\n"
        + "Options:\n"
        + "  --output OUT_DIR    the merged segment's directory; created, must not exist, its parent must\n"
        + "  --order given|uuid  merge order: given = as listed, like Lance's mergeExistingIndexSegments;\n"
        + "                      uuid = by directory name, like Lance's segment builder (default: given)\n"
        + "  --memory BYTES      bytes of vector data held in memory at once, e.g. 64m or 1g, at least 1m\n"
        + "                      (default: " + (MergeOptions.DEFAULT_MEMORY_BUDGET >> 20) + "m)\n\n"
        + "Exit codes: 0 merged; 1 bad input (a missing segment directory, OUT_DIR exists, an unreadable\n"
        + "file, segments that cannot be merged together: the message names the segment and the\n"
        + "problem); 2 usage error; 3 internal error.\n\n"
        + "Example:\n"
        + "  " + Main.JAR + " merge --output ds/_indices/$(uuidgen) \\\n"
        + "      ds/_indices/0b5e1a52-... ds/_indices/7c21f0d3-... ds/_indices/e9a4c6b8-...\n";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Args a = Args.parse(name(), args, Set.of("--output", "--order", "--memory"));
    if (a.positional().isEmpty()) {
      throw a.usage("missing argument SEGMENT_DIR (give one or more segment directories)");
    }
    String outOption = a.string("--output", null);
    if (outOption == null || outOption.isEmpty()) {
      throw a.usage("missing option --output OUT_DIR");
    }
    SegmentOrder order;
    try {
      order = SegmentOrder.parse(a.string("--order", "given"));
    } catch (IllegalArgumentException e) {
      throw a.usage("option --order must be given or uuid, not '" + a.string("--order", "") + "'");
    }
    long memory = a.bytes("--memory", MergeOptions.DEFAULT_MEMORY_BUDGET, 1L << 20, Long.MAX_VALUE);

    List<Path> inputs = new ArrayList<>();
    for (String s : a.positional()) {
      inputs.add(Path.of(s));
    }
    Path output = Path.of(outOption);
    MergeKind kind = MergeKind.detect(inputs);
    checkOutput(output);
    ObjectNode json = kernels.get(kind).merge(inputs, output, new Settings(order, memory));
    out.println(Json.line(json));
    return ExitCode.OK;
  }

  /** OUT_DIR must not exist (not even as a dangling link) and its parent must be a directory. */
  static void checkOutput(Path output) throws BadInputException {
    if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      throw new BadInputException(output + ": already exists; the merge writes a new directory, give a path that"
          + " does not exist");
    }
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new BadInputException(output + ": cannot create it: " + parent
          + (Files.exists(parent) ? " is not a directory" : " does not exist"));
    }
  }

  /** Vector segments: {@link VectorSegmentMerger}, inputs in {@code settings.order()}. */
  static ObjectNode mergeVectors(List<Path> inputs, Path output, Settings settings) throws Exception {
    MergeOptions options = new MergeOptions(settings.memoryBytes(), MergeOptions.DEFAULT_PAGE_BYTES);
    MergeResult r = VectorSegmentMerger.merge(settings.order().apply(inputs), output, options);
    return resultJson(r);
  }

  /** The JSON line of a vector merge: the fields of {@link MergeResult}. */
  static ObjectNode resultJson(MergeResult r) {
    ObjectNode json = Json.object();
    json.put("indexType", r.indexType().name())
        .put("distanceType", r.distanceType().text())
        .put("partitions", r.partitions())
        .put("rows", r.rows());
    return written(json, r.bytesWritten(), r.seconds(), r.outputDir(), r.fragments());
  }

  /** The fields every merge reports last: what it wrote, how long it took, where, and which fragments. */
  private static ObjectNode written(ObjectNode json, long bytes, double seconds, Path output, Set<Integer> fragments) {
    json.put("bytesWritten", bytes)
        .put("seconds", Math.round(seconds * 1e4) / 1e4)
        .put("output", output.toString());
    ArrayNode list = json.putArray("fragments");
    fragments.forEach(list::add);
    return json;
  }

  /**
   * ZoneMap segments and part files: {@link ZoneMapMerger}; zones come out ordered by (fragment, zone
   * start) whatever the input order.
   */
  static ObjectNode mergeZoneMaps(List<Path> inputs, Path output, Settings settings) throws Exception {
    ZoneMapMergeResult r = ZoneMapMerger.merge(inputs, output);
    ObjectNode json = Json.object();
    json.put("indexType", "ZONEMAP")
        .put("valueType", r.valueType())
        .put("rowsPerZone", r.rowsPerZone())
        .put("inputs", r.inputs())
        .put("zones", r.zones());
    return written(json, r.bytesWritten(), r.seconds(), r.outputDir(), r.fragments());
  }
}
