package dev.lancemerge.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The few calls of Flink's REST API (2.3) that the cluster tests need, with the JDK's {@link HttpClient} and Jackson
 * only (no Flink client classes, so the calls are exactly the ones an operator or a script would make).
 *
 * <p>Every method throws {@link FlinkRestException} when Flink answers with a status other than 2xx, with Flink's
 * {@code errors} in the message.
 */
public final class FlinkRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public FlinkRestClient(URI base) {
        this(base, Duration.ofSeconds(60));
    }

    public FlinkRestClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI baseUri() {
        return base;
    }

    /** {@code GET /overview}: {@code taskmanagers}, {@code slots-total}, {@code slots-available}, {@code jobs-running}, ... */
    public JsonNode overview() {
        return get("/overview");
    }

    /** {@code GET /taskmanagers}: the {@code taskmanagers} array ({@code id}, {@code slotsNumber}, {@code freeSlots}, ...). */
    public JsonNode taskManagers() {
        return get("/taskmanagers").path("taskmanagers");
    }

    /** {@code POST /jars/upload} (multipart, field {@code jarfile}); returns the jar id for {@link #runJar}. */
    public String uploadJar(Path jar) {
        String boundary = "----lancemerge" + UUID.randomUUID().toString().replace("-", "");
        String fileName = jar.getFileName().toString();
        byte[] head = ("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + fileName + "\"\r\n"
                        + "Content-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long size;
        try {
            size = Files.size(jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Streamed from disk: the real job jar is about 360 MB.
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new SequenceInputStream(Collections.enumeration(List.of(
                                new ByteArrayInputStream(head),
                                Files.newInputStream(jar),
                                new ByteArrayInputStream(tail))));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }),
                head.length + size + tail.length);
        HttpRequest request = HttpRequest.newBuilder(uri("/jars/upload"))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body)
                .build();
        JsonNode answer = send(request);
        String filename = answer.path("filename").asText("");
        if (filename.isEmpty()) {
            throw new FlinkRestException("POST /jars/upload answered without a filename: " + answer);
        }
        // The jar id is the stored file's name (Flink prefixes a UUID).
        return Path.of(filename).getFileName().toString();
    }

    /**
     * {@code POST /jars/:jarid/run}: runs the jar's {@code entryClass} with {@code args} ({@code programArgsList}, so
     * arguments with spaces or commas stay whole). Returns the job id.
     *
     * @param savepointPath a savepoint or retained checkpoint to restore from, or {@code null}
     * @param jobConfig per-job configuration ({@code flinkConfiguration}), may be empty
     */
    public String runJar(
            String jarId,
            String entryClass,
            List<String> args,
            int parallelism,
            String savepointPath,
            boolean allowNonRestoredState,
            Map<String, String> jobConfig) {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", entryClass);
        body.set("programArgsList", JSON.valueToTree(new ArrayList<>(args)));
        if (parallelism > 0) {
            body.put("parallelism", parallelism);
        }
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
            body.put("allowNonRestoredState", allowNonRestoredState);
        }
        if (jobConfig != null && !jobConfig.isEmpty()) {
            body.set("flinkConfiguration", JSON.valueToTree(jobConfig));
        }
        JsonNode answer = post("/jars/" + encode(jarId) + "/run", body);
        String jobId = answer.path("jobid").asText("");
        if (jobId.isEmpty()) {
            throw new FlinkRestException("POST /jars/" + jarId + "/run answered without a jobid: " + answer);
        }
        return jobId;
    }

    /** {@code DELETE /jars/:jarid}. */
    public void deleteJar(String jarId) {
        send(HttpRequest.newBuilder(uri("/jars/" + encode(jarId))).timeout(timeout).DELETE().build());
    }

    /** {@code GET /jobs/:jobid}: {@code state}, {@code vertices} (each with {@code id}, {@code status}, ...), ... */
    public JsonNode job(String jobId) {
        return get("/jobs/" + jobId);
    }

    /** {@code GET /jobs/:jobid/vertices/:vertexid}: {@code subtasks} with {@code status}, {@code attempt}, {@code taskmanager-id}. */
    public JsonNode vertex(String jobId, String vertexId) {
        return get("/jobs/" + jobId + "/vertices/" + vertexId);
    }

    /** {@code GET /jobs/:jobid/checkpoints}: {@code counts.completed}, {@code latest.completed.external_path}, ... */
    public JsonNode checkpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** {@code GET /jobs/:jobid/exceptions}: {@code exceptionHistory.entries} (root causes of the failovers). */
    public JsonNode exceptions(String jobId) {
        return get("/jobs/" + jobId + "/exceptions");
    }

    /** One job metric from {@code GET /jobs/:jobid/metrics?get=NAME} (e.g. {@code numRestarts}); null if not reported. */
    public String jobMetric(String jobId, String name) {
        JsonNode answer = get("/jobs/" + jobId + "/metrics?get=" + encode(name));
        for (JsonNode metric : answer) {
            if (name.equals(metric.path("id").asText())) {
                return metric.path("value").asText(null);
            }
        }
        return null;
    }

    /** {@code PATCH /jobs/:jobid?mode=cancel}. */
    public void cancelJob(String jobId) {
        send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                .timeout(timeout)
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /**
     * {@code POST /jobs/:jobid/stop} ({@code targetDirectory}, {@code drain}); returns the trigger id to poll with
     * {@link #savepointStatus}.
     */
    public String triggerStop(String jobId, String targetDirectory, boolean drain) {
        ObjectNode body = JSON.createObjectNode();
        if (targetDirectory != null) {
            body.put("targetDirectory", targetDirectory);
        }
        body.put("drain", drain);
        return requestId(post("/jobs/" + jobId + "/stop", body), "stop");
    }

    /**
     * {@code POST /jobs/:jobid/savepoints} ({@code target-directory}, {@code cancel-job}); returns the trigger id to
     * poll with {@link #savepointStatus}.
     */
    public String triggerSavepoint(String jobId, String targetDirectory, boolean cancelJob) {
        ObjectNode body = JSON.createObjectNode();
        if (targetDirectory != null) {
            body.put("target-directory", targetDirectory);
        }
        body.put("cancel-job", cancelJob);
        return requestId(post("/jobs/" + jobId + "/savepoints", body), "savepoint");
    }

    /** {@code GET /jobs/:jobid/savepoints/:triggerid}: {@code status.id} (IN_PROGRESS, COMPLETED), {@code operation}. */
    public JsonNode savepointStatus(String jobId, String triggerId) {
        return get("/jobs/" + jobId + "/savepoints/" + triggerId);
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build());
    }

    public JsonNode post(String path, JsonNode body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(HttpRequest.newBuilder(uri(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text))
                .build());
    }

    private static String requestId(JsonNode answer, String what) {
        String id = answer.path("request-id").asText("");
        if (id.isEmpty()) {
            throw new FlinkRestException(what + " answered without a request-id: " + answer);
        }
        return id;
    }

    private URI uri(String path) {
        return base.resolve(path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new FlinkRestException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRestException(request.method() + " " + request.uri() + ": interrupted", e);
        }
        String text;
        try (InputStream in = response.body()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            text = buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FlinkRestException(request.method() + " " + request.uri() + ": reading the answer: " + e, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new FlinkRestException(
                    request.method() + " " + request.uri().getPath() + " -> HTTP " + status + ": " + text, status);
        }
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new FlinkRestException(request.method() + " " + request.uri() + ": not JSON: " + text, e);
        }
    }

    /** Writes {@code node} as one line of JSON (for logs and assertion messages). */
    public static String toJson(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            return String.valueOf(node);
        }
    }

    /** A REST call that failed: a connection error or an answer that is not 2xx ({@link #status()}, else -1). */
    public static final class FlinkRestException extends RuntimeException {
        private final int status;

        FlinkRestException(String message) {
            super(message);
            this.status = -1;
        }

        FlinkRestException(String message, int status) {
            super(message);
            this.status = status;
        }

        FlinkRestException(String message, Throwable cause) {
            super(message, cause);
            this.status = -1;
        }

        public int status() {
            return status;
        }
    }
}
