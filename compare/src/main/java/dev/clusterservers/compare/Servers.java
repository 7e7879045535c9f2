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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One approach running as real processes, started from the lessons' own jars the way a
 * learner starts them, on a free port. {@link #close()} always leaves no process behind:
 * a graceful stop first, then SIGKILL to every process it ever saw, and a shutdown hook does
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
    private static final Pattern WORKER_READY = Pattern.compile("Worker created, PID: (\\d+)");
    private static final Pattern CHILD_READY = Pattern.compile("Child process created, PID: (\\d+)");

    private final Configuration configuration;
    private final Lessons lessons;
    private final int port;
    private final Path log;
    private Process master;
    private Jpm jpm;
    /** The master, or jpm's daemon, and everything below it; null until started. */
    private ProcessTree tree;

    private Servers(Configuration configuration, Lessons lessons) throws IOException {
        this.configuration = configuration;
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
            case SHARE_ROUND_ROBIN -> startJar(lessons.sharePorts(), WORKER_READY, "--strategy", "round-robin", "--workers", n, "--port", p);
            case SHARE_SHARED -> startJar(lessons.sharePorts(), WORKER_READY, "--strategy", "shared", "--workers", n, "--port", p);
            case SHARE_REUSEPORT -> startJar(lessons.sharePorts(), WORKER_READY, "--strategy", "reuseport", "--workers", n, "--port", p);
            case FORK_RANDOM -> startJar(lessons.forkServer(), CHILD_READY, "--policy", "random", "--workers", n, "--port", p);
            case FORK_ROUND_ROBIN -> startJar(lessons.forkServer(), CHILD_READY, "--policy", "round-robin", "--workers", n, "--port", p);
            case FORK_LEAST_PENDING -> startJar(lessons.forkServer(), CHILD_READY, "--policy", "least-pending", "--workers", n, "--port", p);
            // jpm start answers once every instance is online. Its daemon runs in a session of its
            // own, not below us: the tree is rooted there.
            case JPM_CLUSTER -> {
                jpm = Jpm.startCluster(lessons, configuration.workers(), port, log);
                tree = new ProcessTree(jpm.daemon());
            }
        }
    }

    /** {@code java FLAGS -jar JAR ARGS}, output to the log; waits for one ready line per worker. */
    private void startJar(Path jar, Pattern ready, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary()));
        command.addAll(SERVER_JVM_FLAGS);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        master = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        tree = new ProcessTree(master.toHandle());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (count(ready) < configuration.workers()) {
            tree.see(Set.of());
            if (!master.isAlive()) {
                throw new IOException(configuration + " exited with " + master.exitValue() + " at start:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(configuration + " did not start its workers in " + START_TIMEOUT + ":\n" + output());
            }
            Thread.sleep(100);
        }
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

    /** jpm's handle on this cluster, for {@code reload} and {@code restart}; only for {@link Approach#JPM_CLUSTER}. */
    public Jpm jpm() {
        if (jpm == null) {
            throw new IllegalStateException(configuration + " is not run by jpm");
        }
        return jpm;
    }

    private long count(Pattern pattern) {
        return announced(pattern).size();
    }

    /** The pids in the log's lines that match {@code pattern} (its group 1). */
    private Set<Long> announced(Pattern pattern) {
        Set<Long> pids = new LinkedHashSet<>();
        Matcher matcher = pattern.matcher(output());
        while (matcher.find()) {
            pids.add(Long.parseLong(matcher.group(1)));
        }
        return pids;
    }

    /**
     * Every worker serving now, as its lesson announced it: a worker that then serves no
     * request at all must still count, as a zero, in the spread and in Jain's index.
     */
    public Set<Long> workerPids() throws IOException {
        return switch (configuration.approach()) {
            case SINGLE_JVM -> Set.of(master.pid());
            case SHARE_ROUND_ROBIN, SHARE_SHARED, SHARE_REUSEPORT -> announced(WORKER_READY);
            case FORK_RANDOM, FORK_ROUND_ROBIN, FORK_LEAST_PENDING -> announced(CHILD_READY);
            // jpm's instances are its daemon's children.
            case JPM_CLUSTER -> jpm.daemon().children().map(ProcessHandle::pid).collect(Collectors.toSet());
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
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
