package dev.clusterservers.compare;

import dev.clusterservers.plumbing.bench.BenchRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>Throughput on a small shared machine says as much about the client and the neighbours as
 * about the server. So each measured iteration also reads, from {@code /proc}, the CPU time that
 * every process of the approach spent ({@link ProcFs}): divided by the requests it served, that
 * is what a request costs the server, however fast the client sent them. At the end of the last
 * measured iteration, still under load, it reads each process's memory; and {@link Servers}
 * timed each worker from spawn to ready. For jpm and PM2, after the measurement, it times their
 * {@code list} command. These go to {@code results/compare.cost/} ({@link CostRecord}).
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
    /**
     * Node's HTTP server closes a kept-alive connection idle for 5 s ({@code keepAliveTimeout});
     * a request sent just then meets a closed connection. A client that gives up on idle
     * connections first never races the server: JMH's pauses between iterations can last that
     * long on a busy machine.
     */
    static final long CLIENT_IDLE_TIMEOUT_MILLIS = 4_000;
    /** How many times the process manager's {@code list} is timed: enough for a median. */
    static final int LIST_RUNS = 5;

    /** {@code APPROACH/WORKERS}; {@link Compare} passes the list it was asked for. */
    @Param({"single-jvm/1", "jetty-handler/1", "01-round-robin/1", "01-round-robin/2", "01-round-robin/4", "01-shared/1",
            "01-shared/2", "01-shared/4", "01-reuseport/1", "01-reuseport/2", "01-reuseport/4", "node-cluster/1",
            "node-cluster/2", "node-cluster/4", "02-random/1", "02-random/2", "02-random/4", "02-round-robin/1",
            "02-round-robin/2", "02-round-robin/4", "02-least-pending/1", "02-least-pending/2", "02-least-pending/4",
            "node-fork-server/1", "node-fork-server/2", "node-fork-server/4", "03-jpm/1", "03-jpm/2", "03-jpm/4",
            "node-pm2/1", "node-pm2/2", "node-pm2/4"})
    public String configuration;

    private Servers servers;
    private HttpClient client;
    private URI uri;
    private volatile boolean measuring;
    private final Map<Long, LongAdder> servedBy = new ConcurrentHashMap<>();
    /** Nanoseconds, three significant digits, resizing itself: no maximum to guess. */
    private final Histogram latencies = new ConcurrentHistogram(3);
    private final long clientPid = ProcessHandle.current().pid();
    private final LongAdder servedThisIteration = new LongAdder();
    private final List<CostRecord.Iteration> costs = new ArrayList<>();
    private List<CostRecord.ProcessCost> memory = List.of();
    private long iterationStart;
    private long serverTicksAtStart;
    private long clientTicksAtStart;

    @Setup(Level.Trial)
    public void startServersAndClient() throws Exception {
        servers = Servers.start(Configuration.parse(configuration), Lessons.find());
        uri = servers.uri();
        // A worker that serves nothing is part of the spread too.
        servers.workerPids().forEach(pid -> servedBy.put(pid, new LongAdder()));
        client = new HttpClient();
        client.setMaxConnectionsPerDestination(CLIENTS);
        client.setIdleTimeout(CLIENT_IDLE_TIMEOUT_MILLIS);
        client.start();
    }

    /** Warm-up requests are neither counted nor timed: only what JMH's score also measures. */
    @Setup(Level.Iteration)
    public void countOnlyMeasuredRequests(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        servedThisIteration.reset();
        serverTicksAtStart = ProcFs.cpuTicks(servers.processPids());
        clientTicksAtStart = ProcFs.cpuTicks(clientPid).orElse(0);
        iterationStart = System.nanoTime();
    }

    /**
     * JMH runs this once every client thread has finished the iteration, so the CPU time read
     * here is spent on exactly the requests counted in it (and whatever the servers did beside:
     * their compilers and collectors are part of what a request costs).
     */
    @TearDown(Level.Iteration)
    public void readWhatTheIterationCost() {
        if (!measuring) {
            return;
        }
        double wall = (System.nanoTime() - iterationStart) / 1e9;
        double server = (ProcFs.cpuTicks(servers.processPids()) - serverTicksAtStart) / (double) ProcFs.TICKS_PER_SECOND;
        double self = (ProcFs.cpuTicks(clientPid).orElse(0) - clientTicksAtStart) / (double) ProcFs.TICKS_PER_SECOND;
        costs.add(new CostRecord.Iteration(servedThisIteration.sum(), wall, server, self));
        // Sampled after every measured iteration, kept from the last: memory under load, after the most warm-up.
        Set<Long> workers = servers.workerPids();
        List<CostRecord.ProcessCost> sample = new ArrayList<>();
        for (long pid : servers.processPids()) {
            ProcFs.memory(pid).ifPresent(m -> sample.add(new CostRecord.ProcessCost(pid, workers.contains(pid), m.rssKiB(), m.pssKiB(),
                    servers.spawnToReadyMillis().get(pid))));
        }
        memory = sample;
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
            servedThisIteration.increment();
            latencies.recordValue(took);
            servedBy.computeIfAbsent(Long.parseLong(response.getHeaders().get("X-Worker-Pid")), pid -> new LongAdder()).increment();
        }
        return response.getContentAsString();
    }

    /**
     * {@code jpm list} or {@code pm2 list}, {@value #LIST_RUNS} times, as a user types it; null
     * for an approach that no process manager runs. Only now, after the last measured iteration:
     * a CLI run during one would add its own CPU time to the server's. If it fails, the record
     * says nothing of it rather than lose the figures already measured.
     */
    private List<Long> timeTheManagersList() throws InterruptedException {
        try {
            return servers.timeList(LIST_RUNS).orElse(null);
        } catch (IOException e) {
            System.err.println(configuration + ": the process manager's list failed, so it is not timed: " + e.getMessage());
            return null;
        }
    }

    @TearDown(Level.Trial)
    public void writeRecordAndStop() throws Exception {
        try {
            Map<Long, Long> perWorker = new TreeMap<>();
            servedBy.forEach((pid, count) -> perWorker.put(pid, count.sum()));
            Map<String, Double> millis = new TreeMap<>();
            millis.put("50.0", latencies.getValueAtPercentile(50) / 1e6);
            millis.put("99.0", latencies.getValueAtPercentile(99) / 1e6);
            List<Long> listMillis = timeTheManagersList();
            String results = System.getProperty(RESULTS_PROPERTY);
            if (results != null) {
                String command = System.getProperty(COMMAND_PROPERTY, "");
                BenchRecord.of("compare", RUN, "", command, configuration, perWorker, millis).writeTo(Path.of(results));
                CostRecord.of(configuration, servers.jdk().version(), command, servers.readySignal(), costs, memory, listMillis).writeTo(Path.of(results));
            }
        } finally {
            client.stop();
            servers.close();
        }
    }
}
