package dev.lancemerge.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lancemerge.tests.cluster.StandaloneFlinkCluster.TaskManagerProcess;
import dev.lancemerge.tests.cluster.smokejob.CountingJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves {@link StandaloneFlinkCluster} on a real session cluster (1 job manager + 2 task managers, separate JVMs):
 * a job jar built here from {@link CountingJob}'s classes is uploaded and run over REST; a task manager running it is
 * killed (SIGKILL) and the job recovers from its last checkpoint and finishes with exactly-once state; a job is
 * stopped with a savepoint, resumed from it and cancelled.
 */
@Tag("cluster")
class StandaloneFlinkClusterSmokeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final StandaloneFlinkClusterExtension FLINK = new StandaloneFlinkClusterExtension(
            StandaloneFlinkCluster.builder().taskManagers(2).slotsPerTaskManager(2));

    private static Path jobJar;

    @BeforeAll
    static void packageJob() throws IOException {
        jobJar = TestJars.packageOf(CountingJob.class, FLINK.cluster().workDir().resolve("counting-job.jar"));
    }

    @Test
    void jobRecoversFromKilledTaskManagerWithExactlyOnceState() {
        StandaloneFlinkCluster cluster = FLINK.cluster();
        Path out = cluster.workDir().resolve("out-failover");
        long records = 3000; // at 100 per second: about 30 s of input, so the kill lands mid-run
        String jobId = cluster.submitJar(jobJar, CountingJob.class.getName(), List.of(
                "--out", out.toString(), "--records", Long.toString(records), "--rate", "100",
                "--checkpoint-ms", "500"), PARALLELISM);

        cluster.waitForAllSubtasksRunning(jobId, 0, TIMEOUT);
        cluster.waitForCompletedCheckpoints(jobId, 2, TIMEOUT);
        StandaloneFlinkCluster.waitUntil("progress markers", TIMEOUT,
                () -> Markers.read(out).maxCompleteTotal() > 0, () -> Markers.read(out).toString());
        long countBeforeKill = Markers.read(out).maxCompleteTotal();
        assertThat(countBeforeKill).as("job must still have work at the kill").isLessThan(records / 2);

        List<TaskManagerProcess> hosts = cluster.taskManagersOf(jobId);
        assertThat(hosts).as("task managers running the job").isNotEmpty();
        TaskManagerProcess victim = hosts.get(0);
        cluster.killTaskManager(victim);
        TaskManagerProcess replacement = cluster.startTaskManager();

        StandaloneFlinkCluster.waitUntil("a restart of job " + jobId, TIMEOUT,
                () -> cluster.numRestarts(jobId) >= 1, () -> "numRestarts " + cluster.numRestarts(jobId));
        cluster.waitForAllSubtasksRunning(jobId, 1, TIMEOUT);
        assertThat(cluster.jobState(jobId)).isEqualTo("RUNNING");
        assertThat(cluster.taskManagerIdsOf(jobId)).doesNotContain(victim.id());
        assertThat(FlinkRestClient.toJson(cluster.rest().exceptions(jobId))).contains(victim.id());

        // The restarted subtasks continue from the restored state: their markers count on from before the kill.
        StandaloneFlinkCluster.waitUntil("markers of the restarted subtasks beyond " + countBeforeKill, TIMEOUT,
                () -> Markers.read(out).minRestartedTotal() > countBeforeKill,
                () -> Markers.read(out).toString());

        cluster.waitForJobState(jobId, Duration.ofSeconds(90), "FINISHED");
        cluster.waitForTaskManagers(2, TIMEOUT);
        assertThat(cluster.registeredTaskManagerIds()).contains(replacement.id()).doesNotContain(victim.id());

        Markers markers = Markers.read(out);
        assertThat(markers.minRestartedTotal()).as("no restored state lost").isGreaterThanOrEqualTo(countBeforeKill);
        long[] last = markers.lastPerSubtaskTotals();
        assertThat(last[0]).as("numbers counted once each across the failover, " + markers).isEqualTo(records);
        assertThat(last[1]).as("their sum").isEqualTo(records * (records - 1) / 2);
    }

    @Test
    void stopWithSavepointThenResumeFromIt() {
        StandaloneFlinkCluster cluster = FLINK.cluster();
        String jarId = cluster.uploadJar(jobJar);
        Path outFirst = cluster.workDir().resolve("out-stop");
        String first = cluster.runJar(jarId, CountingJob.class.getName(), List.of(
                "--out", outFirst.toString(), "--records", "100000000", "--rate", "400",
                "--checkpoint-ms", "500"), PARALLELISM, null);
        cluster.waitForAllSubtasksRunning(first, 0, TIMEOUT);
        cluster.waitForCompletedCheckpoints(first, 2, TIMEOUT);

        String savepoint = cluster.stopWithSavepoint(first, null, TIMEOUT);
        assertThat(Path.of(URI.create(savepoint))).isDirectory();
        // The stop's savepoint is a checkpoint too: its markers hold the state the savepoint holds.
        long[] atStop = Markers.read(outFirst).lastPerSubtaskTotals();
        assertThat(atStop[0]).isGreaterThan(100);

        // Resumed with a much lower rate: a fresh start could not reach the savepoint's count by its first checkpoint.
        Path outSecond = cluster.workDir().resolve("out-resumed");
        String second = cluster.runJar(jarId, CountingJob.class.getName(), List.of(
                "--out", outSecond.toString(), "--records", "100000000", "--rate", "10",
                "--checkpoint-ms", "500"), PARALLELISM, savepoint);
        cluster.waitForAllSubtasksRunning(second, 0, TIMEOUT);
        StandaloneFlinkCluster.waitUntil("markers of the resumed job", TIMEOUT,
                () -> Markers.read(outSecond).maxCompleteTotal() > atStop[0], () -> Markers.read(outSecond).toString());
        assertThat(Markers.read(outSecond).minCompleteTotal()).as("resumed from the savepoint's state")
                .isGreaterThanOrEqualTo(atStop[0]);

        cluster.cancelJob(second, TIMEOUT);
        assertThat(cluster.jobState(second)).isEqualTo("CANCELED");
    }

    /** The marker files {@code cp-<checkpoint>-s<subtask>-a<attempt>.txt} ({@code count sum}) of CountingMap. */
    private record Markers(List<Marker> all) {
        private static final Pattern NAME = Pattern.compile("cp-(\\d+)-s(\\d+)-a(\\d+)\\.txt");

        record Marker(long checkpoint, int subtask, int attempt, long count, long sum) {}

        static Markers read(Path dir) {
            List<Marker> markers = new ArrayList<>();
            if (!Files.isDirectory(dir)) {
                return new Markers(markers);
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.collect(Collectors.toList())) {
                    Matcher m = NAME.matcher(file.getFileName().toString());
                    if (!m.matches()) {
                        continue;
                    }
                    String[] words = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
                    markers.add(new Marker(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3)), Long.parseLong(words[0]), Long.parseLong(words[1])));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Markers(markers);
        }

        /** Total count per checkpoint that every subtask wrote a marker for. */
        private TreeMap<Long, Long> completeTotals(boolean restartedOnly) {
            Map<Long, List<Marker>> byCheckpoint = all.stream()
                    .filter(m -> !restartedOnly || m.attempt() > 0)
                    .collect(Collectors.groupingBy(Marker::checkpoint));
            TreeMap<Long, Long> totals = new TreeMap<>();
            byCheckpoint.forEach((cp, ms) -> {
                if (ms.size() == PARALLELISM) {
                    totals.put(cp, ms.stream().mapToLong(Marker::count).sum());
                }
            });
            return totals;
        }

        long maxCompleteTotal() {
            return completeTotals(false).values().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        long minCompleteTotal() {
            return completeTotals(false).values().stream().mapToLong(Long::longValue).min().orElse(0);
        }

        /** Smallest total of a checkpoint taken after the restart (0 while there is none). */
        long minRestartedTotal() {
            return completeTotals(true).values().stream().mapToLong(Long::longValue).min().orElse(0);
        }

        /** Count and sum over each subtask's latest marker: the job's final state once it finished. */
        long[] lastPerSubtaskTotals() {
            Map<Integer, Marker> last = new TreeMap<>();
            for (Marker m : all) {
                last.merge(m.subtask(), m, (a, b) -> a.checkpoint() >= b.checkpoint() ? a : b);
            }
            return new long[] {
                last.values().stream().mapToLong(Marker::count).sum(),
                last.values().stream().mapToLong(Marker::sum).sum()
            };
        }

        @Override
        public String toString() {
            return all.stream().sorted((a, b) -> Long.compare(a.checkpoint(), b.checkpoint()))
                    .map(m -> "cp" + m.checkpoint() + "/s" + m.subtask() + "/a" + m.attempt() + "=" + m.count())
                    .collect(Collectors.joining(" ", "markers[", "]"));
        }
    }
}
