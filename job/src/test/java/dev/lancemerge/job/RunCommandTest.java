package dev.lancemerge.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.operators.MergeJobOptions;
import dev.lancemerge.operators.lance.LanceDatasetCatalog;
import dev.lancemerge.operators.lance.LiveSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lance.index.Index;

/** The {@code run} command: help, usage errors, bad input, config files, and a short local run until idle. */
class RunCommandTest {
  @TempDir Path tmp;

  @Test
  void helpListsEveryJobOptionWithItsDefault() {
    Run run = Run.of("run", "--help");
    assertThat(run.code()).isZero();
    for (ConfigOption<?> o : MergeJobOptions.all()) {
      assertThat(run.out()).contains("  " + o.key() + " = " + RunCommand.defaultText(o) + "\n");
    }
    assertThat(run.out()).contains("lance-merge.policy.max-delay = 5 min").contains("lance-merge.writer.memory-budget = 64 mb")
        .contains("lance-merge.dataset = (none)").contains("--until-idle").contains("--state-dir").contains("-D KEY=VALUE")
        .contains("flink run");
    assertThat(Run.of("--help").out()).contains("  run ");
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> usageErrors() {
    return java.util.stream.Stream.<String[]>of(
        new String[] {"run"},
        new String[] {"run", "--dataset", "/x.lance"},
        new String[] {"run", "--index", "v"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "--bogus", "1"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "extra"},
        new String[] {"run", "--dataset", "/x.lance", "--index", ","},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "-D", "lance-merge.no-such-option=1"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "-Dlance-merge.policy.max-delay=soon"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "--set", "lance-merge.policy.segments-per-tier=many"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "-D", "no-equals-sign"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "-D"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "--checkpoint-interval", "often"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "--until-idle", "0s"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "--parallelism", "0"},
        new String[] {"run", "--dataset", "/x.lance", "--index", "v", "--parallelism"},
        new String[] {"run", "--dataset", "/x.lance", "--dataset", "/y.lance", "--index", "v"})
        .map(a -> org.junit.jupiter.params.provider.Arguments.of((Object) a));
  }

