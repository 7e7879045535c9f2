package dev.clusterservers.shareports;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.bench.BenchRecord;
import dev.clusterservers.plumbing.bench.Fairness;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
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
 * Hello-world throughput and latency of each way to share a port, against one JVM serving
 * the same app alone: the baseline, measured in the same run with the same client.
 *
 * <p>Every configuration runs in its own JMH fork, which starts a real cluster (master and
 * worker JVMs) on a free port and then sends {@code GET /} from {@value #CLIENTS} client
 * threads through one Jetty {@link HttpClient}. The client, the server processes and JMH
 * share the machine's cores: on 2 cores this measures what the processes cost each other as
 * much as what the strategies cost, which is the lesson. See the module README.
 *
 * <p>Run (about 14 minutes): {@code ./mvnw -B -pl 01-share-ports test-compile exec:exec@jmh}.
 * JSON lands in {@code 01-share-ports/results/}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 6, time = 5)
@Measurement(iterations = 3, time = 5)
@Threads(SharePortsBenchmark.CLIENTS)
public class SharePortsBenchmark {
    static final int CLIENTS = 16;

    /**
     * What serves: {@code single-jvm} is the baseline, one worker JVM binding the port itself
     * with no master; {@code STRATEGY/N} is a cluster of N workers; {@code /untuned} starts
     * the workers with {@code --tune-workers false}.
     */
    @Param({"single-jvm", "round-robin/1", "round-robin/2", "shared/1", "shared/2",
            "reuseport/1", "reuseport/2", "reuseport/2/untuned"})
    public String cluster;

    /** {@code keep-alive} reuses connections; {@code close} opens one per request, as a browser flood would. */
    @Param({"keep-alive"})
    public String connection;

    private ClusterProcess servers;
    private HttpClient client;
    private URI uri;
    private final Map<Long, LongAdder> servedBy = new ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void startServersAndClient() throws Exception {
        servers = cluster.equals("single-jvm") ? startSingleJvm() : startCluster();
        uri = URI.create("http://127.0.0.1:" + servers.port() + "/");
        client = new HttpClient();
        client.setMaxConnectionsPerDestination(CLIENTS);
        client.start();
        // Every worker must answer before the clock starts.
        for (int i = 0; i < 50; i++) {
            hello();
        }
        servedBy.clear();
    }

    private ClusterProcess startCluster() throws IOException {
        String[] parts = cluster.split("/");
        int workers = Integer.parseInt(parts[1]);
        boolean tuned = parts.length < 3;
        ClusterProcess started = ClusterProcess.launch("--strategy", parts[0], "--workers", Integer.toString(workers),
                "--tune-workers", Boolean.toString(tuned));
        started.awaitWorkers(workers);
        return started;
    }

    /** The baseline: the same worker, alone, binding its own port, with the flags a 1-worker cluster gets. */
    private static ClusterProcess startSingleJvm() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> args = new ArrayList<>(ChildJvm.REQUIRED_FLAGS);
        args.addAll(Master.tunedFlags(1, Runtime.getRuntime().availableProcessors()));
        Path log = Files.createTempFile("single-jvm-", ".log");
        ClusterProcess single = ClusterProcess.launchJvm(log, args,
                List.of("--role", "WORKER", "--strategy", "reuseport", "--port", Integer.toString(port)));
        single.usePort(port);
        single.awaitWorkers(1);
        return single;
    }

    @Benchmark
    public String hello() throws Exception {
        Request request = client.newRequest(uri);
        if (connection.equals("close")) {
            request.headers(headers -> headers.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString()));
        }
        ContentResponse response = request.send();
        if (response.getStatus() != 200) {
            throw new IllegalStateException("GET / answered " + response.getStatus());
        }
        servedBy.computeIfAbsent(Long.parseLong(response.getHeaders().get("X-Worker-Pid")), pid -> new LongAdder()).increment();
        return response.getContentAsString();
    }

    @TearDown(Level.Trial)
    public void stopEverything() throws Exception {
        Map<Long, Long> spread = new TreeMap<>();
        servedBy.forEach((pid, count) -> spread.put(pid, count.sum()));
        System.out.println("requests per worker PID (" + cluster + ", " + connection + "): " + spread
                + ", Jain's fairness index " + String.format("%.3f", Fairness.jainIndex(spread.values())));
        BenchRecord.write(cluster + "," + connection, spread);
        client.stop();
        servers.close();
    }

    /** Runs every configuration with the settings above; JMH's own flags override them. */
    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
