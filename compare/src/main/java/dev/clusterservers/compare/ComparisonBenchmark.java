package dev.clusterservers.compare;

import dev.clusterservers.plumbing.bench.BenchRecord;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Every approach of the three lessons, against one JVM serving alone, measured the same way:
 * the same client, the same {@code GET /}, the same {@value #CLIENTS} keep-alive connections,
 * the same warm-up and measurement. Only then are the numbers comparable.
 *
 * <p>Each configuration runs in its own JMH fork, which starts the approach as real
 * processes from the lessons' jars ({@link Servers}) and sends {@code GET /} from
 * {@value #CLIENTS} threads through one Jetty {@link HttpClient}. On a small machine the
 * client, the servers and the kernel share the cores: the figures measure what the processes
 * cost each other as much as what each approach costs.
 *
 * <p>Three figures per configuration, from one trial: JMH's throughput; and, counted by the
 * client during the measurement iterations only, which worker served each request (the
 * {@code X-Worker-Pid} header every lesson sends) and how long each request took (an
 * HdrHistogram). Timing every request in the client costs two clock reads and a histogram
 * update per request, small against an HTTP round trip, and spares a second trial in JMH's
 * {@code SampleTime} mode, which would double the run. Both go to {@code results/compare.spread/} beside JMH's JSON.
 *
 * <p>Run: {@code ./compare/run} (or {@code ./compare/run --quick}); see the root README.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(ComparisonBenchmark.CLIENTS)
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 5, time = 5)
public class ComparisonBenchmark {
    /** Requests in flight: one per client thread, one keep-alive connection each. */
    static final int CLIENTS = 16;
    /** Where {@link Compare} tells each fork to write, and which command to name in the record. */
    static final String RESULTS_PROPERTY = "compare.results";
    static final String COMMAND_PROPERTY = "compare.command";
    static final String RUN = "compare";

    /** {@code APPROACH/WORKERS}; {@link Compare} passes the list it was asked for. */
    @Param({"single-jvm/1", "01-round-robin/1", "01-round-robin/2", "01-round-robin/4", "01-shared/1", "01-shared/2",
            "01-shared/4", "01-reuseport/1", "01-reuseport/2", "01-reuseport/4", "02-random/1", "02-random/2", "02-random/4",
            "02-round-robin/1", "02-round-robin/2", "02-round-robin/4", "02-least-pending/1", "02-least-pending/2",
            "02-least-pending/4", "03-jpm/1", "03-jpm/2", "03-jpm/4"})
    public String configuration;

    private Servers servers;
    private HttpClient client;
    private URI uri;
    private volatile boolean measuring;
    private final Map<Long, LongAdder> servedBy = new ConcurrentHashMap<>();
    /** Nanoseconds, three significant digits, resizing itself: no maximum to guess. */
    private final Histogram latencies = new ConcurrentHistogram(3);

    @Setup(Level.Trial)
    public void startServersAndClient() throws Exception {
        servers = Servers.start(Configuration.parse(configuration), Lessons.find());
        uri = servers.uri();
        // A worker that serves nothing is part of the spread too.
        servers.workerPids().forEach(pid -> servedBy.put(pid, new LongAdder()));
        client = new HttpClient();
        client.setMaxConnectionsPerDestination(CLIENTS);
        client.start();
    }

    /** Warm-up requests are neither counted nor timed: only what JMH's score also measures. */
    @Setup(Level.Iteration)
    public void countOnlyMeasuredRequests(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    @Benchmark
    public String get() throws Exception {
        long start = System.nanoTime();
        ContentResponse response = client.GET(uri);
        long took = System.nanoTime() - start;
        // An error answer must not count as a fast answer.
        if (response.getStatus() != 200) {
            throw new IllegalStateException(configuration + ": GET / answered " + response.getStatus());
        }
        if (measuring) {
            latencies.recordValue(took);
            servedBy.computeIfAbsent(Long.parseLong(response.getHeaders().get("X-Worker-Pid")), pid -> new LongAdder()).increment();
        }
        return response.getContentAsString();
    }

    @TearDown(Level.Trial)
    public void writeRecordAndStop() throws Exception {
        try {
            Map<Long, Long> perWorker = new TreeMap<>();
            servedBy.forEach((pid, count) -> perWorker.put(pid, count.sum()));
            Map<String, Double> millis = new TreeMap<>();
            millis.put("50.0", latencies.getValueAtPercentile(50) / 1e6);
            millis.put("99.0", latencies.getValueAtPercentile(99) / 1e6);
            String results = System.getProperty(RESULTS_PROPERTY);
            if (results != null) {
                BenchRecord.of("compare", RUN, "", System.getProperty(COMMAND_PROPERTY, ""), configuration, perWorker, millis)
                        .writeTo(Path.of(results));
            }
        } finally {
            client.stop();
            servers.close();
        }
    }
}
