package dev.lancemerge.operators.staging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One descriptor per rule, each breaking exactly that rule of an otherwise valid vector descriptor: a scan must
 * quarantine it with a reason file naming the descriptor and the problem, and leave the dataset untouched.
 */
class DescriptorRulesTest {
  static final String NAME = "seg.json";
  static final UUID UUID_ = UUID.fromString("0f8e2c1a-7b3d-4e5f-9a6b-1c2d3e4f5a6b");

  /** Breaks the valid setup; returns the descriptor text to write as {@link #NAME}, or null if it wrote it. */
  interface Breaker {
    String apply(StagingFixture fx, ObjectNode json) throws Exception;
  }

  record Case(String label, Breaker breaker, StagingLimits limits, List<String> expected) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Case rule(String label, Breaker b, String... expected) {
    return new Case(label, b, StagingLimits.defaults(), List.of(expected));
  }

  static Case rule(String label, StagingLimits limits, Breaker b, String... expected) {
    return new Case(label, b, limits, List.of(expected));
  }

  static ObjectNode details(ObjectNode json) {
    return (ObjectNode) json.get("details");
  }

  static ObjectNode file(ObjectNode json, int i) {
    return (ObjectNode) json.get("files").get(i);
  }

  static ObjectNode addFile(ObjectNode json, String path, long size) {
    return ((ArrayNode) json.get("files")).addObject().put("path", path).put("sizeBytes", size);
  }

  static Path seg(StagingFixture fx) {
    return fx.indices.resolve(UUID_.toString());
  }

