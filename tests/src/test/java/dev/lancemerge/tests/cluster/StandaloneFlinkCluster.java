package dev.lancemerge.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A real standalone Flink 2.3 session cluster for tests: one job manager
 * ({@code StandaloneSessionClusterEntrypoint}) and N task managers ({@code TaskManagerRunner}), each a separate JVM
 * on 127.0.0.1, started the way {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} start them (JVM memory
 * flags and dynamic memory properties computed by Flink's own {@code *ProcessUtils}, {@code --configDir}).
 *
 * <p>The classpath is Flink's jars as Maven resolved them for this module (file {@code flink.cluster.classpath.file},
 * written by maven-dependency-plugin {@code build-classpath}; see tests/pom.xml) plus log4j: flink-runtime,
 * flink-runtime-web (jar upload and run), flink-clients, the Pekko RPC loader, ... and lance-core and Arrow, which the
 * config loads parent-first ({@code classloader.parent-first-patterns.additional}), as the Docker image does with
 * {@code /opt/flink/lib}. Our own classes are not on it: a job arrives only as an uploaded jar.
 *
 * <p>Everything a cluster writes goes under one work directory: {@code conf/}, {@code log/<process>.log} (stdout and
 * stderr of each JVM), {@code checkpoints/}, {@code savepoints/}, {@code jars/} (uploads) and {@code tmp/}.
 *
 * <pre>{@code
 * try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.builder().taskManagers(2).slotsPerTaskManager(2).start()) {
 *     String jobId = cluster.submitJar(jar, "dev.lancemerge.job.Main", List.of("run", "--dataset", uri, "--index", "vec_idx"), 2);
 *     cluster.waitForJobState(jobId, Duration.ofSeconds(60), "RUNNING");
 *     cluster.killTaskManager(cluster.taskManagersOf(jobId).iterator().next());
 *     ...
 * }
 * }</pre>
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    public static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    public static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    /**
     * JVM options of every cluster process: Flink 2.x's own default {@code env.java.opts.all} (flink-dist config.yaml,
     * "required for Java 17 support"), which already opens java.nio (Arrow needs it); the scripts pass these, so we do.
     */
    public static final List<String> JAVA_OPTS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final boolean SECURITY_MANAGER_AVAILABLE = Runtime.version().feature() < 24;

    private static final Set<String> TERMINAL_JOB_STATES = Set.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED");

    private final Path workDir;
    private final Path confDir;
    private final Path logDir;
    private final Map<String, String> config;
    private final String classpath;
    private final String javaBin;
    private final Duration startupTimeout;
    private final FlinkRestClient rest;
    private final List<ClusterProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger taskManagerCounter = new AtomicInteger();
    private final Thread shutdownHook;
    private ClusterProcess jobManager;
    private volatile boolean closed;

    private StandaloneFlinkCluster(Builder builder, Path workDir) throws IOException {
        this.workDir = workDir;
        this.confDir = Files.createDirectories(workDir.resolve("conf"));
        this.logDir = Files.createDirectories(workDir.resolve("log"));
        Files.createDirectories(workDir.resolve("checkpoints"));
        Files.createDirectories(workDir.resolve("savepoints"));
        Files.createDirectories(workDir.resolve("jars"));
        Files.createDirectories(workDir.resolve("tmp"));
        this.startupTimeout = builder.startupTimeout;
        this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.classpath = resolveClasspath(builder.extraClasspath);

        int restPort = freePort();
        int rpcPort = freePort();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("jobmanager.memory.process.size", builder.jobManagerMemory);
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(builder.slotsPerTaskManager));
        c.put("taskmanager.memory.process.size", builder.taskManagerMemory);
        // 1 GB processes: the default managed fraction (0.4) would leave the task heap about 30 MB.
        c.put("taskmanager.memory.managed.size", builder.managedMemory);
        c.put("taskmanager.load-balance.mode", "SLOTS");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        // Uploads are streamed to this directory: the 360 MB job jar uploads in about 7 s with the default
        // rest.server.max-content-length (100 MB), which applies to other requests only.
        c.put("web.upload.dir", workDir.resolve("jars").toString());
        c.put("io.tmp.dirs", workDir.resolve("tmp").toString());
        c.put("parallelism.default", "1");
        c.put("execution.checkpointing.dir", workDir.resolve("checkpoints").toUri().toString());
        c.put("execution.checkpointing.savepoint-dir", workDir.resolve("savepoints").toUri().toString());
        c.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        c.put("restart-strategy.type", "fixed-delay");
        c.put("restart-strategy.fixed-delay.attempts", "20");
        c.put("restart-strategy.fixed-delay.delay", "1 s");
        // A killed task manager is noticed within seconds (failed heartbeat RPCs), not after the 50 s default.
        c.put("heartbeat.interval", "2 s");
        c.put("heartbeat.timeout", "20 s");
        c.put("heartbeat.rpc-failure-threshold", "2");
        // lance-core (JNI) and Arrow come from the cluster classpath, never from a job jar's copies (FLINK-13958).
        c.put("classloader.parent-first-patterns.additional", "org.lance.;org.apache.arrow.");
        // A job's main() runs inside the job manager when submitted over REST (/jars/:id/run): a System.exit there
        // would kill the job manager (seen: exit 239, REST gone). THROW turns it into a failed run request instead
        // (the job, already submitted, keeps running). Needs a SecurityManager, which JDK 24+ no longer has.
        if (SECURITY_MANAGER_AVAILABLE) {
            c.put("cluster.intercept-user-system-exit", "THROW");
        }
        // Informational here (the entrypoints do not read it; the JVMs get JAVA_OPTS directly), as in docker/.
        c.put("env.java.opts.all", String.join(" ", JAVA_OPTS));
        c.putAll(builder.config);
        this.config = Collections.unmodifiableMap(c);
        writeConfig();

        this.rest = new FlinkRestClient(URI.create("http://127.0.0.1:" + config.get("rest.port") + "/"));
        this.shutdownHook = new Thread(this::destroyAllForcibly, "flink-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------------- accessors

    public URI restUri() {
        return rest.baseUri();
    }

    public FlinkRestClient rest() {
        return rest;
    }

    public Path workDir() {
        return workDir;
    }

    public Path logDir() {
        return logDir;
    }

    public Path checkpointDir() {
        return workDir.resolve("checkpoints");
    }

    public Path savepointDir() {
        return workDir.resolve("savepoints");
    }

    /** The configuration every process was started with (conf/config.yaml). */
    public Map<String, String> config() {
        return config;
    }

    // --------------------------------------------------------------------------------------------------------- jobs

    /** Uploads {@code jar} and runs {@code entryClass} with {@code args}; returns the job id. */
    public String submitJar(Path jar, String entryClass, List<String> args, int parallelism) {
        return runJar(uploadJar(jar), entryClass, args, parallelism, null);
    }

    /** As {@link #submitJar(Path, String, List, int)}, restoring from {@code savepointPath} (null: none). */
    public String submitJar(Path jar, String entryClass, List<String> args, int parallelism, String savepointPath) {
        return runJar(uploadJar(jar), entryClass, args, parallelism, savepointPath);
    }

    /** {@code POST /jars/upload}; the id is reusable for several {@link #runJar} calls. */
    public String uploadJar(Path jar) {
        return rest.uploadJar(jar);
    }

    /** {@code POST /jars/:id/run}; {@code savepointPath} may be null. Returns the job id. */
    public String runJar(String jarId, String entryClass, List<String> args, int parallelism, String savepointPath) {
        return rest.runJar(jarId, entryClass, args, parallelism, savepointPath, false, Map.of());
    }

    public String jobState(String jobId) {
        return rest.job(jobId).path("state").asText();
    }

    /**
     * Waits until the job is in one of {@code states} and returns it. Fails at once (with the job's exceptions) if
     * the job reaches a terminal state that was not asked for, and after {@code timeout}.
     */
    public String waitForJobState(String jobId, Duration timeout, String... states) {
        Set<String> wanted = Set.of(states);
        String[] last = {"(none)"};
        waitUntil("job " + jobId + " in " + wanted, timeout, () -> {
            last[0] = jobState(jobId);
            if (wanted.contains(last[0])) {
                return true;
            }
            if (TERMINAL_JOB_STATES.contains(last[0])) {
                throw new AssertionError("job " + jobId + " is " + last[0] + ", waiting for " + wanted
                        + "; exceptions: " + FlinkRestClient.toJson(rest.exceptions(jobId)));
            }
            return false;
        }, () -> "last state " + last[0]);
        return last[0];
    }

    /**
     * Waits until the job is RUNNING and every subtask of every vertex is RUNNING (or FINISHED, for finished
     * sources), i.e. the job is deployed, not just scheduled. With {@code minAttempt} > 0, only subtasks restarted at
     * least that often count (attempt numbers start at 0).
     */
    public void waitForAllSubtasksRunning(String jobId, int minAttempt, Duration timeout) {
        String[] last = {""};
        waitUntil("all subtasks of job " + jobId + " running (attempt >= " + minAttempt + ")", timeout, () -> {
            JsonNode job = rest.job(jobId);
            String state = job.path("state").asText();
            if (TERMINAL_JOB_STATES.contains(state)) {
                throw new AssertionError("job " + jobId + " is " + state + "; exceptions: "
                        + FlinkRestClient.toJson(rest.exceptions(jobId)));
            }
            if (!"RUNNING".equals(state)) {
                last[0] = "job " + state;
                return false;
            }
            for (JsonNode vertex : job.path("vertices")) {
                for (JsonNode subtask : rest.vertex(jobId, vertex.path("id").asText()).path("subtasks")) {
                    String status = subtask.path("status").asText();
                    int attempt = subtask.path("attempt").asInt(-1);
                    if (!("RUNNING".equals(status) || "FINISHED".equals(status)) || attempt < minAttempt) {
                        last[0] = vertex.path("name").asText() + "#" + subtask.path("subtask").asInt() + " " + status
                                + " attempt " + attempt;
                        return false;
                    }
                }
            }
            return true;
        }, () -> last[0]);
    }

    /** The ids of the task managers running subtasks of the job now ({@code taskmanager-id} of each subtask). */
    public Set<String> taskManagerIdsOf(String jobId) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode vertex : rest.job(jobId).path("vertices")) {
            for (JsonNode subtask : rest.vertex(jobId, vertex.path("id").asText()).path("subtasks")) {
                String id = subtask.path("taskmanager-id").asText("");
                if (!id.isEmpty() && !"(unassigned)".equals(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** The live task manager processes started by this cluster that run subtasks of the job. */
    public List<TaskManagerProcess> taskManagersOf(String jobId) {
        Set<String> ids = taskManagerIdsOf(jobId);
        return taskManagers().stream().filter(tm -> ids.contains(tm.id())).collect(Collectors.toList());
    }

    public long completedCheckpoints(String jobId) {
        return rest.checkpoints(jobId).path("counts").path("completed").asLong(0);
    }

    /** Waits until at least {@code count} checkpoints of the job completed; returns the number completed. */
    public long waitForCompletedCheckpoints(String jobId, long count, Duration timeout) {
        long[] last = {0};
        waitUntil(count + " completed checkpoints of job " + jobId, timeout, () -> {
            String state = jobState(jobId);
            if (TERMINAL_JOB_STATES.contains(state)) {
                throw new AssertionError("job " + jobId + " is " + state + " before " + count + " checkpoints");
            }
            last[0] = completedCheckpoints(jobId);
            return last[0] >= count;
        }, () -> last[0] + " completed");
        return last[0];
    }

    /** The job's {@code numRestarts} metric (0 until reported). */
    public long numRestarts(String jobId) {
        String value = rest.jobMetric(jobId, "numRestarts");
        return value == null ? 0 : (long) Double.parseDouble(value);
    }

    /** {@code PATCH /jobs/:id?mode=cancel} and waits for CANCELED. */
    public void cancelJob(String jobId, Duration timeout) {
        rest.cancelJob(jobId);
        waitForJobState(jobId, timeout, "CANCELED");
    }

    /**
     * Stop with savepoint ({@code POST /jobs/:id/stop}, no drain) into {@code targetDirectory} (null: the cluster's
     * savepoint dir); waits for the savepoint and for the job to be FINISHED. Returns the savepoint's location.
     */
    public String stopWithSavepoint(String jobId, Path targetDirectory, Duration timeout) {
        String target = (targetDirectory == null ? savepointDir() : targetDirectory).toUri().toString();
        String triggerId = rest.triggerStop(jobId, target, false);
        String location = awaitSavepoint(jobId, triggerId, timeout);
        waitForJobState(jobId, timeout, "FINISHED");
        return location;
    }

    /** Triggers a savepoint ({@code POST /jobs/:id/savepoints}) and waits for it; the job keeps running. */
    public String triggerSavepoint(String jobId, Path targetDirectory, Duration timeout) {
        String target = (targetDirectory == null ? savepointDir() : targetDirectory).toUri().toString();
        return awaitSavepoint(jobId, rest.triggerSavepoint(jobId, target, false), timeout);
    }

    private String awaitSavepoint(String jobId, String triggerId, Duration timeout) {
        String[] location = {null};
        String[] last = {""};
        waitUntil("savepoint " + triggerId + " of job " + jobId, timeout, () -> {
            JsonNode answer = rest.savepointStatus(jobId, triggerId);
            last[0] = FlinkRestClient.toJson(answer);
            if (!"COMPLETED".equals(answer.path("status").path("id").asText())) {
                return false;
            }
            JsonNode operation = answer.path("operation");
            if (operation.has("failure-cause")) {
                throw new AssertionError("savepoint of job " + jobId + " failed: " + last[0]);
            }
            location[0] = operation.path("location").asText();
            return true;
        }, () -> last[0]);
        return location[0];
    }

    // ---------------------------------------------------------------------------------------------- task managers

    /** The task manager processes started by this cluster that are still alive, oldest first. */
    public List<TaskManagerProcess> taskManagers() {
        synchronized (processes) {
            return processes.stream()
                    .filter(p -> p instanceof TaskManagerProcess && p.isAlive())
                    .map(p -> (TaskManagerProcess) p)
                    .collect(Collectors.toList());
        }
    }

    /** Starts one more task manager (a new id, {@code tm-<n>}); does not wait for it to register. */
    public TaskManagerProcess startTaskManager() {
        String id = "tm-" + taskManagerCounter.incrementAndGet();
        Configuration conf = Configuration.fromMap(config);
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(splitWords(ProcessMemoryUtils.generateJvmParametersStr(spec)));
        command.addAll(commonJvmOptions(id));
        command.add("-cp");
        command.add(classpath);
        command.add(TASK_MANAGER_MAIN);
        command.add("--configDir");
        command.add(confDir.toString());
        command.addAll(splitWords(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
        command.add("-D");
        command.add("taskmanager.resource-id=" + id);
        TaskManagerProcess tm = new TaskManagerProcess(id, launch(id, command));
        processes.add(tm);
        return tm;
    }

    /** Kills the task manager's JVM ({@code destroyForcibly}, i.e. SIGKILL) and waits until it is gone. */
    public void killTaskManager(TaskManagerProcess tm) {
        tm.process.destroyForcibly();
        try {
            if (!tm.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("task manager " + tm.id() + " (pid " + tm.pid() + ") still alive after kill");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits until the job manager lists exactly {@code count} task managers (dead ones leave after heartbeats fail). */
    public void waitForTaskManagers(int count, Duration timeout) {
        int[] last = {-1};
        waitUntil(count + " registered task managers", timeout, () -> {
            checkJobManagerAlive();
            last[0] = rest.overview().path("taskmanagers").asInt(-1);
            return last[0] == count;
        }, () -> "registered: " + last[0]);
    }

    /** The ids of the task managers the job manager lists ({@code GET /taskmanagers}). */
    public Set<String> registeredTaskManagerIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode tm : rest.taskManagers()) {
            ids.add(tm.path("id").asText());
        }
        return ids;
    }

    // ------------------------------------------------------------------------------------------ logs and shutdown

    /** Prints the last {@code tailLines} lines of every process's log, with the log's path. */
    public void printLogs(PrintStream out, int tailLines) {
        List<ClusterProcess> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
        }
        out.println("==== Flink cluster logs (all of them in " + logDir + ") ====");
        for (ClusterProcess p : all) {
            out.println("==== " + p.name + " (" + (p.isAlive() ? "alive" : "exited " + exitCode(p)) + "): "
                    + p.logFile + ", last " + tailLines + " lines ====");
            try {
                List<String> lines = Files.readAllLines(p.logFile, StandardCharsets.UTF_8);
                lines.subList(Math.max(0, lines.size() - tailLines), lines.size()).forEach(out::println);
            } catch (IOException e) {
                out.println("(cannot read: " + e + ")");
            }
        }
        out.flush();
    }

    /** Stops every process (SIGTERM, then SIGKILL after 15 s). Logs and the work directory stay. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ClusterProcess> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
        }
        all.forEach(p -> p.process.destroy());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (ClusterProcess p : all) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!p.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroyAllForcibly();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // JVM shutting down: the hook runs anyway.
        }
    }

    /** Deletes the work directory (after {@link #close()}): logs, checkpoints, uploaded jars. */
    public void deleteWorkDir() throws IOException {
        try (Stream<Path> paths = Files.walk(workDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void destroyAllForcibly() {
        synchronized (processes) {
            processes.forEach(p -> p.process.destroyForcibly());
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    private void start(int taskManagers) {
        Configuration conf = Configuration.fromMap(config);
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(splitWords(JobManagerProcessUtils.generateJvmParametersStr(spec, conf)));
        command.addAll(commonJvmOptions("jobmanager"));
        command.add("-cp");
        command.add(classpath);
        command.add(JOB_MANAGER_MAIN);
        command.add("--configDir");
        command.add(confDir.toString());
        command.addAll(splitWords(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
        jobManager = new ClusterProcess("jobmanager", launch("jobmanager", command), logDir.resolve("jobmanager.log"));
        processes.add(jobManager);
        for (int i = 0; i < taskManagers; i++) {
            startTaskManager();
        }
        waitUntil("REST API at " + restUri(), startupTimeout, () -> {
            checkJobManagerAlive();
            try {
                rest.overview();
                return true;
            } catch (FlinkRestClient.FlinkRestException e) {
                return false;
            }
        }, () -> "");
        waitForTaskManagers(taskManagers, startupTimeout);
    }

    private List<String> commonJvmOptions(String name) {
        List<String> options = new ArrayList<>(JAVA_OPTS);
        options.add("-XX:+UseSerialGC"); // 2 cores shared by several JVMs: no parallel GC threads
        if (SECURITY_MANAGER_AVAILABLE) {
            options.add("-Djava.security.manager=allow"); // cluster.intercept-user-system-exit on JDK 18 to 23
        }
        options.add("-Djava.io.tmpdir=" + workDir.resolve("tmp"));
        options.add("-Dlog.file=" + logDir.resolve(name + ".log"));
        options.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
        options.add("-Dlog4j2.isThreadContextMapInheritable=true");
        return options;
    }

    private Process launch(String name, List<String> command) {
        Path logFile = logDir.resolve(name + ".log");
        try {
            Files.writeString(logFile, "# " + String.join(" ", abbreviateClasspath(command)) + "\n",
                    StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            pb.environment().remove("FLINK_CONF_DIR");
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static List<String> abbreviateClasspath(List<String> command) {
        List<String> shown = new ArrayList<>(command);
        int cp = shown.indexOf("-cp");
        if (cp >= 0 && cp + 1 < shown.size()) {
            shown.set(cp + 1, "<" + shown.get(cp + 1).split(java.io.File.pathSeparator).length + " jars>");
        }
        return shown;
    }

    private void checkJobManagerAlive() {
        if (jobManager != null && !jobManager.isAlive()) {
            throw new AssertionError("the job manager exited with " + exitCode(jobManager) + "; see "
                    + jobManager.logFile);
        }
    }

    private static String exitCode(ClusterProcess p) {
        try {
            return Integer.toString(p.process.exitValue());
        } catch (IllegalThreadStateException e) {
            return "?";
        }
    }

    private void writeConfig() throws IOException {
        StringBuilder yaml = new StringBuilder("# written by StandaloneFlinkCluster\n");
        for (Map.Entry<String, String> e : config.entrySet()) {
            yaml.append(e.getKey()).append(": '").append(e.getValue().replace("'", "''")).append("'\n");
        }
        Files.writeString(confDir.resolve("config.yaml"), yaml.toString(), StandardCharsets.UTF_8);
        String log4j = String.join("\n",
                "monitorInterval = 0",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.console.ref = ConsoleAppender",
                "appender.console.name = ConsoleAppender",
                "appender.console.type = Console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-50c{1.} [%t] - %m%n",
                "logger.pekko.name = org.apache.pekko",
                "logger.pekko.level = WARN",
                "logger.netty.name = org.apache.flink.shaded.netty4",
                "logger.netty.level = WARN",
                "logger.zookeeper.name = org.apache.zookeeper",
                "logger.zookeeper.level = WARN",
                "");
        Files.writeString(confDir.resolve("log4j.properties"), log4j, StandardCharsets.UTF_8);
    }

    private static String resolveClasspath(List<Path> extra) throws IOException {
        String file = System.getProperty("flink.cluster.classpath.file", "target/flink-cluster/classpath.txt");
        Path classpathFile = Path.of(file);
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("no cluster classpath at " + classpathFile.toAbsolutePath()
                    + ": run the tests through Maven (maven-dependency-plugin build-classpath in tests/pom.xml writes it)");
        }
        List<String> entries = new ArrayList<>(
                Arrays.asList(Files.readString(classpathFile, StandardCharsets.UTF_8).trim().split(java.io.File.pathSeparator)));
        Path log4jDir = Path.of(System.getProperty("flink.cluster.log4j.dir", "target/flink-cluster/log4j"));
        try (Stream<Path> jars = Files.list(log4jDir)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
        }
        extra.forEach(p -> entries.add(p.toString()));
        if (entries.stream().noneMatch(e -> e.contains("flink-runtime-web"))) {
            throw new IllegalStateException("flink-runtime-web is missing from the cluster classpath " + classpathFile);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static List<String> splitWords(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).collect(Collectors.toList());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Polls {@code condition} every 200 ms; AssertionError with {@code detail} after {@code timeout}. */
    public static void waitUntil(String what, Duration timeout, BooleanSupplier condition,
            java.util.function.Supplier<String> detail) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException lastError = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                lastError = null;
            } catch (FlinkRestClient.FlinkRestException e) {
                lastError = e; // e.g. the job not known yet, the REST server not up yet
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + " ("
                        + detail.get() + (lastError == null ? "" : "; last error: " + lastError.getMessage()) + ")");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------ types

    /** One JVM of the cluster. */
    public static class ClusterProcess {
        final String name;
        final Process process;
        final Path logFile;

        ClusterProcess(String name, Process process, Path logFile) {
            this.name = name;
            this.process = process;
            this.logFile = logFile;
        }

        public String name() {
            return name;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        public Path logFile() {
            return logFile;
        }

        @Override
        public String toString() {
            return name + " (pid " + pid() + (isAlive() ? "" : ", exited") + ")";
        }
    }

    /** A task manager JVM; {@link #id()} is its resource id, as {@code GET /taskmanagers} and the subtasks show it. */
    public final class TaskManagerProcess extends ClusterProcess {
        TaskManagerProcess(String id, Process process) {
            super(id, process, logDir.resolve(id + ".log"));
        }

        public String id() {
            return name;
        }
    }

    /** Builds and starts a cluster. */
    public static final class Builder {
        private int taskManagers = 1;
        private int slotsPerTaskManager = 2;
        private String jobManagerMemory = "768m";
        private String taskManagerMemory = "1g";
        private String managedMemory = "64m";
        private Path workDir;
        private Duration startupTimeout = Duration.ofSeconds(90);
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<Path> extraClasspath = new ArrayList<>();

        private Builder() {}

        public Builder taskManagers(int n) {
            this.taskManagers = n;
            return this;
        }

        public Builder slotsPerTaskManager(int n) {
            this.slotsPerTaskManager = n;
            return this;
        }

        /** {@code jobmanager.memory.process.size} (default 768m). */
        public Builder jobManagerMemory(String size) {
            this.jobManagerMemory = size;
            return this;
        }

        /** {@code taskmanager.memory.process.size} (default 1g). */
        public Builder taskManagerMemory(String size) {
            this.taskManagerMemory = size;
            return this;
        }

        /** {@code taskmanager.memory.managed.size} (default 64m: RocksDB would want more). */
        public Builder managedMemory(String size) {
            this.managedMemory = size;
            return this;
        }

        /** Any Flink option, overriding the defaults above (written to conf/config.yaml). */
        public Builder config(String key, String value) {
            this.config.put(key, value);
            return this;
        }

        /** Extra jars or directories on every cluster JVM's classpath (i.e. parent-first for jobs). */
        public Builder extraClasspath(Path entry) {
            this.extraClasspath.add(entry);
            return this;
        }

        /**
         * Where conf, logs, checkpoints, savepoints and uploaded jars go (must not exist or be empty). Default: a new
         * directory under {@code flink.cluster.work.root} (tests/target/flink-cluster/runs in Maven) or java.io.tmpdir.
         */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** Starts the job manager and the task managers and waits until all task managers registered. */
        public StandaloneFlinkCluster start() throws IOException {
            Path dir = workDir;
            if (dir == null) {
                String root = System.getProperty("flink.cluster.work.root");
                String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
                dir = root == null
                        ? Files.createTempDirectory("flink-cluster-")
                        : Files.createDirectories(Path.of(root)).resolve("cluster-" + stamp);
            }
            Files.createDirectories(dir);
            StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(this, dir);
            try {
                cluster.start(taskManagers);
            } catch (RuntimeException | Error e) {
                cluster.printLogs(System.err, 80);
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }
}
