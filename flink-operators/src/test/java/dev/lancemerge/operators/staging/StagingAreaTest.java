package dev.lancemerge.operators.staging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingAreaTest {
  @TempDir Path tmp;

  static UUID uuid(int i) {
    return UUID.fromString(String.format("00000000-0000-4000-8000-%012d", i + 1));
  }

  /** A valid vector segment {@code i} announced as {@code name} with {@code createdAt}. */
  static Path announce(StagingFixture fx, String name, int i, long createdAt) throws Exception {
    fx.vectorSegment(uuid(i));
    return fx.writeDescriptor(name, StagingFixture.vectorDescriptor(uuid(i), createdAt).toJson());
  }

  static List<String> names(StagingArea.ScanResult r) {
    return r.segments().stream().map(StagedSegment::fileName).toList();
  }

  @Test
  void temporaryFilesDotfilesAndDirectoriesAreIgnored() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    announce(fx, "good.json", 0, 10);
    String garbage = "{ half written";
    fx.writeDescriptor("good.json.tmp", garbage);
    fx.writeDescriptor(".good2.json", garbage);
    fx.writeDescriptor(".hidden.json.tmp", garbage);
    fx.writeDescriptor("x.tmp", garbage);
    fx.writeDescriptor("notes.txt", garbage);
    fx.writeDescriptor("JSON", garbage);
    fx.writeDescriptor(".json", garbage);
    Files.createDirectories(fx.staging.resolve("dir.json"));
    Files.createDirectories(fx.staging.resolve("quarantine"));
    Files.createDirectories(fx.staging.resolve("done"));
    fx.writeDescriptor("done/old.json", garbage);

    StagingArea.ScanResult r = fx.area().scan();

    assertThat(names(r)).containsExactly("good.json");
    assertThat(r.quarantined()).isEmpty();
    assertThat(r.more()).isFalse();
    try (var s = Files.list(fx.staging.resolve("quarantine"))) {
      assertThat(s).isEmpty();
    }
    for (String n : List.of("good.json.tmp", ".good2.json", ".hidden.json.tmp", "x.tmp", "notes.txt", "JSON", ".json",
        "done/old.json")) {
      assertThat(fx.staging.resolve(n)).hasContent(garbage);
    }
  }

  @Test
  void validOnesAreSortedByCreatedAtThenNameAndScanningIsRepeatable() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    announce(fx, "a.json", 0, 300);
    announce(fx, "b.json", 1, 100);
    announce(fx, "c.json", 2, 200);
    announce(fx, "d.json", 3, 100);
    fx.writeDescriptor("bad.json", "nope");

    StagingArea area = fx.area();
    StagingArea.ScanResult first = area.scan();
    StagingArea.ScanResult second = area.scan();

    assertThat(names(first)).containsExactly("b.json", "d.json", "c.json", "a.json");
    assertThat(first.quarantined()).extracting(StagingArea.Quarantined::fileName).containsExactly("bad.json");
    assertThat(names(second)).isEqualTo(names(first));
    assertThat(second.segments()).isEqualTo(first.segments());
    assertThat(second.quarantined()).isEmpty();
  }

  @Test
  void scanningIsBoundedAndTakesTheFirstNamesFirst() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    // Created in reverse name order, so the batch choice (by name) differs from the order inside a batch.
    for (int i = 0; i < 5; i++) {
      announce(fx, "s" + i + ".json", i, 1000 - i);
    }
    fx.writeDescriptor("s2b.json", "garbage");
    StagingArea area = fx.area(StagingLimits.defaults(), 2);

    Set<String> inFlight = new HashSet<>();
    List<List<String>> batches = new ArrayList<>();
    List<Boolean> more = new ArrayList<>();
    List<String> quarantined = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      StagingArea.ScanResult r = area.scan(inFlight);
      assertThat(r.segments().size() + r.quarantined().size()).isLessThanOrEqualTo(2);
      batches.add(names(r));
      more.add(r.more());
      r.quarantined().forEach(q -> quarantined.add(q.fileName()));
      inFlight.addAll(names(r));
    }

    assertThat(batches).containsExactly(
        List.of("s1.json", "s0.json"), List.of("s2.json"), List.of("s4.json", "s3.json"), List.of(), List.of());
    assertThat(more).containsExactly(true, true, false, false, false);
    assertThat(quarantined).containsExactly("s2b.json");
  }

  @Test
  void markDoneMovesTheDescriptorToDoneAndLeavesSegmentDataAlone() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    announce(fx, "a.json", 0, 1);
    Map<String, Long> dataset = DescriptorRulesTest.tree(fx.dataset);
    StagingArea area = fx.area();
    StagedSegment s = area.scan().segments().get(0);

    Path done = area.markDone(s);

    assertThat(done).isEqualTo(fx.staging.resolve("done/a.json"));
    assertThat(fx.staging.resolve("a.json")).doesNotExist();
    assertThat(Files.getLastModifiedTime(done).toInstant()).isEqualTo(StagingFixture.NOW);
    assertThat(area.markDone(s)).isEqualTo(done); // idempotent
    assertThat(DescriptorRulesTest.tree(fx.dataset)).isEqualTo(dataset);
    assertThat(area.scan().segments()).isEmpty();

    assertThat(area.pruneDone(StagingFixture.NOW, 10)).isZero();
    assertThat(area.pruneDone(StagingFixture.NOW.plus(Duration.ofSeconds(1)), 10)).isEqualTo(1);
    assertThat(done).doesNotExist();
    assertThat(DescriptorRulesTest.tree(fx.dataset)).isEqualTo(dataset);
  }

  @Test
  void pruneDoneIsBounded() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    Path done = Files.createDirectories(fx.staging.resolve("done"));
    for (int i = 0; i < 5; i++) {
      Files.setLastModifiedTime(Files.writeString(done.resolve(i + ".json"), "{}"), FileTime.fromMillis(0));
    }
    assertThat(fx.area().pruneDone(StagingFixture.NOW, 3)).isEqualTo(3);
    assertThat(fx.area().pruneDone(StagingFixture.NOW, 3)).isEqualTo(2);
  }

  @Test
  void aSecondAnnouncementOfTheSameSegmentIsQuarantined() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    announce(fx, "first.json", 0, 5);
    announce(fx, "again.json", 0, 9);

    StagingArea.ScanResult r = fx.area().scan();

    assertThat(names(r)).containsExactly("first.json");
    assertThat(r.quarantined()).singleElement().satisfies(q -> assertThat(q.reason())
        .isEqualTo("again.json: announces segment " + uuid(0) + ", already announced by first.json"));
    assertThat(fx.staging.resolve("quarantine/again.json.reason.txt")).exists();
  }

  @Test
  void theJobCanQuarantineAValidatedSegmentLater() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    announce(fx, "a.json", 0, 1);
    Map<String, Long> dataset = DescriptorRulesTest.tree(fx.dataset);
    StagingArea area = fx.area();
    StagedSegment s = area.scan().segments().get(0);

    StagingArea.Quarantined q = area.quarantine(s, "centroids differ from the other segments of vec_idx").orElseThrow();

    assertThat(q.movedTo()).isEqualTo(fx.staging.resolve("quarantine/a.json"));
    assertThat(Files.readAllLines(fx.staging.resolve("quarantine/a.json.reason.txt"))).containsExactly(
        "a.json: centroids differ from the other segments of vec_idx", "quarantined-at: 2026-05-28T10:15:30Z");
    assertThat(DescriptorRulesTest.tree(fx.dataset)).isEqualTo(dataset);
    assertThat(area.quarantine(s, "again")).isEmpty(); // already gone
    assertThat(fx.staging.resolve("quarantine/a.json.1.reason.txt")).doesNotExist();
  }

  @Test
  void quarantiningTheSameNameTwiceKeepsBoth() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    StagingArea area = fx.area();
    fx.writeDescriptor("x.json", "first");
    area.scan();
    fx.writeDescriptor("x.json", "{\"version\": 3}");
    StagingArea.ScanResult r = area.scan();

    assertThat(r.quarantined()).singleElement().satisfies(q -> {
      assertThat(q.movedTo()).isEqualTo(fx.staging.resolve("quarantine/x.json.1"));
      assertThat(q.reason()).contains("unsupported descriptor version 3");
    });
    assertThat(fx.staging.resolve("quarantine/x.json")).hasContent("first");
    assertThat(Files.readAllLines(fx.staging.resolve("quarantine/x.json.reason.txt")).get(0)).contains("not valid JSON");
    assertThat(fx.staging.resolve("quarantine/x.json.1.reason.txt")).exists();
  }

  @Test
  void announceRenamesIntoPlaceUnderATimeOrderedName() throws Exception {
    StagingFixture fx = new StagingFixture(tmp);
    fx.vectorSegment(uuid(0));
    fx.zoneMapSegment(uuid(1));
    Path later = StagingArea.announce(fx.staging, StagingFixture.vectorDescriptor(uuid(0), 1_780_000_000_500L));
    Path earlier = StagingArea.announce(fx.staging, StagingFixture.zoneMapDescriptor(uuid(1), 999));

    assertThat(later.getFileName().toString()).isEqualTo("1780000000500-" + uuid(0) + ".json");
    assertThat(earlier.getFileName().toString()).isEqualTo("0000000000999-" + uuid(1) + ".json");
    try (var s = Files.list(fx.staging)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          later.getFileName().toString(), earlier.getFileName().toString());
    }
    assertThat(names(fx.area().scan())).containsExactly(
        earlier.getFileName().toString(), later.getFileName().toString());
  }
}
