package dev.clusterservers.processmanager.bench;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Claim: jpm adds nothing to the data path. The same hello-world GET, through N instances
 * started by jpm in cluster mode, and through lesson 1's master with the same N workers
 * (reuse-port: the same kernel mechanism with no manager at all; round-robin: a master that
 * accepts every connection itself). If jpm cost anything per request, {@code jpm} would
 * trail {@code share-ports-reuseport}.
 *
 * <p>The load client is the workshop's shared one: Jetty's {@code HttpClient}, synchronous
 * GETs from JMH's threads over keep-alive connections. Sixteen threads, so sixteen connections:
 * the kernel hashes each connection to one instance, and with only a few connections the split
 * between instances is a matter of luck. jpm's CLI runs as a process of its own, like lesson 1's
 * master, so the measuring JVM is the same in every trial. On a small machine the client, the
 * instances and the kernel share the same cores: read the figures side by side, not alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(16)
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 3, time = 5)
public class ThroughputBenchmark {
    @Param({"jpm", "share-ports-reuseport", "share-ports-round-robin"})
    public String runBy;

    @Param({"2"})
    public int instances;

    private Cluster cluster;
    private HttpClient client;
    private String url;

    @Setup(Level.Trial)
    public void startTheCluster() throws Exception {
        cluster = switch (runBy) {
            case "jpm" -> new Cluster.UnderJpm(instances, false);
            case "share-ports-reuseport" -> new Cluster.UnderSharePorts(instances, "reuseport");
            case "share-ports-round-robin" -> new Cluster.UnderSharePorts(instances, "round-robin");
            default -> throw new IllegalArgumentException(runBy);
        };
        client = new HttpClient();
        client.start();
        url = "http://127.0.0.1:" + cluster.port + "/";
    }

    @Benchmark
    public int helloWorldGet() throws Exception {
        ContentResponse response = client.GET(url);
        if (response.getStatus() != 200) {
            throw new IllegalStateException("status " + response.getStatus());
        }
        return response.getContent().length;
    }

    @TearDown(Level.Trial)
    public void stopTheCluster() throws Exception {
        client.stop();
        cluster.close();
    }
}