  static Stream<Case> cases() {
    String seg = "_indices/" + UUID_;
    return Stream.of(
        // JSON itself
        rule("garbage JSON", (fx, j) -> "this is {not json", "is not valid JSON", "line 1"),
        rule("truncated JSON", (fx, j) -> j.toString().substring(0, 40), "is not valid JSON"),
        rule("trailing content", (fx, j) -> j + " {}", "is not valid JSON"),
        rule("duplicate key", (fx, j) -> j.toString().replace("{\"version\":1,", "{\"version\":1,\"version\":1,"),
            "is not valid JSON", "Duplicate field 'version'"),
        rule("too deeply nested", (fx, j) -> {
          details(j).set("indexDetails", StagingFixture.JSON.readTree("[[[[[[[[[[[[1]]]]]]]]]]]]"));
          return j.toString();
        }, "is not valid JSON", "nesting depth"),
        rule("not an object", (fx, j) -> "[1, 2, 3]", "is not a JSON object but array"),
        rule("empty file", (fx, j) -> "", "is empty"),
        rule("descriptor too large (sparse 1 GiB, never read)", (fx, j) -> {
          try (RandomAccessFile f = new RandomAccessFile(fx.staging.resolve(NAME).toFile(), "rw")) {
            f.write(j.toString().getBytes(StandardCharsets.UTF_8));
            f.setLength(1L << 30);
          }
          return null;
        }, "is 1073741824 bytes, more than the limit of 65536 bytes for a descriptor; not read"),
        rule("descriptor is a symbolic link", (fx, j) -> {
          Path real = Files.writeString(fx.outside.resolve("real.json"), j.toString());
          Files.createSymbolicLink(fx.staging.resolve(NAME), real);
          return null;
        }, "is a symbolic link; descriptors must be regular files"),
        // version and fields
        rule("unknown version", (fx, j) -> j.put("version", 2).toString(),
            "unsupported descriptor version 2 (this job reads version 1)"),
        rule("version as string", (fx, j) -> j.put("version", "1").toString(), "'version' must be an integer"),
        rule("version missing", (fx, j) -> {
          j.remove("version");
          return j.toString();
        }, "has no 'version'"),
        rule("unknown field", (fx, j) -> j.put("owner", "me").toString(), "unknown field 'owner'"),
        rule("unknown details field", (fx, j) -> {
          details(j).put("nlist", 256);
          return j.toString();
        }, "unknown field 'details.nlist'"),
        // segment uuid
        rule("non-UUID segment id", (fx, j) -> j.put("segmentUuid", "../../outside").toString(),
            "segmentUuid '../../outside' is not a canonical lower-case UUID"),
        rule("upper-case UUID", (fx, j) -> j.put("segmentUuid", UUID_.toString().toUpperCase()).toString(),
            "segmentUuid '0F8E2C1A-7B3D-4E5F-9A6B-1C2D3E4F5A6B' is not a canonical lower-case UUID"),
        rule("UUID without dashes", (fx, j) -> j.put("segmentUuid", UUID_.toString().replace("-", "")).toString(),
            "is not a canonical lower-case UUID"),
        rule("nil UUID", (fx, j) -> j.put("segmentUuid", new UUID(0, 0).toString()).toString(), "is the nil UUID"),
        // names
        rule("empty index name", (fx, j) -> j.put("indexName", "").toString(), "'indexName' is empty"),
        rule("unsafe index name", (fx, j) -> j.put("indexName", "a/../b").toString(),
            "'indexName' 'a/../b' has unsafe characters"),
        rule("control character in column", (fx, j) -> j.put("column", "ve\nc").toString(),
            "'column' 've\\u000ac' has unsafe characters"),
        rule("column too long", (fx, j) -> j.put("column", "c".repeat(300)).toString(),
            "'column' is 300 characters long, more than 256"),
        // index type
        rule("unknown index type", (fx, j) -> j.put("indexType", "IVF_FOO").toString(), "unknown indexType 'IVF_FOO'"),
        rule("lower-case index type", (fx, j) -> j.put("indexType", "ivf_pq").toString(), "unknown indexType 'ivf_pq'"),
        rule("HNSW not mergeable", (fx, j) -> j.put("indexType", "IVF_HNSW_PQ").toString(),
            "indexType IVF_HNSW_PQ is not mergeable yet"),
        // fragment ids
        rule("duplicate fragment ids", (fx, j) -> {
          j.putArray("fragmentIds").add(5).add(3).add(5);
          return j.toString();
        }, "'fragmentIds' lists fragment 5 more than once"),
        rule("too many fragments", StagingLimits.defaults().withMaxFragmentIds(4), (fx, j) -> {
          j.putArray("fragmentIds").add(0).add(1).add(2).add(3).add(4);
          return j.toString();
        }, "'fragmentIds' has 5 ids, more than the limit 4"),
        rule("negative fragment id", (fx, j) -> {
          j.putArray("fragmentIds").add(1).add(-1);
          return j.toString();
        }, "fragmentIds[1] is '-1', outside 0..2147483647"),
        rule("fragment id beyond int", (fx, j) -> {
          j.putArray("fragmentIds").add(4_294_967_296L);
          return j.toString();
        }, "fragmentIds[0] is '4294967296', outside 0..2147483647"),
        rule("fractional fragment id", (fx, j) -> {
          j.putArray("fragmentIds").add(1.5);
          return j.toString();
        }, "fragmentIds[0] must be an integer, not a fraction"),
        rule("no fragments", (fx, j) -> {
          j.putArray("fragmentIds");
          return j.toString();
        }, "'fragmentIds' is empty"),
        // details
        rule("vector without distance type", (fx, j) -> {
          details(j).remove("distanceType");
          return j.toString();
        }, "'details.distanceType' is required for IVF_PQ"),
        rule("unknown distance type", (fx, j) -> {
          details(j).put("distanceType", "manhattan");
          return j.toString();
        }, "'details.distanceType' 'manhattan' is not one of l2, cosine, dot, hamming"),
        rule("distance type on a ZoneMap", (fx, j) -> {
          Files.write(seg(fx).resolve("zonemap.lance"), StagingFixture.bytes(10, 0));
          j.put("indexType", "ZONEMAP").remove("files");
          return j.toString();
        }, "'details.distanceType' is not allowed for ZONEMAP"),
        rule("index details not base64", (fx, j) -> {
          details(j).put("indexDetails", "not base64!");
          return j.toString();
        }, "'details.indexDetails' is not base64"),
        rule("negative index version", (fx, j) -> {
          details(j).put("indexVersion", -1);
          return j.toString();
        }, "'details.indexVersion' is '-1'"),
        rule("negative createdAt", (fx, j) -> j.put("createdAt", -5).toString(), "'createdAt' is '-5'"),
        // file names
        rule("'../' in a file name", (fx, j) -> {
          file(j, 1).put("path", "../../../outside/secret");
          return j.toString();
        }, "'files[1].path' '../../../outside/secret' contains '..'"),
        rule("bare '..' file name", (fx, j) -> {
          addFile(j, "..", 0);
          return j.toString();
        }, "'files[2].path' '..' contains '..'"),
        rule("absolute path", (fx, j) -> {
          file(j, 0).put("path", fx.outside.resolve("secret").toString());
          return j.toString();
        }, "'files[0].path'", "is an absolute path"),
        rule("Windows absolute path", (fx, j) -> {
          addFile(j, "C:\\x", 1);
          return j.toString();
        }, "'files[2].path' 'C:\\u005cx' is an absolute path"),
        rule("file in a sub-directory", (fx, j) -> {
          addFile(j, "sub/index.idx", 1);
          return j.toString();
        }, "'files[2].path' 'sub/index.idx' is not a plain file name"),
        rule("hidden file name", (fx, j) -> {
          addFile(j, ".hidden", 1);
          return j.toString();
        }, "'files[2].path' '.hidden' is not a safe file name"),
        rule("file listed twice", (fx, j) -> {
          addFile(j, "index.idx", StagingFixture.INDEX_BYTES);
          return j.toString();
        }, "'files' lists 'index.idx' more than once"),
        rule("files without a needed file", (fx, j) -> {
          ((ArrayNode) j.get("files")).remove(1);
          return j.toString();
        }, "'files' does not list auxiliary.idx, which IVF_PQ segments need"),
        rule("too many files", StagingLimits.defaults().withMaxFiles(2), (fx, j) -> {
          addFile(j, "extra", 1);
          return j.toString();
        }, "'files' has 3 entries, more than the limit 2"),
        // the segment on disk
        rule("segment directory missing", (fx, j) -> {
          deleteTree(seg(fx));
          return j.toString();
        }, "segment directory " + seg + "/ does not exist"),
        rule("missing index.idx", (fx, j) -> {
          Files.delete(seg(fx).resolve("index.idx"));
          return j.toString();
        }, seg + "/index.idx does not exist, and IVF_PQ segments need it"),
        rule("missing auxiliary.idx, files not listed", (fx, j) -> {
          Files.delete(seg(fx).resolve("auxiliary.idx"));
          j.remove("files");
          return j.toString();
        }, seg + "/auxiliary.idx does not exist"),
        rule("missing zonemap.lance", (fx, j) -> {
          j.put("indexType", "ZONEMAP").remove("files");
          details(j).remove("distanceType");
          return j.toString();
        }, seg + "/zonemap.lance does not exist, and ZONEMAP segments need it"),
        rule("listed extra file missing", (fx, j) -> {
          addFile(j, "extra.bin", 5);
          return j.toString();
        }, seg + "/extra.bin does not exist, but 'files' lists it"),
        rule("size mismatch", (fx, j) -> {
          file(j, 0).put("sizeBytes", StagingFixture.INDEX_BYTES + 1);
          return j.toString();
        }, seg + "/index.idx is 1000 bytes on disk but 'files' says 1001 (size mismatch)"),
        rule("listed size beyond the limit", StagingLimits.defaults().withMaxSegmentFileBytes(500), (fx, j) -> {
          file(j, 0).put("sizeBytes", 1L << 50);
          return j.toString();
        }, "'files[0].sizeBytes' is '1125899906842624', outside 0..500"),
        rule("huge segment file on disk (sparse)", StagingLimits.defaults().withMaxSegmentFileBytes(1L << 20), (fx, j) -> {
          try (RandomAccessFile f = new RandomAccessFile(seg(fx).resolve("index.idx").toFile(), "rw")) {
            f.setLength(1L << 31);
          }
          j.remove("files");
          return j.toString();
        }, seg + "/index.idx is 2147483648 bytes, more than the limit of 1048576 bytes for a segment file"),
        rule("symlink in the segment leading out of the dataset", (fx, j) -> {
          Path aux = seg(fx).resolve("auxiliary.idx");
          Files.delete(aux);
          Files.createSymbolicLink(aux, fx.outside.resolve("secret"));
          return j.toString();
        }, seg + "/auxiliary.idx is a symbolic link leading outside the dataset's _indices/", "outside/secret"),
        rule("relative symlink in the segment climbing out", (fx, j) -> {
          Path aux = seg(fx).resolve("auxiliary.idx");
          Files.delete(aux);
          Files.createSymbolicLink(aux, Path.of("../../../outside/secret"));
          return j.toString();
        }, seg + "/auxiliary.idx is a symbolic link leading outside the dataset's _indices/"),
        rule("symlink in the segment to another segment's file", (fx, j) -> {
          UUID other = UUID.fromString("11111111-2222-4333-8444-555555555555");
          fx.vectorSegment(other);
          Path aux = seg(fx).resolve("auxiliary.idx");
          Files.delete(aux);
          Files.createSymbolicLink(aux, fx.indices.resolve(other.toString()).resolve("auxiliary.idx"));
          return j.toString();
        }, seg + "/auxiliary.idx is a symbolic link leading out of its segment directory"),
        rule("dangling symlink in the segment", (fx, j) -> {
          Path aux = seg(fx).resolve("auxiliary.idx");
          Files.delete(aux);
          Files.createSymbolicLink(aux, fx.outside.resolve("gone"));
          return j.toString();
        }, seg + "/auxiliary.idx is a dangling symbolic link"),
        rule("listed extra file is a symlink out", (fx, j) -> {
          Files.createSymbolicLink(seg(fx).resolve("extra.bin"), fx.outside.resolve("secret"));
          addFile(j, "extra.bin", StagingFixture.AUX_BYTES);
          return j.toString();
        }, seg + "/extra.bin is a symbolic link leading outside the dataset's _indices/"),
        rule("segment directory is a symlink out of the dataset", (fx, j) -> {
          Path elsewhere = Files.createDirectories(fx.outside.resolve("segdir"));
          Files.move(seg(fx).resolve("index.idx"), elsewhere.resolve("index.idx"));
          Files.move(seg(fx).resolve("auxiliary.idx"), elsewhere.resolve("auxiliary.idx"));
          Files.delete(seg(fx));
          Files.createSymbolicLink(seg(fx), elsewhere);
          return j.toString();
        }, "segment directory " + seg + " is a symbolic link leading outside the dataset's _indices/"),
        rule("segment directory is a symlink to _indices itself", (fx, j) -> {
          deleteTree(seg(fx));
          Files.createSymbolicLink(seg(fx), Path.of("."));
          return j.toString();
        }, "segment directory " + seg + " is a symbolic link", "it must be a real directory"),
        rule("segment directory is a symlink to another segment", (fx, j) -> {
          UUID other = UUID.fromString("11111111-2222-4333-8444-555555555555");
          Path otherDir = fx.vectorSegment(other);
          deleteTree(seg(fx));
          Files.createSymbolicLink(seg(fx), otherDir);
          return j.toString();
        }, "segment directory " + seg + " is a symbolic link", "it must be a real directory"),
        rule("segment directory is a file", (fx, j) -> {
          deleteTree(seg(fx));
          Files.writeString(seg(fx), "x");
          return j.toString();
        }, seg + " is not a directory"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void brokenRuleEndsInQuarantineWithReason(Case c, @TempDir Path tmp) throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    ObjectNode json = fx.validVectorJson(UUID_);
    String content = c.breaker().apply(fx, json);
    if (content != null) {
      fx.writeDescriptor(NAME, content);
    }
    Map<String, Long> datasetBefore = tree(fx.dataset);
    Map<String, Long> outsideBefore = tree(fx.outside);

    StagingArea.ScanResult r = fx.area(c.limits(), 10).scan();

    assertThat(r.segments()).isEmpty();
    assertThat(r.quarantined()).hasSize(1);
    StagingArea.Quarantined q = r.quarantined().get(0);
    assertThat(q.fileName()).isEqualTo(NAME);
    assertThat(q.reason()).startsWith(NAME + ": ");
    for (String e : c.expected()) {
      assertThat(q.reason()).contains(e);
    }
    Path quarantine = fx.staging.resolve("quarantine");
    assertThat(q.movedTo()).isEqualTo(quarantine.resolve(NAME));
    assertThat(fx.staging.resolve(NAME)).doesNotExist();
    assertThat(Files.exists(quarantine.resolve(NAME), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
    List<String> lines = Files.readAllLines(quarantine.resolve(NAME + ".reason.txt"));
    assertThat(lines).containsExactly(q.reason(), "quarantined-at: " + StagingFixture.NOW);
    // Nothing of the dataset (or outside it) was touched.
    assertThat(tree(fx.dataset)).isEqualTo(datasetBefore);
    assertThat(tree(fx.outside)).isEqualTo(outsideBefore);
    // A second scan finds nothing more to do.
    assertThat(fx.area(c.limits(), 10).scan()).isEqualTo(new StagingArea.ScanResult(List.of(), List.of(), false));
  }

  /** Every path under {@code dir} (links not followed) with its size, -1 for directories and links. */
  static Map<String, Long> tree(Path dir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        boolean plain = Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        out.put(dir.relativize(p).toString(), plain ? Files.size(p) : -1L);
      }
    }
    return out;
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
