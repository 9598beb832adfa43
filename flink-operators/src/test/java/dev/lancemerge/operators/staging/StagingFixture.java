package dev.lancemerge.operators.staging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lancemerge.operators.staging.StagedSegmentDescriptor.Details;
import dev.lancemerge.operators.staging.StagedSegmentDescriptor.SegmentFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A fake dataset ({@code ds/_indices/<uuid>/} with placeholder segment files), a staging directory and a
 * directory outside the dataset, all under one temporary directory.
 */
final class StagingFixture {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-05-28T10:15:30Z");
  static final long CREATED_AT = 1_780_000_000_000L;
  static final int INDEX_BYTES = 1000;
  static final int AUX_BYTES = 300;
  static final int ZONEMAP_BYTES = 200;
  /** Stands in for the protobuf index details of a real segment. */
  static final byte[] INDEX_DETAILS = {0x0a, 0x04, 't', 'e', 's', 't'};

  final Path root;
  final Path dataset;
  final Path indices;
  final Path staging;
  final Path outside;

  StagingFixture(Path root) throws IOException {
    this.root = root;
    this.dataset = Files.createDirectories(root.resolve("ds"));
    this.indices = Files.createDirectories(dataset.resolve("_indices"));
    this.staging = Files.createDirectories(root.resolve("staging"));
    this.outside = Files.createDirectories(root.resolve("outside"));
    Files.write(outside.resolve("secret"), bytes(AUX_BYTES, 7));
    Files.writeString(dataset.resolve("data.lance"), "not really data");
  }

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) seed);
    return b;
  }

  /** {@code _indices/<uuid>/index.idx} and {@code auxiliary.idx} with placeholder bytes. */
  Path vectorSegment(UUID uuid) throws IOException {
    Path dir = Files.createDirectories(indices.resolve(uuid.toString()));
    Files.write(dir.resolve("index.idx"), bytes(INDEX_BYTES, 1));
    Files.write(dir.resolve("auxiliary.idx"), bytes(AUX_BYTES, 2));
    return dir;
  }

  /** {@code _indices/<uuid>/zonemap.lance} with placeholder bytes. */
  Path zoneMapSegment(UUID uuid) throws IOException {
    Path dir = Files.createDirectories(indices.resolve(uuid.toString()));
    Files.write(dir.resolve("zonemap.lance"), bytes(ZONEMAP_BYTES, 3));
    return dir;
  }

  static StagedSegmentDescriptor vectorDescriptor(UUID uuid, long createdAt) {
    return new StagedSegmentDescriptor(1, uuid, "vec_idx", "vec", StagedIndexType.IVF_PQ, List.of(3, 1, 2),
        new Details("l2", 1, 7L, Base64.getEncoder().encodeToString(INDEX_DETAILS)),
        List.of(new SegmentFile("index.idx", INDEX_BYTES), new SegmentFile("auxiliary.idx", AUX_BYTES)), createdAt);
  }

  static StagedSegmentDescriptor zoneMapDescriptor(UUID uuid, long createdAt) {
    return new StagedSegmentDescriptor(1, uuid, "ts_zonemap", "ts", StagedIndexType.ZONEMAP, List.of(4),
        new Details(null, 0, null, null), List.of(), createdAt);
  }

  /** A valid vector segment on disk and its descriptor as a mutable JSON tree. */
  ObjectNode validVectorJson(UUID uuid) throws IOException {
    vectorSegment(uuid);
    return (ObjectNode) JSON.readTree(vectorDescriptor(uuid, CREATED_AT).toJson());
  }

  Path writeDescriptor(String name, String content) throws IOException {
    return Files.writeString(staging.resolve(name), content, StandardCharsets.UTF_8);
  }

  StagingArea area(StagingLimits limits, int maxPerScan) {
    return new StagingArea(staging, new DescriptorValidator(dataset, limits), maxPerScan,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  StagingArea area() {
    return area(StagingLimits.defaults(), StagingArea.DEFAULT_MAX_PER_SCAN);
  }
}
