package dev.clusterservers.compare;

import dev.clusterservers.plumbing.ChildJvm;
import dev.clusterservers.plumbing.ProcessTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One approach running as real processes, started from the lessons' own jars the way a
 * learner starts them, on a free port. {@link #close()} always leaves no process behind:
 * a graceful stop first ({@code jpm kill}, {@code pm2 kill}, or SIGTERM to the master), then SIGKILL to every process it ever saw, and a shutdown hook does
 * the same if this JVM is stopped first (Ctrl-C, or a JMH fork that is killed).
 */
public final class Servers implements AutoCloseable {
    /**
     * The JVM flags of every server JVM the comparison starts itself (the baseline, the
     * masters, jpm's instances): the collector and heap that lesson 01's master gives its
     * workers. Workers that a master starts get their lesson's own flags.
     */
    static final List<String> SERVER_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx256m");
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** Lesson 01's worker (and jpm's example app, and the Jetty row), once its server listens; Node's cluster worker in listen's callback. */
    private static final Pattern WORKER_READY = Pattern.compile("Worker created, PID: (\\d+)");
    /** Lesson 02's master once a child answered its hello over the pipe; the Node fork server's child at its first line. */
    private static final Pattern CHILD_READY = Pattern.compile("Child process created, PID: (\\d+)");
    /** The tutorial's api.js in listen's callback, as PM2 writes it to the instance's log. */
    private static final Pattern API_READY = Pattern.compile("api listening, PID: (\\d+)");

    private final Configuration configuration;
    private final ServerJdk jdk;
    private final Lessons lessons;
    private final int port;
    private final Path log;
    private Process master;
    private JpmDriver jpm;
    private Pm2 pm2;
    /** The master, or jpm's or PM2's daemon: every process of the approach is it or below it. */
    private ProcessHandle root;
    private ProcessTree tree;
    private List<Long> readyPids = List.of();
    private Map<Long, Long> spawnToReadyMillis = Map.of();

    private Servers(Configuration configuration, Lessons lessons) throws IOException {
        this.configuration = configuration;
        this.jdk = ServerJdk.of(configuration);
        this.lessons = lessons;
        this.port = freePort();
        this.log = Files.createTempFile("compare-" + configuration.approach().id() + "-", ".log");
    }

    /** Starts the configuration and returns once every worker is up and {@code GET /} answers 200. */
    public static Servers start(Configuration configuration, Lessons lessons) throws IOException, InterruptedException {
        Servers servers = new Servers(configuration, lessons);
        try {
            servers.launch();
            servers.awaitAnswer();
            servers.tree.see(Set.of());
            return servers;
        } catch (IOException | InterruptedException | RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    private void launch() throws IOException, InterruptedException {
        String n = Integer.toString(configuration.workers());
        String p = Integer.toString(port);
        switch (configuration.approach()) {
            case SINGLE_JVM -> startJar(lessons.sharePorts(), WORKER_READY, "--role", "WORKER", "--strategy", "reuseport", "--port", p);
            case JETTY_HANDLER -> {
                List<String> command = new ArrayList<>(List.of(jdk.javaBinary()));
                command.addAll(SERVER_JVM_FLAGS);
                command.addAll(List.of("-cp", ChildJvm.classpath(JettyHandlerWorker.class), JettyHandlerWorker.class.getName(), p));
                startMaster(new ProcessBuilder(command), WORKER_READY);
            }
            case SHARE_ROUND_ROBIN -> startJar(lessons.sharePorts(), WORKER_READY, "--strategy", "round-robin", "--workers", n, "--port", p);
            case SHARE_SHARED -> startJar(lessons.sharePorts(), WORKER_READY, "--strategy", "shared", "--workers", n, "--port", p);
            case SHARE_REUSEPORT -> startJar(lessons.sharePorts(), WORKER_READY, "--strategy", "reuseport", "--workers", n, "--port", p);
            case NODE_CLUSTER -> startNode("share-ports.js", WORKER_READY);
            case FORK_RANDOM -> startJar(lessons.forkServer(), CHILD_READY, "--policy", "random", "--workers", n, "--port", p);
            case FORK_ROUND_ROBIN -> startJar(lessons.forkServer(), CHILD_READY, "--policy", "round-robin", "--workers", n, "--port", p);
            case FORK_LEAST_PENDING -> startJar(lessons.forkServer(), CHILD_READY, "--policy", "least-pending", "--workers", n, "--port", p);
            case NODE_FORK_SERVER -> startNode("fork-server.js", CHILD_READY);
            // jpm start and pm2 start return once every instance runs. Their daemons run in a
            // session of their own, not below us: the tree is rooted there.
            case JPM_CLUSTER -> {
                jpm = JpmDriver.create(lessons, log, jdk.javaBinary());
                try (ReadyWatch watch = new ReadyWatch(List.of(jpm.logs()), WORKER_READY)) {
                    jpm.startCluster(configuration.workers(), port);
                    adopt(jpm.daemon());
                    awaitReady(watch);
                }
            }
            case NODE_PM2 -> {
                pm2 = Pm2.create(lessons, log);
                try (ReadyWatch watch = new ReadyWatch(List.of(pm2.logs()), API_READY)) {
                    pm2.startCluster(configuration.workers(), port);
                    adopt(pm2.daemon());
                    awaitReady(watch);
                }
            }
        }
    }

    /** {@code java FLAGS -jar JAR ARGS}. */
    private void startJar(Path jar, Pattern ready, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jdk.javaBinary()));
        command.addAll(SERVER_JVM_FLAGS);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        startMaster(new ProcessBuilder(command), ready);
    }

    /** {@code node SCRIPT} in compare/node, with the port and worker count in the environment, as its comments say. */
    private void startNode(String script, Pattern ready) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(lessons.nodeOriginals().toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("WORKERS", Integer.toString(configuration.workers()));
        startMaster(builder, ready);
    }

    /** Starts the process whose output is the approach's log, and waits for one ready line per worker. */
    private void startMaster(ProcessBuilder builder, Pattern ready) throws IOException, InterruptedException {
        try (ReadyWatch watch = new ReadyWatch(List.of(log), ready)) {
            master = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            adopt(master.toHandle());
            awaitReady(watch);
        }
    }

    private void adopt(ProcessHandle root) {
        this.root = root;
        this.tree = new ProcessTree(root);
    }

    private void awaitReady(ReadyWatch watch) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (watch.readyPids().size() < configuration.workers()) {
            tree.see(Set.of());
            if (!root.isAlive()) {
                throw new IOException(configuration + " exited at start:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(configuration + " did not start its workers in " + START_TIMEOUT + ":\n" + output());
            }
            Thread.sleep(ReadyWatch.POLL_MILLIS);
        }
        readyPids = watch.readyPids();
        spawnToReadyMillis = watch.spawnToReadyMillis();
    }

    /** The log says the workers are up; the first 200 says the port really serves. */
    private void awaitAnswer() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                HttpURLConnection connection = (HttpURLConnection) uri().toURL().openConnection();
                connection.setConnectTimeout(2_000);
                connection.setReadTimeout(5_000);
                if (connection.getResponseCode() == 200) {
                    connection.getInputStream().readAllBytes();
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(configuration + " never answered GET / on port " + port + ":\n" + output(), e);
                }
            }
            Thread.sleep(100);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public Configuration configuration() {
        return configuration;
    }

    /** The JDK the approach's JVMs run on (for a Node approach, the comparison's own, unused). */
    public ServerJdk jdk() {
        return jdk;
    }

    /** jpm's handle on this cluster, for {@code reload} and {@code restart}; only for {@link Approach#JPM_CLUSTER}. */
    public JpmDriver jpm() {
        if (jpm == null) {
            throw new IllegalStateException(configuration + " is not run by jpm");
        }
        return jpm;
    }

    /**
     * Every worker serving now: the processes that said they are ready, or the instances
     * below jpm's or PM2's daemon. A worker that then serves no request at all must still
     * count, as a zero, in the spread and in Jain's index.
     */
    public Set<Long> workerPids() {
        return switch (configuration.approach()) {
            case JPM_CLUSTER, NODE_PM2 -> root.children().map(ProcessHandle::pid).collect(Collectors.toCollection(LinkedHashSet::new));
            default -> new LinkedHashSet<>(readyPids);
        };
    }

    /** The master or daemon and every process below it now: whose CPU time and memory the approach costs. */
    public List<Long> processPids() {
        List<Long> pids = new ArrayList<>();
        pids.add(root.pid());
        root.descendants().forEach(d -> pids.add(d.pid()));
        return pids;
    }

    /** From each worker's spawn to its ready line, in milliseconds. */
    public Map<Long, Long> spawnToReadyMillis() {
        return spawnToReadyMillis;
    }

    /**
     * The process manager's {@code list} ({@code jpm list}, {@code pm2 list}), run {@code times}
     * times one after the other as its users type it; wall-clock milliseconds each. Empty for an
     * approach that no process manager runs.
     */
    public Optional<List<Long>> timeList(int times) throws IOException, InterruptedException {
        if (jpm == null && pm2 == null) {
            return Optional.empty();
        }
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            millis.add(jpm != null ? jpm.list() : pm2.list());
        }
        return Optional.of(millis);
    }

    /** Which line counted as "ready" for this approach, as the records and the README name it. */
    public String readySignal() {
        return switch (configuration.approach()) {
            case SINGLE_JVM, SHARE_ROUND_ROBIN, SHARE_SHARED, SHARE_REUSEPORT -> "worker's line 'Worker created', after Javalin started";
            case JETTY_HANDLER -> "worker's line 'Worker created', after Jetty started";
            case NODE_CLUSTER -> "worker's line 'Worker created', in listen()'s callback";
            case FORK_RANDOM, FORK_ROUND_ROBIN, FORK_LEAST_PENDING -> "master's line 'Child process created', once the child answered its hello";
            case NODE_FORK_SERVER -> "child's line 'Child process created', its first";
            case JPM_CLUSTER -> "instance's line 'Worker created' in its jpm log, after Javalin started";
            case NODE_PM2 -> "instance's line 'api listening' in its PM2 log, in listen()'s callback";
        };
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        // Gracefully first, as a learner stops it: jpm kill stops every instance and the daemon,
        // a master stops its workers on SIGTERM. Then SIGKILL to whatever is left.
        if (jpm != null) {
            jpm.kill();
        }
        if (pm2 != null) {
            pm2.kill();
        }
        if (tree != null) {
            tree.stop(STOP_GRACE);
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A temp file left behind is harmless.
        }
        if (jpm != null) {
            jpm.deleteHome();
        }
        if (pm2 != null) {
            pm2.deleteHome();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
