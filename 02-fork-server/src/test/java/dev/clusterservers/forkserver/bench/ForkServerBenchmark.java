package dev.clusterservers.forkserver.bench;

import dev.clusterservers.forkserver.Cluster;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the extra hop costs. The same {@code GET /}, from the same Jetty client, against:
 * <ul>
 *   <li>{@code direct}: the app served by Javalin in one JVM (the baseline, no master);</li>
 *   <li>{@code random-N}, {@code round-robin-N}, {@code least-pending-N}: the master with N
 *       children, forwarding every request over a pipe and back.</li>
 * </ul>
 * {@link #throughput} keeps 4 requests in flight (4 JMH threads, synchronous GETs);
 * {@link #latency} sends one at a time, so its score is the round trip itself.
 *
 * <p>Run (see the module README for the exact command and the figures):
 * {@code ./mvnw -pl 02-fork-server test-compile exec:exec@bench}. The servers are separate
 * JVMs started per trial; the client is the only thing inside the JMH JVM.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ForkServerBenchmark {
    @Param({"direct", "random-1", "random-2", "random-4", "round-robin-2", "least-pending-2"})
    public String server;

    private Cluster cluster;
    private HttpClient client;
    private URI root;

    @Setup
    public void start() throws Exception {
        if (server.equals("direct")) {
            cluster = Cluster.direct();
        } else {
            int dash = server.lastIndexOf('-');
            cluster = Cluster.start(Integer.parseInt(server.substring(dash + 1)),
                    "--policy", server.substring(0, dash));
        }
        root = cluster.uri("/");
        client = new HttpClient();
        client.start();
    }

    @TearDown
    public void stop() throws Exception {
        client.stop();
        cluster.close();
    }

    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    public String throughput() throws Exception {
        return get();
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.SampleTime)
    public String latency() throws Exception {
        return get();
    }

    /** An error answer must not count as a fast answer. */
    private String get() throws Exception {
        ContentResponse response = client.GET(root);
        if (response.getStatus() != 200) {
            throw new IllegalStateException(response.getStatus() + " " + response.getContentAsString());
        }
        return response.getContentAsString();
    }
}
