package dev.lancemerge.tests.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link StandaloneFlinkCluster} once per test class and stops it after the last test, also when a test
 * fails; on a failure (of a test or of the class) it prints the tail of every cluster process's log to stderr and
 * keeps the work directory (logs, checkpoints, uploaded jars); after a fully passing class it deletes it, unless the
 * system property {@code flink.cluster.keep} is {@code true}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final StandaloneFlinkClusterExtension FLINK =
 *         new StandaloneFlinkClusterExtension(StandaloneFlinkCluster.builder().taskManagers(2));
 * ... FLINK.cluster().submitJar(...)
 * }</pre>
 *
 * Register it on a {@code static} field: the cluster lives for the class.
 */
public final class StandaloneFlinkClusterExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final int LOG_TAIL_LINES = 150;

    private final StandaloneFlinkCluster.Builder builder;
    private StandaloneFlinkCluster cluster;
    private boolean failed;

    public StandaloneFlinkClusterExtension(StandaloneFlinkCluster.Builder builder) {
        this.builder = builder;
    }

    /** The running cluster (between beforeAll and afterAll). */
    public StandaloneFlinkCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster is not started: register the extension on a static field");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        failed = false;
        cluster = builder.start();
        System.err.println("Flink cluster for " + context.getDisplayName() + ": REST " + cluster.restUri()
                + ", work dir " + cluster.workDir());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && cluster != null) {
            failed = true;
            System.err.println("test " + context.getDisplayName() + " failed; Flink cluster logs:");
            cluster.printLogs(System.err, LOG_TAIL_LINES);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster == null) {
            return;
        }
        if (context.getExecutionException().isPresent() && !failed) {
            failed = true;
            cluster.printLogs(System.err, LOG_TAIL_LINES);
        }
        cluster.close();
        if (failed || Boolean.getBoolean("flink.cluster.keep")) {
            System.err.println("Flink cluster work dir kept: " + cluster.workDir());
        } else {
            try {
                cluster.deleteWorkDir();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        cluster = null;
    }
}