  @ParameterizedTest
  @MethodSource("usageErrors")
  void badUsageExitsWithTwoAndOneErrorLine(String[] args) {
    Run run = Run.of(args);
    assertThat(run.code()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("error: run: ").contains("see 'run --help'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void missingDatasetOrUnknownIndexIsBadInput() throws Exception {
    Run missing = Run.of("run", "--dataset", tmp.resolve("nope.lance").toString(), "--index", "v");
    assertThat(missing.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(missing.errLines()).containsExactly("error: " + tmp.resolve("nope.lance") + ": no such dataset directory");

    Path ds = tmp.resolve("tiny.lance");
    tinyDataset(ds, 2, 200);
    Run unknown = Run.of("run", "--dataset", ds.toString(), "--index", "vec_idx,other_idx");
    assertThat(unknown.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(unknown.errLines()).hasSize(1);
    assertThat(unknown.errLines().get(0)).isEqualTo("error: " + ds + ": no index named 'other_idx' (indexes: vec_idx, z_idx)");

    Run badConfig = Run.of("run", "--dataset", ds.toString(), "--index", "vec_idx", "--config", tmp.resolve("no.yaml").toString());
    assertThat(badConfig.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(badConfig.errLines()).containsExactly("error: " + tmp.resolve("no.yaml") + ": no such Flink configuration file");
  }

  @Test
  void configFilesThenDashDThenFlags() throws Exception {
    Path legacy = tmp.resolve("flink-conf.yaml");
    Files.writeString(legacy, "# legacy\nlance-merge.policy.max-delay: 7 s\nlance-merge.policy.segments-per-tier: 3\n"
        + "state.backend.type: hashmap\nlance-merge.index-names: a;b\n");
    RunCommand.Settings s = RunCommand.parse(List.of("--config", legacy.toString(), "--dataset", "/d/x.lance",
        "-D", "lance-merge.policy.segments-per-tier=5", "--set=execution.checkpointing.interval=2s"));
    Configuration c = s.conf();
    assertThat(c.get(MergeJobOptions.MAX_DELAY)).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.get(MergeJobOptions.SEGMENTS_PER_TIER)).isEqualTo(5);
    assertThat(c.toMap()).containsEntry("state.backend.type", "hashmap")
        .containsEntry("execution.checkpointing.interval", "2s");
    assertThat(s.indexes()).containsExactly("a", "b");
    assertThat(s.stateDir()).isEqualTo(Path.of("/d/x.lance.merge-state"));

    Path yaml = tmp.resolve("config.yaml");
    Files.writeString(yaml, "lance-merge:\n  policy:\n    max-delay: 9 s\nparallelism:\n  default: 3\n");
    RunCommand.Settings y = RunCommand.parse(List.of("--config", yaml.toString(), "--dataset", "/d/x.lance",
        "--index", "v", "--parallelism", "4", "--checkpoint-interval", "500ms", "--state-dir", tmp.toString()));
    assertThat(y.conf().get(MergeJobOptions.MAX_DELAY)).isEqualTo(Duration.ofSeconds(9));
    assertThat(y.conf().toMap()).containsEntry("parallelism.default", "4")
        .containsEntry("execution.checkpointing.interval", "500 ms");
    assertThat(y.stateDir()).isEqualTo(tmp);
  }

  /**
   * A tiny dataset: the job merges its per-fragment segments, then stops by itself with a savepoint; more fragments
   * arrive; a second run restores from the state directory, merges them too, and stops again. Each merge is
   * committed once, and every fragment ends up covered by exactly one segment of each index.
   */
  @Test
  void untilIdleMergesStopsWithASavepointAndASecondRunContinues() throws Exception {
    Path ds = tmp.resolve("tiny.lance");
    float[] centroids = tinyDataset(ds, 4, 300);
    long start;
    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      start = c.latestVersion();
    }
    String[] args = {"run", "--dataset", ds.toString(), "--index", "vec_idx,z_idx", "--until-idle", "3s",
        "--checkpoint-interval", "300ms", "--parallelism", "2",
        "-D", "lance-merge.source.discovery-interval=200ms", "-D", "lance-merge.planner.reconcile-interval=300ms",
        "-D", "lance-merge.policy.max-delay=1s", "-D", "lance-merge.cleanup.retention=1s"};

    Run first = Run.of(args);
    assertThat(first.code()).as(first.err()).isZero();
    // The policy merges the 4 segments at once or in steps (4 -> 3 -> 2 when the source saw them in two polls; a
    // 3-fragment and a 1-fragment segment then stay apart: merging them would grow the larger by less than 1.5x).
    assertThat(first.out()).containsPattern("vec_idx: 4 -> [123] segments, 1200 rows, freshness lag [0-9.]+ s")
        .containsPattern("z_idx: 4 -> [123] segments, 1200 rows, freshness lag [0-9.]+ s")
        .contains("idle for 3 s").contains("stopped with a savepoint: ");
    assertThat(first.outLines().get(0)).startsWith("job ").contains("on an embedded mini-cluster")
        .doesNotContain("restored from");
    String savepoint = first.outLines().stream().filter(l -> l.startsWith("stopped with a savepoint: ")).findFirst()
        .orElseThrow().substring("stopped with a savepoint: ".length()).split(" ")[0];
    assertThat(Path.of(java.net.URI.create(savepoint)).resolve("_metadata")).exists();
    assertThat(Path.of(java.net.URI.create(savepoint))).startsWith(tmp.resolve("tiny.lance.merge-state"));

    try (LanceStream lance = LanceStream.open(ds, 16, 5)) {
      lance.useIvf(centroids, 4);
      for (int i = 0; i < 2; i++) {
        int fid = lance.append(300);
        lance.commit("vec_idx", LanceStream.VEC, List.of(lance.vectorSegment("vec_idx", fid)));
        lance.commit("z_idx", LanceStream.TS, List.of(lance.zoneMapSegment("z_idx", fid, 100)));
      }
    }

    Run second = Run.of(args);
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.outLines().get(0)).contains("restored from " + Path.of(java.net.URI.create(savepoint)));
    assertThat(second.out()).contains("stopped with a savepoint: ")
        .containsPattern("vec_idx: [0-9]+ -> [0-9]+ segments, 1800 rows, freshness lag [0-9.]+ s");
    assertThat(second.outLines().get(0)).contains("restored from");

    try (LanceDatasetCatalog c = LanceDatasetCatalog.open(ds)) {
      for (String index : List.of("vec_idx", "z_idx")) {
        List<Integer> covered = new ArrayList<>();
        List<LiveSegment> segs = c.liveSegments(Set.of(index));
        segs.forEach(s -> covered.addAll(s.fragments()));
        assertThat(covered).as(index).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(segs.size()).as(index).isLessThanOrEqualTo(4);
      }
      List<String> ids = CommitWatcher.mergeIds(c, start + 1);
      assertThat(ids).hasSizeGreaterThanOrEqualTo(4);
      assertThat(new HashSet<>(ids)).hasSize(ids.size());
    }
    try (LanceStream lance = LanceStream.open(ds, 16, 5)) {
      assertThat(lance.knnOfRow(1500, 3, 4).get(0).id()).isEqualTo(1500);
      assertThat(lance.countRows("ts < " + lance.tsOf(150))).isEqualTo(150);
    }
  }

  /** {@code fragments} fragments of {@code rows} rows, dim 16, and committed per-fragment segments of both indexes. */
  static float[] tinyDataset(Path dir, int fragments, long rows) {
    long[] r = new long[fragments];
    java.util.Arrays.fill(r, rows);
    try (LanceStream lance = LanceStream.create(dir, 16, 5, r)) {
      lance.trainIvf(4);
      List<Index> vec = new ArrayList<>();
      List<Index> zones = new ArrayList<>();
      for (int fid : lance.fragmentIds()) {
        vec.add(lance.vectorSegment("vec_idx", fid));
        zones.add(lance.zoneMapSegment("z_idx", fid, 100));
      }
      lance.commit("vec_idx", LanceStream.VEC, vec);
      lance.commit("z_idx", LanceStream.TS, zones);
      return lance.centroids();
    }
  }
}
