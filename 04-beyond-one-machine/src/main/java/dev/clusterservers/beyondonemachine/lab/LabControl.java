package dev.clusterservers.beyondonemachine.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The lab's life: {@code up} builds it host by host, {@code down} takes all of it away, and
 * {@code fail} and {@code heal} do to one host what a pulled cable or a crashed machine does.
 * Every step says what it does; a step that fails takes down what was built so far.
 */
public final class LabControl {
    /** From {@code jpm start} to every host passing HAProxy's checks. */
    static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);

    private final LabHome home;
    private final Tools tools;
    private final Consumer<String> say;

    public LabControl(LabHome home, Tools tools, Consumer<String> say) {
        this.home = home;
        this.tools = tools;
        this.say = say;
    }

    /** The lab that is up, as {@code up} wrote it down. */
    public LabPlan plan() throws IOException {
        requireRoot();
        if (!Files.isRegularFile(home.plan())) {
            throw new LabException("no lab is up in " + home.root() + "; start one with `lab up`");
        }
        return LabPlan.load(home.plan());
    }

    public void up(LabPlan plan, boolean retries) throws IOException {
        List<String> problems = tools.problems();
        if (!problems.isEmpty()) {
            throw new LabException("cannot start the lab:\n  - " + String.join("\n  - ", problems));
        }
        List<String> swept = sweep(plan.name());
        if (!swept.isEmpty()) {
            say.accept("swept what a previous lab left: " + String.join(", ", swept));
        }
        checkPortFree(plan.port());
        say.accept("starting a lab of " + plan.hosts() + " hosts × " + plan.instances() + " instances, Redis, and HAProxy on 127.0.0.1:"
                + plan.port() + " (folder " + home.root() + ")");
        try {
            Files.createDirectories(home.root());
            plan.save(home.plan());
            Network.create(plan, say);
            // Latency and loss need the kernel's netem, which many kernels lack: say which, and go on either way.
            String noNetem = Network.netem(plan, plan.redisHost(), List.of("delay", "0ms"));
            Network.netem(plan, plan.redisHost(), List.of());
            say.accept(noNetem == null ? "network: netem is available (`lab netem h2 delay 100ms` slows h2's link)"
                    : "network: no netem in this kernel, so no latency or loss experiments; the rest of the lab does not need it");
            Hosts hosts = new Hosts(plan, home, tools);
            hosts.startRedis();
            say.accept("host db: redis-server on " + plan.redisAddress() + ":" + LabPlan.REDIS_PORT);
            Path v1 = Releases.stamp(home, tools.appJar(), "v1");
            for (String host : plan.hostNames()) {
                long started = System.nanoTime();
                hosts.startApp(host, v1);
                say.accept("host " + host + ": jpm started " + plan.instances() + " instance(s) of release v1 on "
                        + plan.hostAddress(host) + ":" + plan.appPort() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
            Haproxy haproxy = new Haproxy(home);
            haproxy.start(new HaproxyConfig(plan, home.haproxySocket(), retries));
            say.accept("haproxy: 127.0.0.1:" + plan.port() + " → " + String.join(", ", plan.hostNames())
                    + (retries ? "" : " (no retry-on, no redispatch)") + "; configuration in " + home.haproxyConfig());
            haproxy.await(s -> s.status().equals("UP"), "every host UP", HEALTHY_WITHIN);
            say.accept("every host passes HAProxy's health check. Try:");
            say.accept("  curl http://127.0.0.1:" + plan.port() + "/              # a different host each time");
            say.accept("  curl -X POST http://127.0.0.1:" + plan.port() + "/visits   # one counter in Redis for every host");
            say.accept("  04-beyond-one-machine/lab status");
        } catch (IOException | RuntimeException e) {
            say.accept("lab up failed: " + e.getMessage());
            say.accept("taking down what was built so far");
            down(plan.name());
            throw e instanceof LabException le ? le : new LabException("lab up failed: " + e.getMessage());
        }
    }

    /** Takes everything down: jpm daemons first (they stop their instances gracefully), then the rest. */
    public List<String> down(String defaultName) throws IOException {
        requireRoot();
        return sweep(Files.isRegularFile(home.plan()) ? LabPlan.load(home.plan()).name() : defaultName);
    }

    /**
     * Removes what a lab of this name made, whatever state it is in: the jpm daemons, HAProxy,
     * every process in the lab's namespaces, the namespaces, the links, the bridge, the folder.
     */
    private List<String> sweep(String name) throws IOException {
        List<String> removed = new ArrayList<>();
        if (Files.isRegularFile(home.plan())) {
            LabPlan plan = LabPlan.load(home.plan());
            if (!plan.name().equals(name)) {
                removed.addAll(Network.sweep(plan.prefix())); // the folder's lab had another name
            }
            Hosts hosts = new Hosts(plan, home, tools);
            for (String host : plan.hostNames()) {
                if (Network.namespaces(plan.namespace(host)).contains(plan.namespace(host)) && !Network.pids(plan.namespace(host)).isEmpty()) {
                    hosts.killJpm(host); // jpm's CLI reaches its daemon over a Unix socket, so a cut link does not matter
                    removed.add("jpm on " + host);
                }
            }
        }
        removed.addAll(new Haproxy(home).stop());
        removed.addAll(Network.sweep(name + "-"));
        // Only the lab's own files: LAB_HOME may point at a folder that holds other things too.
        for (Path own : home.ownFiles()) {
            if (Files.exists(own)) {
                try (Stream<Path> files = Files.walk(own)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
        if (Files.isDirectory(home.root())) {
            try (Stream<Path> left = Files.list(home.root())) {
                if (left.findAny().isEmpty()) {
                    Files.delete(home.root());
                    removed.add("folder " + home.root());
                }
            }
        }
        return removed;
    }

    private static void requireRoot() {
        if (!Tools.isRoot()) {
            throw new LabException(Tools.NOT_ROOT);
        }
    }

    private static void checkPortFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new LabException("port " + port + " on 127.0.0.1 is taken (" + e.getMessage() + "); stop what holds it "
                    + "(`ss -ltnp 'sport = :" + port + "'` shows who) or pass another: `lab up --port 8081`");
        }
    }

    /**
     * Restarts HAProxy from a new configuration, with or without its retries: the bench's
     * "without retry-on" rows. Between runs only: a stopped HAProxy refuses every connection.
     */
    public void reconfigure(boolean retries) throws IOException {
        LabPlan plan = plan();
        Haproxy haproxy = new Haproxy(home);
        haproxy.stop();
        haproxy.start(new HaproxyConfig(plan, home.haproxySocket(), retries));
        haproxy.await(s -> s.status().equals("UP"), "every host UP", HEALTHY_WITHIN);
        say.accept("haproxy: restarted " + (retries ? "with retry-on and redispatch" : "without retry-on and redispatch"));
    }

    /** Cuts a host off ({@code link}) or kills every process on it ({@code kill}); {@code db} is Redis's host. */
    public void fail(String host, FailMode how) throws IOException {
        LabPlan plan = plan();
        if (!host.equals(plan.redisHost())) {
            plan.hostIndex(host);
        }
        switch (how) {
            case LINK -> {
                Network.cut(plan, host);
                say.accept("host " + host + ": link " + plan.namespace(host) + " down; packets to "
                        + (host.equals(plan.redisHost()) ? plan.redisAddress() : plan.hostAddress(host))
                        + " are dropped, its processes run on unreachable");
            }
            case KILL -> {
                List<Long> pids = Network.pids(plan.namespace(host));
                pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                say.accept("host " + host + ": SIGKILL to its " + pids.size() + " processes ("
                        + (host.equals(plan.redisHost()) ? "redis-server" : "jpm's daemon and its instances") + "): " + pids);
            }
        }
    }

    /** Undoes {@link #fail}: plugs the link back in, and starts what no longer runs. */
    public void heal(String host) throws IOException {
        LabPlan plan = plan();
        boolean db = host.equals(plan.redisHost());
        if (!db) {
            plan.hostIndex(host);
        }
        if (Network.isCut(plan, host)) {
            Network.restore(plan, host);
            say.accept("host " + host + ": link " + plan.namespace(host) + " up again");
        }
        Hosts hosts = new Hosts(plan, home, tools);
        boolean nothingRuns = db ? Network.pids(plan.namespace(host)).isEmpty() : hosts.instances(host).isEmpty();
        if (db) {
            if (nothingRuns) {
                hosts.startRedis();
                say.accept("host db: redis-server started again, empty (the lab keeps no Redis data on disk)");
            }
            return;
        }
        if (nothingRuns) {
            hosts.startApp(host, home.appJar(host));
            say.accept("host " + host + ": jpm started again with the release it had");
        }
        new Haproxy(home).await(s -> !s.host().equals(host) || s.status().startsWith("UP"), host + " UP", HEALTHY_WITHIN);
        say.accept("host " + host + ": HAProxy sees it UP again");
    }

    /** How {@code lab fail} takes a host out. */
    public enum FailMode {
        /** Pull its cable: it runs on, unreachable; its peers learn of it by timeouts. */
        LINK,
        /** Crash it: every process on it gets SIGKILL; its address still answers, with resets. */
        KILL
    }

    /** A failure the learner caused or can fix, said in one sentence without a stack trace. */
    public static final class LabException extends RuntimeException {
        public LabException(String message) {
            super(message);
        }
    }
}
