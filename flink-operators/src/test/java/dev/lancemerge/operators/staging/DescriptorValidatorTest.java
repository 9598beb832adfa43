package dev.lancemerge.operators.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lancemerge.operators.staging.StagedSegmentDescriptor.SegmentFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorValidatorTest {
  static final UUID VEC = UUID.fromString("0f8e2c1a-7b3d-4e5f-9a6b-1c2d3e4f5a6b");
  static final UUID ZM = UUID.fromString("a1b2c3d4-e5f6-4a1b-8c2d-3e4f5a6b7c8d");

  @TempDir Path tmp;

  @Test
  void validVectorDescriptorParses() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    Path segDir = fx.vectorSegment(VEC);
    String json = """
        {
          "version": 1,
          "segmentUuid": "0f8e2c1a-7b3d-4e5f-9a6b-1c2d3e4f5a6b",
          "indexName": "vec_idx",
          "column": "vec",
          "indexType": "IVF_PQ",
          "fragmentIds": [3, 1, 2],
          "details": {"distanceType": "l2", "indexVersion": 1, "datasetVersion": 7, "indexDetails": "CgR0ZXN0"},
          "files": [
            {"path": "index.idx", "sizeBytes": 1000},
            {"path": "auxiliary.idx", "sizeBytes": 300}
          ],
          "createdAt": 1780000000000
        }
        """;
    Path file = fx.writeDescriptor("a.json", json);

    StagedSegment s = new DescriptorValidator(fx.dataset, StagingLimits.defaults()).validate(file);

    StagedSegmentDescriptor d = s.descriptor();
    assertThat(d).isEqualTo(StagingFixture.vectorDescriptor(VEC, StagingFixture.CREATED_AT));
    assertThat(d.version()).isEqualTo(1);
    assertThat(d.segmentUuid()).isEqualTo(VEC);
    assertThat(d.indexType()).isEqualTo(StagedIndexType.IVF_PQ);
    assertThat(d.fragmentIds()).containsExactly(3, 1, 2);
    assertThat(d.details().distance()).contains("l2");
    assertThat(d.details().indexVersion()).isEqualTo(1);
    assertThat(d.details().builtOnVersion()).hasValue(7);
    assertThat(d.details().indexDetailsBytes()).hasValueSatisfying(b -> assertThat(b).isEqualTo(StagingFixture.INDEX_DETAILS));
    assertThat(d.files()).containsExactly(new SegmentFile("index.idx", 1000), new SegmentFile("auxiliary.idx", 300));
    assertThat(d.createdAt()).isEqualTo(1_780_000_000_000L);
    assertThat(d.segmentDirectory()).isEqualTo("_indices/" + VEC);
    assertThat(s.descriptorFile()).isEqualTo(file);
    assertThat(s.fileName()).isEqualTo("a.json");
    assertThat(s.segmentDir()).isEqualTo(segDir.toRealPath());
  }

  @Test
  void validZoneMapDescriptorWithoutOptionalFieldsParses() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    fx.zoneMapSegment(ZM);
    Path file = fx.writeDescriptor("z.json", """
        {"version":1,"segmentUuid":"a1b2c3d4-e5f6-4a1b-8c2d-3e4f5a6b7c8d","indexName":"ts_zonemap","column":"ts",
         "indexType":"ZONEMAP","fragmentIds":[4],"details":{"indexVersion":0},"createdAt":1780000000000}
        """);

    StagedSegment s = new DescriptorValidator(fx.dataset, StagingLimits.defaults()).validate(file);

    assertThat(s.descriptor()).isEqualTo(StagingFixture.zoneMapDescriptor(ZM, StagingFixture.CREATED_AT));
    assertThat(s.descriptor().details().distance()).isEmpty();
    assertThat(s.descriptor().details().builtOnVersion()).isEmpty();
    assertThat(s.descriptor().details().indexDetailsBytes()).isEmpty();
    assertThat(s.descriptor().files()).isEmpty();
  }

  @Test
  void toJsonRoundTrips() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    fx.vectorSegment(VEC);
    fx.zoneMapSegment(ZM);
    DescriptorValidator v = new DescriptorValidator(fx.dataset, StagingLimits.defaults());
    for (StagedSegmentDescriptor d : List.of(
        StagingFixture.vectorDescriptor(VEC, 5), StagingFixture.zoneMapDescriptor(ZM, 6))) {
      Path file = fx.writeDescriptor(d.segmentUuid() + ".json", d.toJson());
      assertThat(v.validate(file).descriptor()).isEqualTo(d);
    }
  }

  @Test
  void datasetWithSymlinkedIndicesDirectoryIsFine() throws Exception {
    // Links above the segment directory (e.g. _indices on another disk) are the operator's choice, not the writer's.
    StagingFixture fx = new StagingFixture(tmp);
    Path realIndices = Files.createDirectories(tmp.resolve("disk2/_indices"));
    Files.delete(fx.indices);
    Files.createSymbolicLink(fx.indices, realIndices);
    fx.vectorSegment(VEC);
    Path file = fx.writeDescriptor("a.json", StagingFixture.vectorDescriptor(VEC, 1).toJson());

    StagedSegment s = new DescriptorValidator(fx.dataset, StagingLimits.defaults()).validate(file);

    assertThat(s.segmentDir()).isEqualTo(realIndices.toRealPath().resolve(VEC.toString()));
  }

  @Test
  void datasetWithoutIndicesDirectoryIsRefused() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    Files.delete(fx.indices);
    Path file = fx.writeDescriptor("a.json", StagingFixture.vectorDescriptor(VEC, 1).toJson());

    assertThatThrownBy(() -> new DescriptorValidator(fx.dataset, StagingLimits.defaults()).validate(file))
        .isInstanceOf(InvalidDescriptorException.class)
        .hasMessageStartingWith("a.json: the dataset has no _indices directory");
  }

  @Test
  void everyMergeableTypeNeedsItsFiles() {
    assertThat(StagedIndexType.IVF_FLAT.requiredFiles()).containsExactly("index.idx", "auxiliary.idx");
    assertThat(StagedIndexType.IVF_SQ.requiredFiles()).containsExactly("index.idx", "auxiliary.idx");
    assertThat(StagedIndexType.ZONEMAP.requiredFiles()).containsExactly("zonemap.lance");
    assertThat(List.of(StagedIndexType.values())).filteredOn(StagedIndexType::isMergeable)
        .containsExactly(StagedIndexType.IVF_FLAT, StagedIndexType.IVF_PQ, StagedIndexType.IVF_SQ,
            StagedIndexType.ZONEMAP);
  }

  @Test
  void untrustedTextInReasonsIsEscapedAndShort() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    Path file = fx.writeDescriptor("a.json",
        "{\"version\":1,\"segmentUuid\":\"" + "x\\r\\n".repeat(100) + "\"}");

    assertThatThrownBy(() -> new DescriptorValidator(fx.dataset, StagingLimits.defaults()).validate(file))
        .isInstanceOf(InvalidDescriptorException.class)
        .satisfies(e -> {
          assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").contains("\\u000d\\u000a")
              .contains("... (300 chars)").hasSizeLessThan(600);
        });
  }
}
