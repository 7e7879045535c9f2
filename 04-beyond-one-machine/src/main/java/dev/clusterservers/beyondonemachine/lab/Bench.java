package dev.clusterservers.beyondonemachine.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clusterservers.beyondonemachine.load.LoadClient;
import dev.clusterservers.beyondonemachine.load.Outcome;
import dev.clusterservers.beyondonemachine.load.Timeline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code lab bench} and {@code lab soak}: the lesson's claims measured in one run on one lab,
 * under the same load, so the rows compare. Each run writes its records (every second's
 * answers per host and release, every failure by kind, every step the lab took) to
 * {@code 04-beyond-one-machine/results/}, and {@code diagrams} draws the timeline from them.
 *
 * <p>The load is the lab's own {@link LoadClient}: keep-alive connections through HAProxy, every
 * other request a {@code POST /visits}, so a row shows what an idempotent GET and a POST each see.
 */
public final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Load before the lab is touched, and after it is done: a steady state on both sides. */
    static final long LEAD_MS = 3_000;
    static final long TAIL_MS = 5_000;
    /** How long a failed host stays failed. */
    static final long FAILED_FOR_MS = 8_000;

    private final LabPlan plan;
    private final LabHome home;
    private final Tools tools;
    private final LabControl control;
    private final Consumer<String> say;
    private final int connections;
    private final String command;

    /** {@code command} is what the learner typed, kept in the record so a chart's caption can say how to reproduce it. */
    public Bench(LabPlan plan, LabHome home, Tools tools, Consumer<String> say, int connections, String command) {
        this.plan = plan;
        this.home = home;
        this.tools = tools;
        this.control = new LabControl(home, tools, say);
        this.say = say;
        this.connections = connections;
        this.command = command;
    }

    /** One measured run: what was done, and how every request ended. */
    /**
     * @param visitsCounted how much Redis's visit counter grew during the run: equal to the
     *                      POSTs answered 2xx when no POST was lost, larger when a failed POST
     *                      had counted before its answer was lost
     */
    public record Run(String name, String retries, Map<String, Map<Outcome, Long>> outcomes,
                      Map<String, Long> answeredByHost, Map<String, Long> haproxy2xxByServer, long visitsCounted,
                      List<Timeline.Event> events, List<Timeline.Count> timeline) {
        long failed(String method) {
            return outcomes.get(method).entrySet().stream().filter(e -> e.getKey().failed()).mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** What the HAProxy hop costs: server CPU per request, straight to one host and through HAProxy. */
    /**
     * @param cpuMicrosPerRequest        every server process on the path: h1's, and HAProxy's on the second path
     * @param haproxyCpuMicrosPerRequest HAProxy's share of it (0 straight to h1)
     */
    public record HopCost(int round, String path, long requests, double cpuMicrosPerRequest, double haproxyCpuMicrosPerRequest) {
    }

    private interface Step {
        void run(Timeline timeline) throws IOException;
    }

    /** Runs {@code step} under load and records it. */
    Run measure(String name, boolean retries, Step step) throws IOException {
        say.accept("measuring: " + name);
        Map<String, Long> before = twoXx();
        long visitsBefore = visits();
        LoadClient client = LoadClient.start(new InetSocketAddress("127.0.0.1", plan.port()), connections, LoadClient.Mix.BOTH);
        try {
            Processes.sleep(LEAD_MS);
            step.run(client.timeline());
            Processes.sleep(TAIL_MS);
        } finally {
            client.close();
        }
        Map<String, Long> after = twoXx();
        long visitsCounted = visits() - visitsBefore;
        Map<String, Long> delta = new LinkedHashMap<>();
        after.forEach((host, count) -> delta.put(host, count - before.getOrDefault(host, 0L)));
        Timeline t = client.timeline();
        Run run = new Run(name, retries ? "retry-on, redispatch" : "none", Map.of("GET", t.totals("GET"), "POST", t.totals("POST")),
                t.answeredByHost(), delta, visitsCounted, t.events(), t.counts());
        say.accept("  " + t.summary() + "; failed GET " + run.failed("GET") + ", failed POST " + run.failed("POST")
                + "; Redis counted " + visitsCounted + " visits for " + t.totals("POST").get(Outcome.OK) + " POSTs answered 2xx");
        return run;
    }

    /** Redis's visit counter, read with redis-cli from the root namespace (Redis's host is on the bridge). */
    private long visits() {
        String value = Shell.run("redis-cli", "-h", plan.redisAddress(), "-p", Integer.toString(LabPlan.REDIS_PORT),
                "GET", "lab:visits").strip();
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private Map<String, Long> twoXx() throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        new Haproxy(home).api().servers().forEach((host, stat) -> counts.put(host, stat.responses2xx()));
        return counts;
    }

    /** The table's rows: deploys three ways, host loss two ways with and without HAProxy's retries. */
    public Path bench(int hopRounds) throws IOException {
        List<HopCost> hop = hopCost(hopRounds);
        List<Run> runs = new ArrayList<>();
        int version = 2;
        String v = "v" + version++;
        runs.add(measure("rolling deploy (drain, jpm reload, ready) to " + v, true, deploy(v, RollingDeploy.Strategy.ROLLING)));
        v = "v" + version++;
        runs.add(measure("stop and start each host in turn, no drain, to " + v, true, deploy(v, RollingDeploy.Strategy.NO_DRAIN)));
        v = "v" + version++;
        runs.add(measure("stop and start every host at once to " + v, true, deploy(v, RollingDeploy.Strategy.ALL_AT_ONCE)));
        for (boolean retries : new boolean[] {true, false}) {
            if (!retries) {
                control.reconfigure(false);
            }
            for (LabControl.FailMode how : LabControl.FailMode.values()) {
                String name = "host lost (" + (how == LabControl.FailMode.LINK ? "link cut" : "SIGKILL") + "), "
                        + (retries ? "with retry-on + redispatch" : "without retries");
                runs.add(measure(name, retries, loseHost(plan.hostNames().get(plan.hosts() > 1 ? 1 : 0), how)));
            }
        }
        control.reconfigure(true);
        return write("lab-bench", Map.of("kind", "bench", "runs", runs, "hopCost", hop));
    }

    /** {@code deploys} rolling deploys in a row under load: the soak of the lesson's claim. */
    public Path soak(int deploys) throws IOException {
        Run run = measure(deploys + " rolling deploys in a row", true, timeline -> {
            for (int i = 0; i < deploys; i++) {
                String version = "s" + (i + 1);
                deploy(version, RollingDeploy.Strategy.ROLLING).run(timeline);
            }
        });
        return write("lab-soak", Map.of("kind", "soak", "deploys", deploys, "runs", List.of(run)));
    }

    private Step deploy(String version, RollingDeploy.Strategy strategy) {
        return timeline -> {
            Path release = Releases.stamp(home, tools.appJar(), version);
            timeline.mark("deploy " + version + " starts");
            new RollingDeploy(plan, home, tools, line -> {
                timeline.mark(line);
                say.accept("  " + line);
            }).deploy(release, version, strategy);
        };
    }

    private Step loseHost(String host, LabControl.FailMode how) {
        return timeline -> {
            timeline.mark("fail " + host + " (" + how.name().toLowerCase() + ")");
            control.fail(host, how);
            Processes.sleep(FAILED_FOR_MS);
            timeline.mark("heal " + host);
            control.heal(host);
            timeline.mark(host + " UP");
        };
    }

    /**
     * Server CPU per request, in interleaved rounds: straight to one host's address, and through
     * HAProxy with every other host in maintenance, so both paths end at the same host. CPU is
     * utime + stime from /proc of every process on that host (and HAProxy's, on its path).
     */
    List<HopCost> hopCost(int rounds) throws IOException {
        String host = plan.hostNames().get(0);
        RuntimeApi api = new Haproxy(home).api();
        List<HopCost> costs = new ArrayList<>();
        try {
            for (String other : plan.hostNames().subList(1, plan.hosts())) {
                api.setState(other, "maint");
            }
            if (rounds > 0) {
                // Fresh instances compile their hot paths in the first seconds of load: let that happen unmeasured.
                say.accept("  warming h1's instances up for " + HOP_PRIME_MS / 1000 + " s");
                LoadClient prime = LoadClient.start(new InetSocketAddress(plan.hostAddress(host), plan.appPort()), connections, LoadClient.Mix.GET);
                Processes.sleep(HOP_PRIME_MS);
                prime.close();
            }
            for (int round = 1; round <= rounds; round++) {
                costs.add(cpuPerRequest(round, "straight to " + host, new InetSocketAddress(plan.hostAddress(host), plan.appPort()), false));
                costs.add(cpuPerRequest(round, "through HAProxy to " + host, new InetSocketAddress("127.0.0.1", plan.port()), true));
            }
        } finally {
            for (String other : plan.hostNames().subList(1, plan.hosts())) {
                api.setState(other, "ready");
            }
        }
        return costs;
    }

    static final long HOP_PRIME_MS = 20_000;
    static final long HOP_WARMUP_MS = 3_000;
    static final long HOP_MEASURE_MS = 10_000;

    private HopCost cpuPerRequest(int round, String path, InetSocketAddress target, boolean viaHaproxy) {
        LoadClient client = LoadClient.start(target, connections, LoadClient.Mix.GET);
        try {
            Processes.sleep(HOP_WARMUP_MS);
            List<Long> hostPids = new ArrayList<>(Network.pids(plan.namespace(plan.hostNames().get(0))));
            List<Long> haproxyPids = new ArrayList<>();
            if (viaHaproxy) {
                Processes.fromPidFile(home.haproxyPid()).ifPresent(p -> haproxyPids.add(p.pid()));
            }
            long ok0 = client.timeline().totals().get(Outcome.OK);
            long host0 = ticks(hostPids);
            long haproxy0 = ticks(haproxyPids);
            Processes.sleep(HOP_MEASURE_MS);
            long host1 = ticks(hostPids);
            long haproxy1 = ticks(haproxyPids);
            long ok1 = client.timeline().totals().get(Outcome.OK);
            long requests = ok1 - ok0;
            double perTick = requests == 0 ? 0 : 1e6 / CLOCK_TICKS_PER_SECOND / requests;
            double haproxyMicros = (haproxy1 - haproxy0) * perTick;
            double micros = (host1 - host0) * perTick + haproxyMicros;
            say.accept(String.format("  round %d, %s: %,d requests, %.1f µs of server CPU per request (HAProxy %.1f)", round, path,
                    requests, micros, haproxyMicros));
            return new HopCost(round, path, requests, micros, haproxyMicros);
        } finally {
            client.close();
        }
    }

    /** Linux's USER_HZ, which /proc's times are counted in: 100 on every mainstream kernel. */
    static final int CLOCK_TICKS_PER_SECOND = 100;

    /** utime + stime of each process (all its threads), in clock ticks. */
    static long ticks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
            } catch (IOException e) {
                // the process ended: its time is gone with it
            }
        }
        return sum;
    }

    private Path write(String kind, Map<String, Object> body) throws IOException {
        Path dir = Path.of(System.getProperty("lab.results", "04-beyond-one-machine/results"));
        Files.createDirectories(dir);
        // One file per kind, rewritten by each run (git keeps the earlier ones): the READMEs' tables
        // and charts are rendered from it by `diagrams`, under the marker <!-- bench:04-beyond-one-machine/KIND -->.
        Path file = dir.resolve(kind + ".json");
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("date", Instant.now().toString());
        record.put("command", command);
        record.put("java", Runtime.version().toString());
        record.put("cpus", Runtime.getRuntime().availableProcessors());
        record.put("hosts", plan.hosts());
        record.put("instancesPerHost", plan.instances());
        record.put("connections", connections);
        record.putAll(body);
        JSON.writeValue(file.toFile(), record);
        say.accept("wrote " + file);
        return file;
    }
}
